"""Outbox queries and mutations (administrators only): thin resolvers over the services."""

from __future__ import annotations

import strawberry
from tortoise.queryset import QuerySet

from crm.core.errors import InputError
from crm.core.pagination import PageRequest, SortKey, paginate
from crm.graphql.context import Info
from crm.graphql.errors import UserError, user_errors
from crm.graphql.permissions import IsAdmin
from crm.graphql.relay import PageInfo, decode_id
from crm.mail import services
from crm.mail.models import OutboxMessage
from crm.mail.types import (
    OutboxFilter,
    OutboxMessageConnection,
    OutboxMessageEdge,
    OutboxMessageNode,
    RetryOutboxMessageInput,
    SendTestEmailInput,
)

# Newest first; the id breaks ties between messages queued in the same instant.
_NEWEST_FIRST = [SortKey("created_at", descending=True, is_datetime=True)]


@strawberry.type
class OutboxMessagePayload:
    message: OutboxMessageNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OutboxQuery:
    @strawberry.field(
        permission_classes=[IsAdmin],
        description="Every email the CRM has queued or sent, newest first.",
    )
    async def outbox(
        self,
        filter: OutboxFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> OutboxMessageConnection:
        def matching() -> QuerySet[OutboxMessage]:
            return services.outbox_messages(
                filter.status if filter else None, filter.kind if filter else None
            )

        result = await paginate(matching(), _NEWEST_FIRST, PageRequest(first, after, last, before))
        return OutboxMessageConnection(
            edges=[
                OutboxMessageEdge(cursor=cursor, node=OutboxMessageNode.from_model(row))
                for row, cursor in zip(result.items, result.cursors, strict=True)
            ],
            page_info=PageInfo.of(result),
            count=matching().count,
        )


@strawberry.type
class OutboxMutation:
    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Queue a test email to `to` through the configured mail server.",
    )
    async def send_test_email(self, info: Info, input: SendTestEmailInput) -> OutboxMessagePayload:
        try:
            message = await services.queue_test_email(input.to, info.context.settings)
        except InputError as error:
            return OutboxMessagePayload(errors=user_errors(error))
        return OutboxMessagePayload(message=OutboxMessageNode.from_model(message))

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Send a FAILED message again, with a fresh set of attempts.",
    )
    async def retry_outbox_message(self, input: RetryOutboxMessageInput) -> OutboxMessagePayload:
        try:
            message = await services.retry_message(decode_id(input.id, "OutboxMessage", ("id",)))
        except InputError as error:
            return OutboxMessagePayload(errors=user_errors(error))
        return OutboxMessagePayload(message=OutboxMessageNode.from_model(message))
