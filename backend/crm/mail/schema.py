"""Outbox queries and mutations (administrators only): thin resolvers over the services."""

from __future__ import annotations

import strawberry

from crm.core.pagination import PageRequest, SortKey
from crm.graphql.connection import Connection, connection
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsAdmin
from crm.graphql.relay import decode_id
from crm.mail import services
from crm.mail.types import (
    OutboxFilter,
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
    ) -> Connection[OutboxMessageNode]:
        return await connection(
            services.outbox_messages(
                filter.status if filter else None, filter.kind if filter else None
            ),
            _NEWEST_FIRST,
            PageRequest(first, after, last, before),
            OutboxMessageNode.from_model,
        )


@strawberry.type
class OutboxMutation:
    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Queue a test email to `to` through the configured mail server.",
    )
    @reports_input_errors
    async def send_test_email(self, info: Info, input: SendTestEmailInput) -> OutboxMessagePayload:
        message = await services.queue_test_email(input.to, info.context.settings)
        return OutboxMessagePayload(message=OutboxMessageNode.from_model(message))

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Send a FAILED message again, with a fresh set of attempts.",
    )
    @reports_input_errors
    async def retry_outbox_message(self, input: RetryOutboxMessageInput) -> OutboxMessagePayload:
        message = await services.retry_message(decode_id(input.id, "OutboxMessage", ("id",)))
        return OutboxMessagePayload(message=OutboxMessageNode.from_model(message))
