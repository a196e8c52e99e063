"""GraphQL types for contacts. Plain fields, built once per row; relations go through loaders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry

from crm.avatars.services import LARGE, SMALL, avatar_url
from crm.contacts import models
from crm.contacts.filters import ContactSortField
from crm.contacts.loaders import PhoneRow
from crm.core.models import AddressFields
from crm.core.rows import Row
from crm.duplicates.types import contact_duplicates_field
from crm.graphql.audience import Audience, visible_to
from crm.graphql.context import Info, Loaders
from crm.graphql.relay import Node, SortDirection, to_global_id
from crm.messages.types import (
    contact_can_send_field,
    contact_messages_field,
    contact_unread_count_field,
)
from crm.staff.owner_field import owner_field
from crm.tasks.types import contact_tasks_field
from crm.timeline.types import contact_scope, timeline_field

if TYPE_CHECKING:
    from crm.companies.models import Company
    from crm.companies.types import CompanyNode
    from crm.groups.types import GroupNode
    from crm.portal.types import InvitationNode
    from crm.products.types import ProductNode

Title = strawberry.enum(models.Title)
ContactType = strawberry.enum(models.ContactType)
ContactStatus = strawberry.enum(models.ContactStatus)
PortalStatus = strawberry.enum(models.PortalStatus)
PhoneType = strawberry.enum(models.PhoneType)
Channel = strawberry.enum(models.Channel, name="CommunicationChannel")
ConsentSource = strawberry.enum(models.ConsentSource)
ContactOrderField = strawberry.enum(ContactSortField, name="ContactOrderField")


@visible_to(Audience.SIGNED_IN)
@strawberry.type
class Phone:
    id: strawberry.ID
    type: PhoneType
    number: str = strawberry.field(description="E.164, e.g. +442079460018")
    national: str
    international: str
    country: str = strawberry.field(description="ISO 3166 country of the number")
    is_primary: bool

    @classmethod
    def from_model(cls, phone: models.PhoneNumber | PhoneRow) -> Phone:
        return cls(
            id=to_global_id("Phone", phone.id),
            type=phone.type,
            number=phone.e164,
            national=phone.national,
            international=phone.international,
            country=phone.country,
            is_primary=phone.is_primary,
        )


@visible_to(Audience.SIGNED_IN)
@strawberry.type
class Address:
    line1: str | None
    line2: str | None
    city: str | None
    region: str | None
    postal_code: str | None
    country: str | None

    @classmethod
    def of(cls, row: AddressFields) -> Address | None:
        parts = {
            "line1": row.address_line1,
            "line2": row.address_line2,
            "city": row.city,
            "region": row.region,
            "postal_code": row.postal_code,
            "country": row.country,
        }
        return cls(**parts) if any(parts.values()) else None


@visible_to(Audience.SIGNED_IN)
@strawberry.type(description="Consent for one channel: when it was given or withdrawn, and how.")
class Consent:
    channel: Channel
    granted: bool
    changed_at: datetime | None
    source: ConsentSource | None


@visible_to(Audience.SIGNED_IN)
@strawberry.type
class CommunicationPreferences:
    email: bool
    sms: bool
    phone: bool
    post: bool
    consents: list[Consent]


@strawberry.type
class PortalAccess:
    status: PortalStatus
    invited_at: datetime | None
    last_invited_at: datetime | None
    activated_at: datetime | None
    last_login_at: datetime | None
    can_send_invite: bool = strawberry.field(description="An invitation can be sent now.")
    can_resend_invite: bool
    contact_id: strawberry.Private[int]

    @classmethod
    def of(cls, row: models.Contact) -> PortalAccess:
        from crm.portal.services import resend_refusal, send_refusal

        return cls(
            status=row.portal_status,
            invited_at=row.portal_invited_at,
            last_invited_at=row.portal_last_invited_at,
            activated_at=row.portal_activated_at,
            last_login_at=row.portal_last_login_at,
            can_send_invite=send_refusal(row) is None,
            can_resend_invite=resend_refusal(row) is None,
            contact_id=row.id,
        )

    @strawberry.field(description="The newest invitation, with its delivery status.")
    async def latest_invitation(
        self, info: Info
    ) -> Annotated[InvitationNode, strawberry.lazy("crm.portal.types")] | None:
        from crm.portal.types import InvitationNode

        invitations = await info.context.loaders.portal.invitations.load(self.contact_id)
        return InvitationNode.from_model(invitations[0]) if invitations else None


def preferences_of(row: models.Contact) -> CommunicationPreferences:
    consents = [
        Consent(
            channel=channel,
            granted=getattr(row, f"{channel.value.lower()}_opt_in"),
            changed_at=getattr(row, f"{channel.value.lower()}_opt_in_at"),
            source=getattr(row, f"{channel.value.lower()}_opt_in_source"),
        )
        for channel in models.Channel
    ]
    return CommunicationPreferences(
        email=row.email_opt_in,
        sms=row.sms_opt_in,
        phone=row.phone_opt_in,
        post=row.post_opt_in,
        consents=consents,
    )


def _node_preferences(root: ContactNode) -> CommunicationPreferences:
    return preferences_of(root.row)


def _node_portal(root: ContactNode) -> PortalAccess:
    return PortalAccess.of(root.row)


class ContactRow(Row):
    """A contact read as plain values (see `crm.core.rows`)."""

    full_name = models.Contact.full_name
    archived = models.Contact.archived


ADDRESS_COLUMNS = ("address_line1", "address_line2", "city", "region", "postal_code", "country")
# The columns each field of `Contact` reads (`crm.core.rows.columns_for`); `company_id` for
# the relations' keys.
CONTACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (),
    "title": ("title",),
    "firstName": ("first_name",),
    "lastName": ("last_name",),
    "fullName": ("first_name", "last_name"),
    "type": ("type",),
    "status": ("status",),
    "email": ("email",),
    "jobTitle": ("job_title",),
    "address": ADDRESS_COLUMNS,
    "isPrimaryContact": ("is_primary_contact",),
    "preferences": tuple(
        f"{channel.value.lower()}_opt_in{suffix}"
        for channel in models.Channel
        for suffix in ("", "_at", "_source")
    ),
    "portal": (
        "portal_status",
        "portal_invited_at",
        "portal_last_invited_at",
        "portal_activated_at",
        "portal_last_login_at",
        # whether an invitation can be sent: see crm.portal.services.invite_refusal
        "archived_at",
        "type",
        "email",
    ),
    "archived": ("archived_at",),
    "createdAt": ("created_at",),
    "updatedAt": ("updated_at",),
    "lastContactedAt": ("last_contacted_at",),
    "avatarUrl": ("avatar_version",),
    "avatarThumbnailUrl": ("avatar_version",),
    "phones": (),
    "invitations": (),
    "groups": (),
    "products": (),
    "company": ("company_id",),
    "timeline": (),
    "messages": (),
    "unreadMessageCount": (),
    # whether a message can be sent: see crm.messages.services.message_refusal
    "canSendMessage": ("portal_status", "archived_at"),
    "duplicates": (),
    "tasks": (),
    "owner": ("owner_id",),
}


@dataclass
class Preloaded:
    """Relations a list fetched for its whole page, so its rows resolve them without waiting;
    None: not fetched, the resolver loads it (batched with the other rows)."""

    phones: list[Phone] | None = None
    groups: list[GroupNode] | None = None
    company: CompanyNode | None = None
    has_company: bool = False


@strawberry.type(name="Contact")
class ContactNode(Node):
    id: strawberry.ID
    title: Title | None
    first_name: str
    last_name: str
    full_name: str
    type: ContactType
    status: ContactStatus
    email: str | None
    job_title: str | None
    address: Address | None
    is_primary_contact: bool
    # Built only when asked for: lists seldom show them and they cost on every row.
    preferences: CommunicationPreferences = strawberry.field(resolver=_node_preferences)
    portal: PortalAccess = strawberry.field(resolver=_node_portal)
    archived: bool
    created_at: datetime
    updated_at: datetime
    last_contacted_at: datetime | None
    row: strawberry.Private[models.Contact | ContactRow]
    preloaded: strawberry.Private[Preloaded | None] = None

    @classmethod
    def from_model(
        cls, row: models.Contact | ContactRow, preloaded: Preloaded | None = None
    ) -> ContactNode:
        return cls(
            id=to_global_id("Contact", row.id),
            title=row.title,
            first_name=row.first_name,
            last_name=row.last_name,
            full_name=row.full_name,
            type=row.type,
            status=row.status,
            email=row.email,
            job_title=row.job_title,
            address=Address.of(row),
            is_primary_contact=row.is_primary_contact,
            archived=row.archived,
            created_at=row.created_at,
            updated_at=row.updated_at,
            last_contacted_at=row.last_contacted_at,
            row=row,
            preloaded=preloaded,
        )

    @strawberry.field(description="The products and services the contact uses, by name.")
    async def products(
        self, info: Info
    ) -> list[Annotated[ProductNode, strawberry.lazy("crm.products.types")]]:
        from crm.products.types import ProductNode

        rows = await info.context.loaders.products.of_contact.load(self.row.id)
        return [ProductNode.from_model(row) for row in rows]

    @strawberry.field(description="The contact's avatar, 256 px square; null when none.")
    def avatar_url(self) -> str | None:
        return avatar_url(self.row.id, self.row.avatar_version, LARGE)

    @strawberry.field(description="The contact's avatar, 64 px square, for lists.")
    def avatar_thumbnail_url(self) -> str | None:
        return avatar_url(self.row.id, self.row.avatar_version, SMALL)

    # Relations: sync resolvers that answer from `preloaded` on a list (no awaitable, so the
    # executor completes the page without a task per row) and otherwise return the loader's
    # awaitable, which the executor awaits.
    @strawberry.field
    def phones(self, info: Info) -> list[Phone]:
        if self.preloaded is not None and self.preloaded.phones is not None:
            return self.preloaded.phones
        return cast("list[Phone]", self._load_phones(info))

    async def _load_phones(self, info: Info) -> list[Phone]:
        phones = await info.context.loaders.contacts.phones.load(self.row.id)
        return [Phone.from_model(phone) for phone in phones]

    timeline = timeline_field(
        contact_scope, on_company=False, description="What happened to the contact, newest first."
    )

    messages = contact_messages_field()
    unread_message_count = contact_unread_count_field()
    can_send_message = contact_can_send_field()
    duplicates = contact_duplicates_field()
    tasks = contact_tasks_field()
    owner = owner_field()

    @strawberry.field(description="Every invitation sent to the contact, newest first.")
    async def invitations(
        self, info: Info
    ) -> list[Annotated[InvitationNode, strawberry.lazy("crm.portal.types")]]:
        from crm.portal.types import InvitationNode

        rows = await info.context.loaders.portal.invitations.load(self.row.id)
        return [InvitationNode.from_model(row) for row in rows]

    @strawberry.field(description="The groups the contact belongs to, by name.")
    def groups(self, info: Info) -> list[Annotated[GroupNode, strawberry.lazy("crm.groups.types")]]:
        if self.preloaded is not None and self.preloaded.groups is not None:
            return self.preloaded.groups
        return cast("list[GroupNode]", self._load_groups(info))

    async def _load_groups(self, info: Info) -> list[GroupNode]:
        from crm.groups.types import GroupNode

        groups = await info.context.loaders.groups.of_contact.load(self.row.id)
        return [GroupNode.from_model(group) for group in groups]

    @strawberry.field
    def company(
        self, info: Info
    ) -> Annotated[CompanyNode, strawberry.lazy("crm.companies.types")] | None:
        if self.row.company_id is None:
            return None
        if self.preloaded is not None and self.preloaded.has_company:
            return self.preloaded.company
        return cast("CompanyNode | None", self._load_company(info, self.row.company_id))

    async def _load_company(self, info: Info, company_id: int) -> CompanyNode | None:
        from crm.companies.types import CompanyNode

        company = await info.context.loaders.companies.by_id.load(company_id)
        return CompanyNode.from_model(company) if company is not None else None


async def preload(
    rows: list[ContactRow] | list[models.Contact],
    wanted: set[str],
    loaders: Loaders,
    *,
    companies: list[Row | Company | None] | None = None,
    phones: list[list[PhoneRow]] | None = None,
    groups: list[list[Row]] | None = None,
) -> list[Preloaded]:
    """The relations `wanted` (node field names) of a page of contacts, for the whole page:
    as the page's own query read them (`companies`, `phones`, `groups`), else one batch each
    through the loaders."""
    from crm.companies.types import CompanyNode
    from crm.groups.types import GroupNode

    preloaded = [Preloaded() for _ in rows]
    ids = [row.id for row in rows]
    if "phones" in wanted:
        phones = phones if phones is not None else await loaders.contacts.phones.load_many(ids)
        for entry, numbers in zip(preloaded, phones, strict=True):
            entry.phones = [Phone.from_model(phone) for phone in numbers]
    if "groups" in wanted:
        groups = groups if groups is not None else await loaders.groups.of_contact.load_many(ids)
        group_nodes: dict[int, GroupNode] = {}
        for entry, memberships in zip(preloaded, groups, strict=True):
            entry.groups = [
                group_nodes.get(group.id)
                or group_nodes.setdefault(group.id, GroupNode.from_model(group))  # type: ignore[arg-type]
                for group in memberships
            ]
    if "company" in wanted:
        if companies is None:
            company_ids = [row.company_id for row in rows if row.company_id is not None]
            found = dict(
                zip(company_ids, await loaders.companies.by_id.load_many(company_ids), strict=True)
            )
            companies = [found.get(row.company_id) if row.company_id else None for row in rows]
        company_nodes: dict[int, CompanyNode] = {}
        for entry, company in zip(preloaded, companies, strict=True):
            entry.has_company = True
            if company is not None:
                entry.company = company_nodes.get(company.id) or company_nodes.setdefault(
                    company.id,
                    CompanyNode.from_model(company),  # type: ignore[arg-type]
                )
    return preloaded


@strawberry.input(description="Both ends optional; `from` is included, `to` is not.")
class DateTimeRange:
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None


@strawberry.input(description="Per channel: true = consent given, false = not given.")
class ConsentFilter:
    email: bool | None = None
    sms: bool | None = None
    phone: bool | None = None
    post: bool | None = None


@strawberry.input
class ContactFilter:
    type: list[ContactType] | None = None
    status: list[ContactStatus] | None = None
    company_id: strawberry.ID | None = None
    group_id: strawberry.ID | None = None
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Contacts that use this product."
    )
    portal_status: list[PortalStatus] | None = None
    archived: bool | None = strawberry.field(
        default=False, description="false (default): active only; true: archived only; null: all"
    )
    country: str | None = None
    city: str | None = None
    industry: str | None = strawberry.field(default=None, description="Of the contact's company.")
    has_email: bool | None = None
    consent: ConsentFilter | None = None
    created_at: DateTimeRange | None = None
    last_contacted_at: DateTimeRange | None = None
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Contacts this staff user owns (pass your own id: mine)."
    )
    has_owner: bool | None = strawberry.field(
        default=None, description="false: contacts nobody owns; true: contacts someone owns."
    )


@strawberry.input
class ContactOrder:
    field: ContactOrderField = ContactSortField.NAME
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class PhoneInput:
    number: str
    country: str | None = strawberry.field(
        default=None, description="ISO country used when the number has no +prefix"
    )
    type: PhoneType = models.PhoneType.MOBILE
    is_primary: bool = False


@strawberry.input
class AddressInput:
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


@strawberry.input(description="Leave a channel out to let the automatic rules decide it.")
class PreferencesInput:
    email: bool | None = strawberry.UNSET
    sms: bool | None = strawberry.UNSET
    phone: bool | None = strawberry.UNSET
    post: bool | None = strawberry.UNSET


@strawberry.input
class CreateContactInput:
    title: Title | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    type: ContactType | None = strawberry.field(default=None, description="LEAD when not given.")
    status: ContactStatus | None = strawberry.field(default=None, description="NEW when not given.")
    job_title: str | None = None
    company_id: strawberry.ID | None = None
    phones: list[PhoneInput] | None = None
    address: AddressInput | None = None
    preferences: PreferencesInput | None = None
    product_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The products and services the contact uses."
    )
    send_invite: bool | None = strawberry.field(
        default=None,
        description="Invite to the portal. Default: yes when the contact can be invited "
        "(a prospect or client with an email); true for another contact is NOT_ALLOWED.",
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="An active or invited staff user; null: nobody. Left out: whoever creates it.",
    )


@strawberry.input(description="Only the fields given change; null clears a field.")
class UpdateContactInput:
    id: strawberry.ID
    title: Title | None = strawberry.UNSET
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    type: ContactType | None = strawberry.UNSET
    status: ContactStatus | None = strawberry.UNSET
    job_title: str | None = strawberry.UNSET
    company_id: strawberry.ID | None = strawberry.UNSET
    phones: list[PhoneInput] | None = strawberry.UNSET
    address: AddressInput | None = strawberry.UNSET
    preferences: PreferencesInput | None = strawberry.UNSET
    product_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the contact's products."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="An active or invited staff user; null: nobody. A contact keeps a "
        "deactivated owner until given another.",
    )
