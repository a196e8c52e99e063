"""Secure message queries and mutations: thin resolvers over `crm.messages.services`."""

from __future__ import annotations

import strawberry

from crm.contacts.filters import ContactSortField, sort_keys
from crm.contacts.types import ContactNode
from crm.core.pagination import PageRequest
from crm.graphql.audience import Audience, visible_to
from crm.graphql.connection import Connection, connection
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import (
    IsPortalContact,
    IsStaff,
    require_portal_contact,
    require_staff,
)
from crm.graphql.relay import decode_id
from crm.messages import services
from crm.messages.types import MessageNode, conversation_page


@strawberry.input
class SendMessageInput:
    contact_id: strawberry.ID
    body: str = strawberry.field(description="Plain text, at most 20,000 characters.")


@strawberry.type
class SendMessagePayload:
    message: MessageNode | None = None
    contact: ContactNode | None = strawberry.field(
        default=None, description="The contact, its lastContactedAt updated."
    )
    notified: bool = strawberry.field(
        default=False,
        description="Whether this message emailed the contact that a message waits: not the "
        "later messages of a burst (one email a minute at most), nor to a contact without an "
        "email address.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class MarkContactMessagesReadInput:
    contact_id: strawberry.ID
    up_to: strawberry.ID | None = strawberry.field(
        default=None,
        description="The newest message shown: later ones stay unread. All when not given.",
    )


@strawberry.type
class MarkContactMessagesReadPayload:
    contact: ContactNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SendMyMessageInput:
    body: str = strawberry.field(description="Plain text, at most 20,000 characters.")


@visible_to(Audience.PORTAL)
@strawberry.type
class SendMyMessagePayload:
    message: MessageNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class MarkMessagesReadInput:
    up_to: strawberry.ID | None = strawberry.field(
        default=None,
        description="The newest message shown: later ones stay unread. All when not given.",
    )


@visible_to(Audience.PORTAL)
@strawberry.type
class MarkMessagesReadPayload:
    unread_message_count: int = strawberry.field(
        default=0, description="What is left unread (the inbox badge)."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


def _up_to(global_id: strawberry.ID | None) -> int | None:
    return None if global_id is None else decode_id(global_id, "Message", ("upTo",))


@strawberry.type
class MessageQuery:
    @strawberry.field(
        permission_classes=[IsStaff],
        description="Messages from contacts no staff member has read yet, archived contacts left "
        "out (the navigation badge).",
    )
    async def unread_message_count(self) -> int:
        return await services.unread_by_staff_total()

    @strawberry.field(
        permission_classes=[IsStaff],
        description="Contacts (not archived) whose messages no staff member has read yet, by "
        "name: where the navigation's badge leads.",
    )
    async def unread_conversations(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[ContactNode]:
        return await connection(
            services.contacts_with_unread(),
            sort_keys(ContactSortField.NAME, descending=False),
            PageRequest(first, after),
            ContactNode.from_model,
        )

    @strawberry.field(
        permission_classes=[IsPortalContact],
        description="Your conversation with us, newest first. The email telling you of a new "
        "message links to <CRM_PUBLIC_URL>/portal/messages.",
    )
    async def my_messages(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[MessageNode]:
        return await conversation_page(require_portal_contact(info).id, first, after)

    @strawberry.field(
        permission_classes=[IsPortalContact],
        description="Our messages you have not read yet (the inbox badge).",
    )
    async def my_unread_message_count(self, info: Info) -> int:
        return await services.unread_by_contact(require_portal_contact(info).id)


@strawberry.type
class MessageMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def send_message(self, info: Info, input: SendMessageInput) -> SendMessagePayload:
        contact_id = decode_id(input.contact_id, "Contact", ("contactId",))
        sent = await services.send_message(contact_id, input.body, require_staff(info))
        contact = await services.contact_of(sent.message)
        return SendMessagePayload(
            message=MessageNode.from_model(sent.message),
            contact=ContactNode.from_model(contact),
            notified=sent.notified,
        )

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Mark the contact's messages read by the staff.",
    )
    @reports_input_errors
    async def mark_contact_messages_read(
        self, info: Info, input: MarkContactMessagesReadInput
    ) -> MarkContactMessagesReadPayload:
        contact_id = decode_id(input.contact_id, "Contact", ("contactId",))
        contact = await services.mark_read_by_staff(contact_id, _up_to(input.up_to))
        return MarkContactMessagesReadPayload(contact=ContactNode.from_model(contact))

    @strawberry.mutation(
        permission_classes=[IsPortalContact],
        description="Send us a secure message (plain text, at most 20,000 characters).",
    )
    @reports_input_errors
    async def send_my_message(self, info: Info, input: SendMyMessageInput) -> SendMyMessagePayload:
        message = await services.send_my_message(require_portal_contact(info), input.body)
        return SendMyMessagePayload(message=MessageNode.from_model(message))

    @strawberry.mutation(
        permission_classes=[IsPortalContact],
        description="Mark our messages to you read.",
    )
    @reports_input_errors
    async def mark_messages_read(
        self, info: Info, input: MarkMessagesReadInput
    ) -> MarkMessagesReadPayload:
        contact = require_portal_contact(info)
        await services.mark_read_by_contact(contact, _up_to(input.up_to))
        return MarkMessagesReadPayload(
            unread_message_count=await services.unread_by_contact(contact.id)
        )
