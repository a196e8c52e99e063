"""The rules for campaigns: writing one, choosing its audience, who receives it, sending.

A campaign is written as a DRAFT: its subject and body are checked when saved (see
`crm.campaigns.templates`). Its audience is parts: groups, segments (evaluated when it is
sent), single contacts, and pasted lines matched to contacts or made into new ones. It goes to
every contact the parts name that has an email, is not archived and gave EMAIL consent, each
address once; the others are counted as skipped. `send_campaign` schedules it; the campaign
runner (`crm.campaigns.sending`) queues a message per recipient in the outbox.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from crm.campaigns.models import (
    Campaign,
    CampaignPart,
    CampaignRecipient,
    CampaignStatus,
    PartKind,
    RecipientStatus,
)
from crm.campaigns.templates import TemplateProblem, compile_email
from crm.contacts.filters import filtered_contacts
from crm.contacts.models import Contact
from crm.core.errors import ErrorCode, ErrorCollector, FieldError, InputError
from crm.core.inputs import UNSET, Maybe, is_set
from crm.core.text import fold
from crm.core.validation import text_field
from crm.groups.models import Group, GroupMembership
from crm.segments.models import Segment
from crm.segments.services import spec_from_json
from crm.staff.models import StaffUser

MAX_NAME = 200
MAX_SUBJECT = 500
MAX_BODY = 100_000
EDITABLE = (CampaignStatus.DRAFT,)


@dataclass
class CampaignChanges:
    name: Maybe[str | None] = UNSET
    subject: Maybe[str | None] = UNSET
    body: Maybe[str | None] = UNSET


def now() -> datetime:
    return datetime.now(UTC)


async def get_campaign(campaign_id: int, field: str = "id") -> Campaign:
    campaign = await Campaign.get_or_none(id=campaign_id).select_related("created_by")
    if campaign is None:
        raise InputError.single((field,), "No campaign has this id", ErrorCode.NOT_FOUND)
    return campaign


def _apply(campaign: Campaign, changes: CampaignChanges, errors: ErrorCollector) -> None:
    if is_set(changes.name):
        name = text_field(
            changes.name, ("name",), errors, label="Name", max_length=MAX_NAME, required=True
        )
        if name is not None:
            campaign.name = name
            campaign.name_key = fold(name)
    if is_set(changes.subject):
        subject = text_field(
            changes.subject, ("subject",), errors, label="Subject", max_length=MAX_SUBJECT
        )
        campaign.subject = subject or ""
        _check_template(campaign.subject, ("subject",), errors)
    if is_set(changes.body):
        body = (changes.body or "").replace("\r\n", "\n")
        if len(body) > MAX_BODY:
            errors.add(
                ("body",), f"The text must be at most {MAX_BODY:,} characters", ErrorCode.INVALID
            )
        else:
            campaign.body = body
            _check_template(body, ("body",), errors)


def _check_template(source: str, path: tuple[str, ...], errors: ErrorCollector) -> None:
    try:
        compile_email(source, "") if path == ("subject",) else compile_email("", source)
    except TemplateProblem as problem:
        errors.add(path, str(problem), ErrorCode.INVALID)


async def create_campaign(changes: CampaignChanges, author: StaffUser | None) -> Campaign:
    campaign = Campaign(name="", created_by=author)
    if not is_set(changes.name):
        changes.name = None
    errors = ErrorCollector()
    _apply(campaign, changes, errors)
    errors.raise_if_any()
    await campaign.save()
    return campaign


def _not_editable(field: str) -> InputError:
    return InputError.single(
        (field,),
        "Only a draft can be changed: this campaign has been sent or scheduled",
        ErrorCode.NOT_ALLOWED,
    )


async def _editable(campaign_id: int, field: str = "id") -> Campaign:
    campaign = await get_campaign(campaign_id, field)
    if campaign.status not in EDITABLE:
        raise _not_editable(field)
    return campaign


async def update_campaign(campaign_id: int, changes: CampaignChanges) -> Campaign:
    campaign = await _editable(campaign_id)
    errors = ErrorCollector()
    _apply(campaign, changes, errors)
    errors.raise_if_any()
    # Its text only, and only while it is a draft: a send that came in meanwhile stands.
    saved = await Campaign.filter(id=campaign.id, status__in=EDITABLE).update(
        name=campaign.name,
        name_key=campaign.name_key,
        subject=campaign.subject,
        body=campaign.body,
        updated_at=now(),
    )
    if not saved:
        raise _not_editable("id")
    return await get_campaign(campaign.id)


async def delete_campaign(campaign_id: int) -> None:
    """A draft or a cancelled campaign can be deleted; a sent one stays, as a record, and so
    does a cancelled one that reached anyone: the unsubscribe links in their emails name its
    recipients."""
    campaign = await get_campaign(campaign_id)
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.CANCELLED):
        raise InputError.single(
            ("id",), "Only a draft or a cancelled campaign can be deleted", ErrorCode.NOT_ALLOWED
        )
    reached = CampaignRecipient.filter(campaign_id=campaign.id).exclude(
        status__in=[RecipientStatus.QUEUED, RecipientStatus.SKIPPED]
    )
    if await reached.exists():
        raise InputError.single(
            ("id",),
            "Some emails of this campaign went out: it stays, so that their unsubscribe links "
            "keep working",
            ErrorCode.NOT_ALLOWED,
        )
    await campaign.delete()


# --- audience ----------------------------------------------------------------------------------


async def set_audience(
    campaign_id: int,
    group_ids: Sequence[int] | None = None,
    segment_ids: Sequence[int] | None = None,
    contact_ids: Sequence[int] | None = None,
) -> Campaign:
    """Replace the parts of each kind given (a kind not given keeps its parts). An id that
    names nothing is NOT_FOUND at its position, and nothing changes."""
    campaign = await _editable(campaign_id, "campaignId")
    errors = ErrorCollector()
    wanted = {
        PartKind.GROUP: (group_ids, Group, "groupIds"),
        PartKind.SEGMENT: (segment_ids, Segment, "segmentIds"),
        PartKind.CONTACT: (contact_ids, Contact, "contactIds"),
    }
    names: dict[tuple[PartKind, int], str] = {}
    for kind, (ids, model, path) in wanted.items():
        if ids is None:
            continue
        found = {
            row["id"]: row.get("name", "")
            for row in await model.filter(id__in=list(ids)).values(
                "id", *(["name"] if kind != PartKind.CONTACT else [])
            )
        }
        for index, pk in enumerate(ids):
            if pk not in found:
                what = kind.value.lower()
                errors.add((path, str(index)), f"No {what} has this id", ErrorCode.NOT_FOUND)
            names[(kind, pk)] = found.get(pk, "")
    errors.raise_if_any()
    async with in_transaction():
        for kind, (ids, _, _) in wanted.items():
            if ids is None:
                continue
            await CampaignPart.filter(campaign_id=campaign.id, kind=kind).delete()
            await CampaignPart.bulk_create(
                [_part(campaign.id, kind, pk, names[(kind, pk)]) for pk in dict.fromkeys(ids)]
            )
        await Campaign.filter(id=campaign.id).update(updated_at=now())
    return campaign


def _part(campaign_id: int, kind: PartKind, pk: int, name: str) -> CampaignPart:
    column = {PartKind.GROUP: "group_id", PartKind.SEGMENT: "segment_id"}.get(kind, "contact_id")
    return CampaignPart(campaign_id=campaign_id, kind=kind, name=name[:200], **{column: pk})


def audience_condition(parts: Sequence[CampaignPart]) -> Q | None:
    """Which contacts the parts name (archived ones included: they are counted as skipped).
    None when the parts name nobody (no parts, or only deleted groups and segments)."""
    conditions: list[Q] = []
    groups = [part.group_id for part in parts if part.kind == PartKind.GROUP and part.group_id]
    if groups:
        members = GroupMembership.filter(group_id__in=groups).values("contact_id")
        conditions.append(Q(id__in=Subquery(members)))
    for part in parts:
        if part.kind == PartKind.SEGMENT and part.segment_id and part.segment is not None:
            spec = spec_from_json(part.segment.filter_json)
            spec.archived = None
            matching = filtered_contacts(spec, part.segment.search).values("id")
            conditions.append(Q(id__in=Subquery(matching)))
    contacts = [part.contact_id for part in parts if part.kind == PartKind.CONTACT]
    if contacts:
        conditions.append(Q(id__in=contacts))
    return Q(*conditions, join_type=Q.OR) if conditions else None


async def audience_parts(campaign_id: int) -> list[CampaignPart]:
    return await CampaignPart.filter(campaign_id=campaign_id).select_related("segment")


def named_contacts(condition: Q | None) -> QuerySet[Contact]:
    if condition is None:
        return Contact.filter(id=0)
    return Contact.filter(condition)


@dataclass(frozen=True)
class AudienceCounts:
    will_receive: int
    skipped_no_consent: int
    skipped_no_email: int
    skipped_archived: int
    missing_parts: list[str] = field(default_factory=list)


async def audience_counts(campaign_id: int) -> AudienceCounts:
    """Who would receive the campaign if it were sent now, and who would be skipped why."""
    parts = await audience_parts(campaign_id)
    named = named_contacts(audience_condition(parts))
    archived = await named.filter(archived_at__isnull=False).count()
    live = named.filter(archived_at__isnull=True)
    no_email = await live.filter(Q(email__isnull=True) | Q(email="")).count()
    with_email = live.exclude(Q(email__isnull=True) | Q(email=""))
    will_receive = await with_email.filter(email_opt_in=True).count()
    no_consent = await with_email.filter(email_opt_in=False).count()
    return AudienceCounts(will_receive, no_consent, no_email, archived, missing_part_names(parts))


def missing_part_names(parts: Sequence[CampaignPart]) -> list[str]:
    """The groups and segments chosen and deleted since: they name nobody now."""
    return [
        f"The {part.kind.value.lower()} “{part.name}” was deleted"
        for part in parts
        if (part.kind == PartKind.GROUP and part.group_id is None)
        or (part.kind == PartKind.SEGMENT and part.segment_id is None)
    ]


# --- sending -----------------------------------------------------------------------------------


def check_sendable(campaign: Campaign) -> None:
    errors = ErrorCollector()
    if not campaign.subject.strip():
        errors.add(("subject",), "Give the campaign a subject before sending", ErrorCode.REQUIRED)
    if not campaign.body.strip():
        errors.add(("body",), "Write the campaign before sending it", ErrorCode.REQUIRED)
    errors.raise_if_any()


async def send_campaign(campaign_id: int, scheduled_at: datetime | None = None) -> Campaign:
    """Schedule the campaign (now when no time is given): the runner queues its messages."""
    from crm.campaigns.sending import wake_campaigns

    campaign = await _editable(campaign_id, "campaignId")
    check_sendable(campaign)
    if not await CampaignPart.exists(campaign_id=campaign.id):
        raise InputError.single(
            ("campaignId",), "Choose who receives the campaign first", ErrorCode.REQUIRED
        )
    when = scheduled_at or now()
    if when.tzinfo is None:
        raise InputError.single(("scheduledAt",), "Give the time with its offset")
    # In UTC, as every time is stored: SQLite compares the stored text with the runner's now.
    when = when.astimezone(UTC)
    updated = await Campaign.filter(id=campaign.id, status=CampaignStatus.DRAFT).update(
        status=CampaignStatus.SCHEDULED, scheduled_at=when, updated_at=now()
    )
    if not updated:
        raise InputError.single(
            ("campaignId",), "The campaign changed meanwhile; try again", ErrorCode.CONFLICT
        )
    wake_campaigns()
    return await get_campaign(campaign.id)


async def cancel_campaign(campaign_id: int) -> Campaign:
    """Stop a scheduled or sending campaign: what was not sent stays unsent, and says so."""
    from crm.campaigns.sending import cancel_unsent

    campaign = await get_campaign(campaign_id, "campaignId")
    if campaign.status not in (CampaignStatus.SCHEDULED, CampaignStatus.SENDING):
        raise InputError.single(
            ("campaignId",),
            "Only a scheduled or sending campaign can be cancelled",
            ErrorCode.NOT_ALLOWED,
        )
    await cancel_unsent(campaign.id)
    return await get_campaign(campaign.id)


# --- pasted lists ------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"\t|;|,")
MAX_PASTED_LINES = 10_000


@dataclass
class PastedLine:
    number: int  # as the user sees it: the first line is 1
    email: str
    first_name: str
    last_name: str


def parse_pasted(text: str) -> tuple[list[PastedLine], list[FieldError]]:
    """Lines of `email, first name, last name` (comma, semicolon or tab); blank lines are
    skipped; a line whose first cell is not an email is an error naming its number."""
    lines, problems = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        cells = [cell.strip().strip('"') for cell in _SEPARATORS.split(raw)]
        cells += [""] * (3 - len(cells))
        if len(cells) > 3 and any(cells[3:]):
            problems.append(
                FieldError(
                    ("text", str(number)),
                    f"Line {number}: give at most an email, a first name and a last name",
                    ErrorCode.INVALID,
                )
            )
            continue
        lines.append(PastedLine(number, cells[0], cells[1], cells[2]))
    return lines, problems
