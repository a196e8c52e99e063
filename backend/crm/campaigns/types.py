"""GraphQL types for campaigns."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from crm.campaigns import models
from crm.campaigns.loaders import RecipientCounts
from crm.campaigns.services import missing_part_names
from crm.core.pagination import PageRequest, SortKey
from crm.graphql.connection import Connection, connection
from crm.graphql.context import Info
from crm.graphql.relay import Node, to_global_id

if TYPE_CHECKING:
    from crm.contacts.types import ContactNode
    from crm.groups.types import GroupNode
    from crm.segments.types import SegmentNode

CampaignStatus = strawberry.enum(models.CampaignStatus)
RecipientStatus = strawberry.enum(models.RecipientStatus)
SkipReason = strawberry.enum(models.SkipReason)
_BY_ID = [SortKey("id")]


@strawberry.type(description="How a campaign's sending went, recipient by recipient.")
class CampaignStats:
    recipients: int = strawberry.field(description="Everyone the audience named.")
    queued: int = strawberry.field(description="Waiting for the mail server.")
    sent: int
    logged: int = strawberry.field(
        description="Written to the server's log, not sent: no mail server is configured."
    )
    failed: int
    skipped: int
    skipped_no_consent: int
    skipped_no_email: int
    skipped_archived: int
    skipped_cancelled: int
    unsubscribed: int = strawberry.field(description="Unsubscribed through this campaign.")


@strawberry.type(description="Who a campaign goes to: its parts.")
class CampaignAudience:
    parts: strawberry.Private[list[models.CampaignPart]]

    @strawberry.field
    async def groups(self) -> list[Annotated[GroupNode, strawberry.lazy("crm.groups.types")]]:
        from crm.groups.models import Group
        from crm.groups.types import GroupNode

        ids = [p.group_id for p in self.parts if p.kind == models.PartKind.GROUP and p.group_id]
        return [
            GroupNode.from_model(row) for row in await Group.filter(id__in=ids).order_by("name_key")
        ]

    @strawberry.field(description="Evaluated when the campaign is sent.")
    async def segments(
        self,
    ) -> list[Annotated[SegmentNode, strawberry.lazy("crm.segments.types")]]:
        from crm.segments.models import Segment
        from crm.segments.types import SegmentNode

        ids = [
            p.segment_id for p in self.parts if p.kind == models.PartKind.SEGMENT and p.segment_id
        ]
        rows = await Segment.filter(id__in=ids).order_by("name_key")
        return [SegmentNode.from_model(row) for row in rows]

    @strawberry.field(description="Chosen one by one or pasted.")
    async def contacts(
        self,
    ) -> list[Annotated[ContactNode, strawberry.lazy("crm.contacts.types")]]:
        from crm.contacts.models import Contact
        from crm.contacts.types import ContactNode

        ids = [p.contact_id for p in self.parts if p.kind == models.PartKind.CONTACT]
        rows = await Contact.filter(id__in=ids).order_by("sort_name", "id")
        return [ContactNode.from_model(row) for row in rows]

    @strawberry.field(description="Groups and segments chosen and deleted since: no one.")
    def missing(self) -> list[str]:
        return missing_part_names(self.parts)


@strawberry.type(name="CampaignRecipient")
class CampaignRecipientNode:
    id: strawberry.ID
    email: str
    status: RecipientStatus
    reason: SkipReason | None = strawberry.field(description="Why a SKIPPED one was skipped.")
    error: str | None = strawberry.field(description="The mail server's answer to a FAILED one.")
    unsubscribed_at: datetime | None
    row: strawberry.Private[models.CampaignRecipient]

    @classmethod
    def from_model(cls, row: models.CampaignRecipient) -> CampaignRecipientNode:
        message = row.message if row.message_id is not None else None
        return cls(
            id=to_global_id("CampaignRecipient", row.id),
            email=row.email,
            status=row.status,
            reason=row.reason,
            error=message.last_error if message is not None else None,
            unsubscribed_at=row.unsubscribed_at,
            row=row,
        )

    @strawberry.field
    def contact(self) -> Annotated[ContactNode, strawberry.lazy("crm.contacts.types")]:
        from crm.contacts.types import ContactNode

        return ContactNode.from_model(self.row.contact)


@strawberry.type(name="Campaign")
class CampaignNode(Node):
    id: strawberry.ID
    name: str
    subject: str
    body: str = strawberry.field(description="Markdown with merge fields such as {{ first_name }}.")
    status: CampaignStatus
    scheduled_at: datetime | None
    sent_at: datetime | None
    created_by: str | None = strawberry.field(description="Who wrote it, by name.")
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[models.Campaign]

    @classmethod
    def from_model(cls, row: models.Campaign) -> CampaignNode:
        author = row.created_by if row.created_by_id is not None else None
        return cls(
            id=to_global_id("Campaign", row.id),
            name=row.name,
            subject=row.subject,
            body=row.body,
            status=row.status,
            scheduled_at=row.scheduled_at,
            sent_at=row.sent_at,
            created_by=(author.name or author.email) if author is not None else None,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @strawberry.field
    async def audience(self) -> CampaignAudience:
        parts = await models.CampaignPart.filter(campaign_id=self.row.id)
        return CampaignAudience(parts=parts)

    @strawberry.field
    async def stats(self, info: Info) -> CampaignStats:
        counts = await info.context.loaders.campaigns.recipient_counts.load(self.row.id)
        return stats_of(counts)

    @strawberry.field(description="Who it went to (or was skipped), by status.")
    async def recipients(
        self,
        status: list[RecipientStatus] | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CampaignRecipientNode]:
        rows = models.CampaignRecipient.filter(campaign_id=self.row.id).select_related(
            "contact", "message"
        )
        if status:
            rows = rows.filter(status__in=status)
        return await connection(
            rows, _BY_ID, PageRequest(first, after), CampaignRecipientNode.from_model
        )


def stats_of(counts: RecipientCounts) -> CampaignStats:
    of = counts.of
    return CampaignStats(
        recipients=counts.total,
        queued=of("QUEUED"),
        sent=of("SENT"),
        logged=of("LOGGED"),
        failed=of("FAILED"),
        skipped=of("SKIPPED"),
        skipped_no_consent=of("SKIPPED", "NO_CONSENT"),
        skipped_no_email=of("SKIPPED", "NO_EMAIL"),
        skipped_archived=of("SKIPPED", "ARCHIVED"),
        skipped_cancelled=of("SKIPPED", "CANCELLED"),
        unsubscribed=counts.unsubscribed,
    )


@strawberry.type(description="Who would receive the campaign if it were sent now.")
class CampaignPreview:
    will_receive: int
    skipped_no_consent: int
    skipped_no_email: int
    skipped_archived: int
    warnings: list[str] = strawberry.field(description="Deleted groups or segments chosen.")


@strawberry.type(description="The email as a recipient would see it.")
class CampaignEmail:
    subject: str
    text: str
    html: str = strawberry.field(description="Sanitised: safe to show in the app.")
