"""GraphQL types for secure messages: one `Message` type for the staff and for its contact."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from crm.core.pagination import PageRequest, SortKey
from crm.graphql.audience import Audience, visible_to
from crm.graphql.connection import Connection, connection
from crm.graphql.context import Info
from crm.graphql.relay import Node, to_global_id
from crm.messages import models, services

NEWEST_FIRST = [SortKey("sent_at", descending=True, is_datetime=True)]


@visible_to(Audience.STAFF_OR_OWNER)
@strawberry.type(
    name="Message",
    description="A secure message between the staff and one portal contact; shown to the "
    "staff and to that contact only.",
)
class MessageNode(Node):
    id: strawberry.ID
    body: str = strawberry.field(description="Plain text; line breaks are the writer's.")
    sent_at: datetime
    from_staff: bool = strawberry.field(description="Written by the staff, else by the contact.")
    author: str = strawberry.field(
        description="Who wrote it: the staff member's name, or the contact's, as it was then."
    )
    read_at: datetime | None = strawberry.field(
        description="When the other side read it: the contact for a staff message, any staff "
        "member for the contact's; null while unread."
    )
    owner_contact_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.SecureMessage) -> MessageNode:
        return cls(
            id=to_global_id("Message", row.id),
            body=row.body,
            sent_at=row.sent_at,
            from_staff=row.from_staff,
            author=row.author_name,
            read_at=row.read_at,
            owner_contact_id=row.contact_id,
        )


async def conversation_page(
    contact_id: int, first: int | None, after: str | None
) -> Connection[MessageNode]:
    """A page of the contact's conversation, newest first."""
    return await connection(
        services.conversation(contact_id),
        NEWEST_FIRST,
        PageRequest(first, after),
        MessageNode.from_model,
    )


def contact_messages_field() -> Any:
    """`Contact.messages`: the conversation with the contact (staff-only, as Contact is)."""

    async def messages(
        root: Any, first: int | None = None, after: str | None = None
    ) -> Connection[MessageNode]:
        return await conversation_page(root.row.id, first, after)

    return strawberry.field(
        resolver=messages,
        description="The secure messages with the contact, both ways, newest first.",
    )


def contact_can_send_field() -> Any:
    """`Contact.canSendMessage`: the rule of `services.message_refusal`, for the app."""

    def can_send_message(root: Any) -> bool:
        return services.message_refusal(root.row) is None

    return strawberry.field(
        resolver=can_send_message,
        description="The staff can message the contact now: invited to the portal or with "
        "portal access, and not archived.",
    )


def contact_unread_count_field() -> Any:
    """`Contact.unreadMessageCount`, batched over a list's rows."""

    async def unread_message_count(root: Any, info: Info) -> int:
        return await info.context.loaders.messages.unread_by_staff.load(root.row.id)

    return strawberry.field(
        resolver=unread_message_count,
        description="The contact's messages no staff member has read yet.",
    )
