"""GraphQL types for invitations and the portal."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from crm.avatars.services import LARGE, avatar_url
from crm.contacts import models as contact_models
from crm.contacts.types import Address, CommunicationPreferences, Phone, Title, preferences_of
from crm.graphql.audience import Audience, visible_to
from crm.graphql.context import Info
from crm.graphql.relay import Node, to_global_id
from crm.portal import models

if TYPE_CHECKING:
    from crm.contacts.types import ContactNode

InvitationStatus = strawberry.enum(models.InvitationStatus)


@strawberry.enum(
    description="QUEUED: waiting to be sent; SENT: accepted by the mail server; FAILED: "
    "refused or out of attempts (see deliveryError); LOGGED: not sent, as no mail server is "
    "configured: the email, link included, was written to the server's log."
)
class DeliveryStatus(Enum):
    QUEUED = "QUEUED"
    SENT = "SENT"
    FAILED = "FAILED"
    LOGGED = "LOGGED"


def shown_status(row: models.Invitation) -> models.InvitationStatus:
    if row.status == models.InvitationStatus.PENDING and row.expires_at <= datetime.now(UTC):
        return models.InvitationStatus.EXPIRED
    return row.status


def delivery_status(row: models.Invitation) -> DeliveryStatus:
    message = row.message if row.message_id is not None else None
    if message is None:
        # The outbox row is gone (only when mail history is purged): it was handled.
        return DeliveryStatus.SENT
    return {
        "SENT": DeliveryStatus.SENT,
        "FAILED": DeliveryStatus.FAILED,
        "LOGGED": DeliveryStatus.LOGGED,
    }.get(str(message.status), DeliveryStatus.QUEUED)


@strawberry.type(name="Invitation")
class InvitationNode(Node):
    id: strawberry.ID
    status: InvitationStatus
    email: str
    sent_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    ended_at: datetime | None
    delivery_status: DeliveryStatus
    delivery_error: str | None = strawberry.field(description="The mail server's last answer.")
    row: strawberry.Private[models.Invitation]

    @classmethod
    def from_model(cls, row: models.Invitation) -> InvitationNode:
        message = row.message if row.message_id is not None else None
        return cls(
            id=to_global_id("Invitation", row.id),
            status=shown_status(row),
            email=row.email,
            sent_at=row.sent_at,
            expires_at=row.expires_at,
            accepted_at=row.accepted_at,
            ended_at=row.ended_at,
            delivery_status=delivery_status(row),
            delivery_error=message.last_error if message is not None else None,
            row=row,
        )

    @strawberry.field
    async def contact(
        self, info: Info
    ) -> Annotated[ContactNode, strawberry.lazy("crm.contacts.types")] | None:
        from crm.contacts.types import ContactNode

        contact = await info.context.loaders.contacts.by_id.load(self.row.contact_id)
        return ContactNode.from_model(contact) if contact is not None else None


@strawberry.input
class InvitationFilter:
    status: list[InvitationStatus] | None = None
    delivery_status: list[DeliveryStatus] | None = None
    contact_id: strawberry.ID | None = None


@visible_to(Audience.PORTAL)
@strawberry.type(
    description="A portal contact's own details, as the portal shows them: never the staff's "
    "view of a contact (no notes, groups, colleagues or internal fields)."
)
class PortalContact:
    id: strawberry.ID
    title: Title | None
    first_name: str
    last_name: str
    full_name: str
    email: str | None
    job_title: str | None
    address: Address | None
    owner_contact_id: strawberry.Private[int]
    row: strawberry.Private[contact_models.Contact]

    @classmethod
    def from_model(cls, row: contact_models.Contact) -> PortalContact:
        return cls(
            id=to_global_id("Contact", row.id),
            title=row.title,
            first_name=row.first_name,
            last_name=row.last_name,
            full_name=row.full_name,
            email=row.email,
            job_title=row.job_title,
            address=Address.of(row),
            owner_contact_id=row.id,
            row=row,
        )

    @strawberry.field
    async def phones(self, info: Info) -> list[Phone]:
        phones = await info.context.loaders.contacts.phones.load(self.row.id)
        return [Phone.from_model(phone) for phone in phones]

    @strawberry.field(
        description="Your avatar, 256 px square; null when none. Upload with POST "
        "/avatars/contacts/<id>, remove with removeMyAvatar."
    )
    def avatar_url(self) -> str | None:
        return avatar_url(self.row.id, self.row.avatar_version, LARGE)

    @strawberry.field
    def preferences(self) -> CommunicationPreferences:
        return preferences_of(self.row)

    @strawberry.field(description="The name of the contact's company, if any.")
    async def company_name(self, info: Info) -> str | None:
        if self.row.company_id is None:
            return None
        company = await info.context.loaders.companies.by_id.load(self.row.company_id)
        return company.name if company is not None else None


@visible_to(Audience.PORTAL)
@strawberry.type(description="A contact signed in to the client portal.")
class PortalUser:
    id: strawberry.ID
    email: str
    contact: PortalContact
    last_login_at: datetime | None
    owner_contact_id: strawberry.Private[int]

    @classmethod
    def of(cls, contact: contact_models.Contact) -> PortalUser:
        return cls(
            id=to_global_id("PortalUser", contact.id),
            email=contact.email or "",
            contact=PortalContact.from_model(contact),
            last_login_at=contact.portal_last_login_at,
            owner_contact_id=contact.id,
        )
