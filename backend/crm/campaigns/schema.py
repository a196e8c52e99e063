"""Campaign queries and mutations: thin resolvers over `crm.campaigns.services`."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crm.campaigns import delivery, pasted, services
from crm.campaigns.models import Campaign
from crm.campaigns.types import CampaignEmail, CampaignNode, CampaignPreview
from crm.core.errors import InputError
from crm.core.pagination import SortKey
from crm.graphql.connection import searchable_list_field
from crm.graphql.context import Info
from crm.graphql.errors import UserError, user_errors
from crm.graphql.inputs import given_fields
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff, require_staff
from crm.graphql.relay import decode_id, node_field, optional_pk, pk_of
from crm.search.names import with_name_words

_NEWEST_FIRST = [SortKey("created_at", descending=True, is_datetime=True)]


@strawberry.input
class CreateCampaignInput:
    name: str
    subject: str | None = None
    body: str | None = strawberry.field(
        default=None, description="Markdown; merge fields such as {{ first_name }}."
    )


@strawberry.input(description="Only the fields given change; drafts only.")
class UpdateCampaignInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    subject: str | None = strawberry.UNSET
    body: str | None = strawberry.UNSET


@strawberry.input
class CampaignIdInput:
    id: strawberry.ID


@strawberry.input(description="Each list given replaces the parts of its kind.")
class SetCampaignAudienceInput:
    campaign_id: strawberry.ID
    group_ids: list[strawberry.ID] | None = None
    segment_ids: list[strawberry.ID] | None = None
    contact_ids: list[strawberry.ID] | None = None


@strawberry.input(description="Lines of `email, first name, last name` (comma, semicolon or tab).")
class AddPastedRecipientsInput:
    campaign_id: strawberry.ID
    text: str
    consented: bool = strawberry.field(
        default=False,
        description="These people agreed to receive email: new contacts get email consent.",
    )


@strawberry.input
class SendCampaignInput:
    campaign_id: strawberry.ID
    scheduled_at: datetime | None = strawberry.field(default=None, description="Now if absent.")


@strawberry.input
class CancelCampaignInput:
    campaign_id: strawberry.ID


@strawberry.input
class SendCampaignTestInput:
    campaign_id: strawberry.ID
    to: str
    contact_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose merge fields to use (blank fields when absent)."
    )


@strawberry.type
class CampaignPayload:
    campaign: CampaignNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteCampaignPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PastedRecipientsPayload:
    campaign: CampaignNode | None = None
    created: int = 0
    matched: int = 0
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="One per bad line: field [input, text, <line>]."
    )


def _campaign(row: Campaign) -> CampaignNode:
    return CampaignNode.from_model(row)


def _pks(ids: list[strawberry.ID] | None, type_name: str) -> list[int] | None:
    return None if ids is None else [pk_of(id, type_name) for id in ids]


@strawberry.type
class CampaignQuery:
    campaigns = searchable_list_field(
        CampaignNode,
        lambda search: with_name_words(Campaign.all().select_related("created_by"), search),
        _NEWEST_FIRST,
        [IsStaff],
    )
    campaign = node_field(CampaignNode, Campaign, [IsStaff], related=("created_by",))

    @strawberry.field(permission_classes=[IsStaff])
    async def campaign_preview(self, id: strawberry.ID) -> CampaignPreview:
        counts = await services.audience_counts(decode_id(id, "Campaign", ("id",)))
        return CampaignPreview(
            will_receive=counts.will_receive,
            skipped_no_consent=counts.skipped_no_consent,
            skipped_no_email=counts.skipped_no_email,
            skipped_archived=counts.skipped_archived,
            warnings=counts.missing_parts,
        )

    @strawberry.field(
        permission_classes=[IsStaff],
        description="The email as this contact would receive it, from a subject and body "
        "being written (or the campaign's own).",
    )
    async def campaign_email(
        self,
        subject: str,
        body: str,
        contact_id: strawberry.ID | None = None,
    ) -> CampaignEmail:
        subject_text, text, html = await delivery.preview(
            subject, body, optional_pk(contact_id, "Contact")
        )
        return CampaignEmail(subject=subject_text, text=text, html=html)


@strawberry.type
class CampaignMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def create_campaign(self, info: Info, input: CreateCampaignInput) -> CampaignPayload:
        changes = services.CampaignChanges(**given_fields(input, ("name", "subject", "body")))
        return CampaignPayload(
            campaign=_campaign(await services.create_campaign(changes, require_staff(info)))
        )

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def update_campaign(self, input: UpdateCampaignInput) -> CampaignPayload:
        changes = services.CampaignChanges(**given_fields(input, ("name", "subject", "body")))
        campaign_id = decode_id(input.id, "Campaign", ("id",))
        return CampaignPayload(
            campaign=_campaign(await services.update_campaign(campaign_id, changes))
        )

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def delete_campaign(self, input: CampaignIdInput) -> DeleteCampaignPayload:
        await services.delete_campaign(decode_id(input.id, "Campaign", ("id",)))
        return DeleteCampaignPayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def set_campaign_audience(self, input: SetCampaignAudienceInput) -> CampaignPayload:
        campaign = await services.set_audience(
            decode_id(input.campaign_id, "Campaign", ("campaignId",)),
            group_ids=_pks(input.group_ids, "Group"),
            segment_ids=_pks(input.segment_ids, "Segment"),
            contact_ids=_pks(input.contact_ids, "Contact"),
        )
        return CampaignPayload(campaign=_campaign(campaign))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def add_pasted_recipients(
        self, info: Info, input: AddPastedRecipientsInput
    ) -> PastedRecipientsPayload:
        campaign_id = decode_id(input.campaign_id, "Campaign", ("campaignId",))
        result = await pasted.add_pasted_recipients(
            campaign_id, input.text, info.context.actor, consented=input.consented
        )
        return PastedRecipientsPayload(
            campaign=_campaign(await services.get_campaign(campaign_id)),
            created=result.created,
            matched=result.matched,
            errors=user_errors(InputError(result.errors)) if result.errors else [],
        )

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def send_campaign_test(self, input: SendCampaignTestInput) -> CampaignPayload:
        campaign_id = decode_id(input.campaign_id, "Campaign", ("campaignId",))
        await delivery.send_test(campaign_id, input.to, optional_pk(input.contact_id, "Contact"))
        return CampaignPayload(campaign=_campaign(await services.get_campaign(campaign_id)))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def send_campaign(self, input: SendCampaignInput) -> CampaignPayload:
        campaign_id = decode_id(input.campaign_id, "Campaign", ("campaignId",))
        campaign = await services.send_campaign(campaign_id, input.scheduled_at)
        return CampaignPayload(campaign=_campaign(campaign))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def cancel_campaign(self, input: CancelCampaignInput) -> CampaignPayload:
        campaign_id = decode_id(input.campaign_id, "Campaign", ("campaignId",))
        return CampaignPayload(campaign=_campaign(await services.cancel_campaign(campaign_id)))
