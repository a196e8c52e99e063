"""Merging duplicate contacts into the one kept, without losing anything.

Everything the merged contacts hold moves to the kept contact (phones, groups, products,
notes, the whole timeline, campaign history, secure messages, mail, invitations), each field
takes the value of the contact the user picked, consent takes the most recent decision per
channel, one portal account survives, and the merged contacts are then erased. All of it in
one transaction that first locks every contact involved, in id order: a failure leaves them
as they were, and of two merges of the same contact at once the second finds it gone
(CONFLICT) instead of moving half of it.

Rows move in a few statements per kind of row, never one per row: a contact with thousands
of timeline events merges in the same number of queries as one with none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.models import Model
from tortoise.transactions import in_transaction

from crm.auth.models import Session
from crm.auth.services import end_all_sessions
from crm.avatars.models import ContactAvatar
from crm.campaigns.models import CampaignPart, CampaignRecipient, RecipientStatus
from crm.companies.models import Company
from crm.contacts.history import phones_of_rows, readable_now
from crm.contacts.models import Channel, Contact, PhoneNumber, PortalStatus
from crm.contacts.services import (
    TYPES_NEEDING_EMAIL,
    city_key,
    search_text_for,
    sort_name_for,
)
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.duplicates.models import DuplicateCandidate
from crm.duplicates.services import refresh_contacts
from crm.groups.models import GroupMembership
from crm.mail.models import MessageStatus, OutboxMessage
from crm.mail.services import wake_worker
from crm.messages.models import SecureMessage
from crm.notes.models import Note
from crm.notes.services import refresh_last_contacted
from crm.portal.models import (
    ImpersonationLink,
    Invitation,
    InvitationStatus,
    PasswordReset,
    PortalAccount,
)
from crm.products.models import ContactProduct
from crm.timeline.models import TimelineEvent, TimelineKind
from crm.timeline.services import SYSTEM, Actor, Event, changes_between, record

log = logging.getLogger("crm.duplicates")

MAX_MERGED = 10

# The fields the user picks a value for, by their API names, with the columns each one
# carries. The address goes as a whole: a street from one contact and a city from another
# is nobody's address.
MERGEABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "firstName": ("first_name",),
    "lastName": ("last_name",),
    "email": ("email", "email_key"),
    "jobTitle": ("job_title",),
    "type": ("type",),
    "status": ("status",),
    "company": ("company_id",),
    "address": ("address_line1", "address_line2", "city", "region", "postal_code", "country"),
    "avatar": ("avatar_version",),
}

PORTAL_RANK = {PortalStatus.NOT_INVITED: 0, PortalStatus.INVITED: 1, PortalStatus.ACTIVE: 2}
_PORTAL_COLUMNS = (
    "portal_status",
    "portal_invited_at",
    "portal_last_invited_at",
    "portal_activated_at",
    "portal_last_login_at",
)
# How far a campaign got towards the person: of two rows for one campaign, the further wins.
# QUEUED beats FAILED: its message may still arrive.
_RECIPIENT_RANK = {
    RecipientStatus.SKIPPED: 0,
    RecipientStatus.FAILED: 1,
    RecipientStatus.QUEUED: 2,
    RecipientStatus.LOGGED: 3,
    RecipientStatus.SENT: 4,
}
_EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class FieldChoice:
    """Keep `field` (an API name from MERGEABLE_FIELDS) as the contact `source_id` has it."""

    field: str
    source_id: int


@dataclass
class _Moved:
    """What one merged contact handed over, for the MERGED event."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int) -> None:
        if count:
            self.counts[what] = self.counts.get(what, 0) + count


def now() -> datetime:
    return datetime.now(UTC)


async def merge_contacts(
    keep_id: int,
    merge_ids: Sequence[int],
    choices: Sequence[FieldChoice] = (),
    *,
    actor: Actor = SYSTEM,
) -> Contact:
    """Merge `merge_ids` into `keep_id` and erase them; the kept contact as it now is."""
    merge_ids = list(merge_ids)
    _check_request(keep_id, merge_ids, choices)
    await _check_exist(keep_id, merge_ids)
    try:
        async with in_transaction():
            kept, merged = await _locked(keep_id, merge_ids)
            invitation_reissued = await _merge(kept, merged, choices, actor)
    except IntegrityError as error:
        # Another change to these contacts (a company's primary contact, an address taken)
        # committed between our lock and our write.
        log.warning("merge of %s into %s refused: %s", merge_ids, keep_id, error)
        raise InputError.single(
            None, "These contacts changed meanwhile; reload them and try again", ErrorCode.CONFLICT
        ) from None
    if invitation_reissued:
        wake_worker()
    return await Contact.get(id=keep_id)


def _check_request(keep_id: int, merge_ids: list[int], choices: Sequence[FieldChoice]) -> None:
    errors = ErrorCollector()
    if not merge_ids:
        errors.add(("mergeIds",), "Choose at least one contact to merge", ErrorCode.REQUIRED)
    elif len(merge_ids) > MAX_MERGED:
        errors.add(
            ("mergeIds",),
            f"Merge at most {MAX_MERGED} contacts at once",
            ErrorCode.TOO_MANY,
        )
    seen: set[int] = set()
    for index, merge_id in enumerate(merge_ids):
        if merge_id == keep_id:
            message = "A contact cannot be merged with itself"
            errors.add(("mergeIds", str(index)), message, ErrorCode.NOT_ALLOWED)
        elif merge_id in seen:
            errors.add(
                ("mergeIds", str(index)), "This contact is listed twice", ErrorCode.DUPLICATE
            )
        seen.add(merge_id)
    _check_choices(choices, {keep_id, *merge_ids}, errors)
    errors.raise_if_any()


def _check_choices(
    choices: Sequence[FieldChoice], contact_ids: set[int], errors: ErrorCollector
) -> None:
    chosen: set[str] = set()
    for index, choice in enumerate(choices):
        path = ("fields", str(index))
        if choice.field not in MERGEABLE_FIELDS:
            known = ", ".join(MERGEABLE_FIELDS)
            message = f"“{choice.field}” is not a field to choose; choose among {known}"
            errors.add((*path, "field"), message, ErrorCode.INVALID)
        elif choice.field in chosen:
            errors.add((*path, "field"), "This field is chosen twice", ErrorCode.DUPLICATE)
        chosen.add(choice.field)
        if choice.source_id not in contact_ids:
            message = "Choose the value of one of the contacts being merged"
            errors.add((*path, "sourceId"), message, ErrorCode.INVALID)


async def _check_exist(keep_id: int, merge_ids: list[int]) -> None:
    found = set(await Contact.filter(id__in=[keep_id, *merge_ids]).values_list("id", flat=True))
    errors = ErrorCollector()
    if keep_id not in found:
        errors.add(("keepId",), "No contact has this id", ErrorCode.NOT_FOUND)
    for index, merge_id in enumerate(merge_ids):
        if merge_id not in found:
            errors.add(("mergeIds", str(index)), "No contact has this id", ErrorCode.NOT_FOUND)
    errors.raise_if_any()


async def _locked(keep_id: int, merge_ids: list[int]) -> tuple[Contact, list[Contact]]:
    """Every contact locked in id order (so two merges never wait on each other in a
    circle); one that is gone since `_check_exist` was merged or erased meanwhile."""
    rows = await Contact.filter(id__in=[keep_id, *merge_ids]).order_by("id").select_for_update()
    by_id = {row.id: row for row in rows}
    errors = ErrorCollector()
    message = "This contact was merged or deleted meanwhile; reload and try again"
    if keep_id not in by_id:
        errors.add(("keepId",), message, ErrorCode.CONFLICT)
    for index, merge_id in enumerate(merge_ids):
        if merge_id not in by_id:
            errors.add(("mergeIds", str(index)), message, ErrorCode.CONFLICT)
    errors.raise_if_any()
    return by_id[keep_id], [by_id[merge_id] for merge_id in merge_ids]


async def _merge(
    kept: Contact, merged: list[Contact], choices: Sequence[FieldChoice], actor: Actor
) -> bool:
    """Everything, in the caller's transaction; whether a new invitation was queued."""
    merged_ids = [contact.id for contact in merged]
    moved = {contact.id: _Moved() for contact in merged}
    phones_before = await PhoneNumber.filter(contact_id=kept.id).order_by("position")
    before = await readable_now(kept, phones_of_rows(phones_before))
    was_primary = kept.is_primary_contact
    survivor = portal_survivor(kept, merged)
    sources = chosen_sources(kept, merged, choices, survivor)
    avatar_from = _take_fields(kept, sources)
    _check_email_needed(kept, choices)
    _take_consent(kept, merged)
    _take_archive_state(kept, merged)
    _take_primary_role(kept, merged)
    # Their email keys and primary flags are unique: freed before the kept contact takes them.
    await Contact.filter(id__in=merged_ids).update(
        email=None, email_key=None, is_primary_contact=False
    )
    await _hand_over_portal(kept, merged, survivor)
    await _move_avatar(kept, avatar_from)
    await _move_rows(kept.id, merged_ids, moved)
    phones = await PhoneNumber.filter(contact_id=kept.id).order_by("position")
    kept.sort_name = sort_name_for(kept)
    kept.city_key = city_key(kept.city)
    kept.search_text = search_text_for(kept, phones)
    await kept.save()
    after = await readable_now(kept, phones_of_rows(phones))
    await _record_merge(kept, merged, moved, sources, changes_between(before, after), actor)
    if kept.is_primary_contact and not was_primary:
        await _record_primary_role(kept, actor)
    await _keep_dismissals(kept.id, merged_ids)
    await Contact.filter(id__in=merged_ids).delete()
    await refresh_last_contacted(kept.id)
    await refresh_contacts([kept.id])
    return await _invitation_follows_email(kept, actor)


async def _record_primary_role(kept: Contact, actor: Actor) -> None:
    """As `set_primary_contact` records it: on the contact and on its company."""
    company = await Company.get(id=kept.company_id)
    await record(
        actor,
        Event(
            TimelineKind.PRIMARY_CONTACT_SET, contact_id=kept.id, details={"company": company.name}
        ),
        Event(TimelineKind.PRIMARY_CONTACT_SET, company_id=company.id, subject_contact_id=kept.id),
    )


async def _keep_dismissals(kept_id: int, merged_ids: list[int]) -> None:
    """A merged contact's dismissed pairs hold for the kept contact: "not the same person as
    X" stays true of them, so the pair with X is never suggested again. (The merged
    contacts' own pairs go with them, CASCADE.) As few rows as pairs were dismissed."""
    merged = set(merged_ids)
    dismissed = await DuplicateCandidate.filter(
        Q(low_contact_id__in=merged_ids) | Q(high_contact_id__in=merged_ids),
        dismissed_at__isnull=False,
    )
    for pair in dismissed:
        other = pair.high_contact_id if pair.low_contact_id in merged else pair.low_contact_id
        if other in merged or other == kept_id:
            continue
        low, high = sorted((kept_id, other))
        closed = await DuplicateCandidate.filter(
            low_contact_id=low, high_contact_id=high, dismissed_at__isnull=True
        ).update(dismissed_at=pair.dismissed_at, dismissed_by_id=pair.dismissed_by_id)
        if not closed and not await DuplicateCandidate.exists(
            low_contact_id=low, high_contact_id=high
        ):
            await DuplicateCandidate.create(
                low_contact_id=low,
                high_contact_id=high,
                score=pair.score,
                reasons=pair.reasons,
                found_at=pair.found_at,
                dismissed_at=pair.dismissed_at,
                dismissed_by_id=pair.dismissed_by_id,
            )


def portal_survivor(kept: Contact, merged: list[Contact]) -> Contact:
    """Whose portal access survives: ACTIVE before INVITED before NOT_INVITED. Between two
    active accounts, the one signed in to last (the one the person uses), the kept
    contact's when that does not tell; between two invitations, the kept contact's."""

    def rank(contact: Contact) -> tuple[int, datetime, bool]:
        last_login = contact.portal_last_login_at or _EARLIEST
        if contact.portal_status != PortalStatus.ACTIVE:
            last_login = _EARLIEST
        return (PORTAL_RANK[contact.portal_status], last_login, contact is kept)

    return max([kept, *merged], key=rank)


def _is_empty(contact: Contact, columns: tuple[str, ...]) -> bool:
    return not any(getattr(contact, column) for column in columns)


def chosen_sources(
    kept: Contact, merged: list[Contact], choices: Sequence[FieldChoice], survivor: Contact
) -> dict[str, Contact]:
    """Whose value each field keeps: the one chosen, else the kept contact's, else the first
    merged contact's that has one. The email, unless chosen, follows the portal account
    that survives, so its owner still signs in with the address they know."""
    by_id = {contact.id: contact for contact in [kept, *merged]}
    picked = {choice.field: by_id[choice.source_id] for choice in choices}
    sources: dict[str, Contact] = {}
    for name, columns in MERGEABLE_FIELDS.items():
        if name in picked:
            sources[name] = picked[name]
        elif name == "email" and survivor.portal_status != PortalStatus.NOT_INVITED:
            sources[name] = survivor
        else:
            candidates = [kept, *merged]
            sources[name] = next((c for c in candidates if not _is_empty(c, columns)), kept)
    return sources


def _take_fields(kept: Contact, sources: dict[str, Contact]) -> Contact | None:
    """Copy each field from its source; the contact whose avatar to take, if another's."""
    for name, source in sources.items():
        if source is kept:
            continue
        for column in MERGEABLE_FIELDS[name]:
            setattr(kept, column, getattr(source, column))
    avatar = sources["avatar"]
    return avatar if avatar is not kept else None


def _check_email_needed(kept: Contact, choices: Sequence[FieldChoice]) -> None:
    if kept.type in TYPES_NEEDING_EMAIL and not kept.email:
        index = next((i for i, c in enumerate(choices) if c.field == "email"), None)
        path = ("fields", str(index), "sourceId") if index is not None else ("fields",)
        message = f"A {kept.type.value.lower()} contact needs an email: keep one that has one"
        raise InputError.single(path, message, ErrorCode.REQUIRED)


def _take_consent(kept: Contact, merged: list[Contact]) -> None:
    """Per channel, the most recent decision of any of them. The decisions before it stay
    on the timeline, which moves with the contacts."""
    for channel in Channel:
        prefix = channel.value.lower()
        columns = (f"{prefix}_opt_in", f"{prefix}_opt_in_at", f"{prefix}_opt_in_source")
        latest = max([kept, *merged], key=lambda contact: getattr(contact, columns[1]) or _EARLIEST)
        for column in columns:
            setattr(kept, column, getattr(latest, column))


def _take_archive_state(kept: Contact, merged: list[Contact]) -> None:
    """Archived only if all of them were: a live duplicate is in use, and merging it must
    not hide it from lists and campaigns."""
    if all(contact.archived for contact in [kept, *merged]):
        kept.archived_at = max(contact.archived_at for contact in [kept, *merged])  # type: ignore[type-var]
    else:
        kept.archived_at = None


def _take_primary_role(kept: Contact, merged: list[Contact]) -> None:
    """The kept contact is its company's primary contact if any of them was (a merged
    contact hands the role over); never while archived."""
    kept.is_primary_contact = (
        kept.company_id is not None
        and not kept.archived
        and any(
            contact.is_primary_contact and contact.company_id == kept.company_id
            for contact in [kept, *merged]
        )
    )


async def _hand_over_portal(kept: Contact, merged: list[Contact], survivor: Contact) -> None:
    """The survivor's account, sessions and links become the kept contact's; every other
    account is closed: signed out everywhere, its pending invitation and links dead."""
    for contact in [kept, *merged]:
        if contact is not survivor and contact.portal_status != PortalStatus.NOT_INVITED:
            await _close_portal(contact.id)
    if survivor is not kept:
        for model in (PortalAccount, Session, PasswordReset, ImpersonationLink):
            await model.filter(contact_id=survivor.id).update(contact_id=kept.id)
        for column in _PORTAL_COLUMNS:
            setattr(kept, column, getattr(survivor, column))
    if kept.archived:
        await end_all_sessions(contact_id=kept.id)


async def _close_portal(contact_id: int) -> None:
    moment = now()
    await Invitation.filter(contact_id=contact_id, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.REVOKED, ended_at=moment
    )
    await PortalAccount.filter(contact_id=contact_id).delete()
    await end_all_sessions(contact_id=contact_id)
    for link in (PasswordReset, ImpersonationLink):
        await link.filter(contact_id=contact_id, used_at__isnull=True).update(used_at=moment)


async def _move_avatar(kept: Contact, source: Contact | None) -> None:
    """`source`'s avatar (its version already copied) becomes the kept contact's: copied, as
    the contact is the avatar row's primary key."""
    if source is None:
        return
    avatar = await ContactAvatar.get_or_none(contact_id=source.id)
    await ContactAvatar.filter(contact_id=kept.id).delete()
    if avatar is not None:
        await ContactAvatar.create(
            contact_id=kept.id, large=avatar.large, small=avatar.small, version=avatar.version
        )


async def _move_rows(kept_id: int, merged_ids: list[int], moved: dict[int, _Moved]) -> None:
    await _move_phones(kept_id, merged_ids, moved)
    await _move_unique(GroupMembership, "group_id", kept_id, merged_ids, moved, "groups")
    await _move_unique(ContactProduct, "product_id", kept_id, merged_ids, moved, "products")
    await _move_campaign_history(kept_id, merged_ids, moved)
    await _move_plain(Note, "contact_id", kept_id, merged_ids, moved, "notes")
    await _move_plain(TimelineEvent, "contact_id", kept_id, merged_ids, moved, "events")
    await _move_plain(TimelineEvent, "subject_contact_id", kept_id, merged_ids, moved, "")
    await _move_plain(SecureMessage, "contact_id", kept_id, merged_ids, moved, "messages")
    await _move_plain(OutboxMessage, "contact_id", kept_id, merged_ids, moved, "")
    await _move_plain(Invitation, "contact_id", kept_id, merged_ids, moved, "")


async def _move_plain(
    model: type[Model],
    column: str,
    kept_id: int,
    merged_ids: list[int],
    moved: dict[int, _Moved],
    counted_as: str,
) -> None:
    """Rows with nothing unique about their contact: one UPDATE per merged contact (one in
    all when they are not counted)."""
    if not counted_as:
        await model.filter(**{f"{column}__in": merged_ids}).update(**{column: kept_id})
        return
    for merged_id in merged_ids:
        count = await model.filter(**{column: merged_id}).update(**{column: kept_id})
        moved[merged_id].add(counted_as, count)


@dataclass
class _Row:
    id: int
    contact_id: int
    key: Hashable
    rank: int = 0


async def _one_per_key(
    model: type[Model],
    key: str,
    kept_id: int,
    merged_ids: list[int],
    extra: Sequence[str] = (),
    rank: Callable[[dict[str, Any]], int] | None = None,
) -> tuple[list[_Row], list[_Row]]:
    """Of the rows of all the contacts, one per `key`: the best by `rank`, else the kept
    contact's, else the first merged contact's (in the order given). The winners and the
    losers."""
    order = {contact_id: position for position, contact_id in enumerate([kept_id, *merged_ids])}
    values = await model.filter(contact_id__in=list(order)).values("id", "contact_id", key, *extra)
    rows = [
        _Row(value["id"], value["contact_id"], value[key], rank(value) if rank else 0)
        for value in values
    ]
    rows.sort(key=lambda row: (-row.rank, order[row.contact_id], row.id))
    winners: dict[Hashable, _Row] = {}
    losers: list[_Row] = []
    for row in rows:
        if row.key in winners:
            losers.append(row)
        else:
            winners[row.key] = row
    return list(winners.values()), losers


async def _move_unique(
    model: type[Model],
    key: str,
    kept_id: int,
    merged_ids: list[int],
    moved: dict[int, _Moved],
    counted_as: str,
) -> list[_Row]:
    """Rows unique per (contact, `key`): a group membership, a product. The kept contact
    gets one per key; the rest go. Two statements whatever the number of rows."""
    winners, losers = await _one_per_key(model, key, kept_id, merged_ids)
    await _hand_over(model, kept_id, winners, losers, moved, counted_as)
    return winners


async def _hand_over(
    model: type[Model],
    kept_id: int,
    winners: list[_Row],
    losers: list[_Row],
    moved: dict[int, _Moved],
    counted_as: str,
) -> None:
    if losers:
        await model.filter(id__in=[row.id for row in losers]).delete()
    arriving = [row for row in winners if row.contact_id != kept_id]
    if arriving:
        await model.filter(id__in=[row.id for row in arriving]).update(contact_id=kept_id)
    for row in arriving:
        moved[row.contact_id].add(counted_as, 1)


async def _move_phones(kept_id: int, merged_ids: list[int], moved: dict[int, _Moved]) -> None:
    """One phone per number. The merged contacts' numbers come after the kept contact's, in
    their own order; the kept contact's primary number stays primary."""
    winners, losers = await _one_per_key(PhoneNumber, "e164", kept_id, merged_ids)
    if losers:
        await PhoneNumber.filter(id__in=[row.id for row in losers]).delete()
    positions = await PhoneNumber.filter(contact_id__in=[kept_id, *merged_ids]).values(
        "contact_id", "position"
    )
    offset = 1 + max((p["position"] for p in positions if p["contact_id"] == kept_id), default=-1)
    for merged_id in merged_ids:
        ids = [row.id for row in winners if row.contact_id == merged_id]
        if not ids:
            continue
        await PhoneNumber.filter(id__in=ids).update(
            contact_id=kept_id, is_primary=False, position=F("position") + offset
        )
        moved[merged_id].add("phones", len(ids))
        offset += 1 + max(p["position"] for p in positions if p["contact_id"] == merged_id)
    if not await PhoneNumber.exists(contact_id=kept_id, is_primary=True):
        first = await PhoneNumber.filter(contact_id=kept_id).order_by("position").first()
        if first is not None:
            await PhoneNumber.filter(id=first.id).update(is_primary=True)


async def _move_campaign_history(
    kept_id: int, merged_ids: list[int], moved: dict[int, _Moved]
) -> None:
    """One recipient row per campaign (it is unique): the one that got furthest, which keeps
    the latest unsubscribe of any; a dropped row's mail still waiting in the outbox is taken
    back, so nobody gets the campaign twice. Audience parts naming a merged contact name
    the kept one."""

    def how_far(value: dict[str, Any]) -> int:
        return _RECIPIENT_RANK[RecipientStatus(value["status"])]

    winners, losers = await _one_per_key(
        CampaignRecipient,
        "campaign_id",
        kept_id,
        merged_ids,
        extra=("status", "unsubscribed_at", "message_id"),
        rank=how_far,
    )
    unsubscribed = await _latest_unsubscribes(winners, losers)
    waiting = await CampaignRecipient.filter(
        id__in=[row.id for row in losers], status=RecipientStatus.QUEUED
    ).values_list("message_id", flat=True)
    await _hand_over(CampaignRecipient, kept_id, winners, losers, moved, "campaigns")
    await OutboxMessage.filter(
        id__in=[pk for pk in waiting if pk], status=MessageStatus.QUEUED
    ).delete()
    for row_id, moment in unsubscribed.items():
        await CampaignRecipient.filter(id=row_id).update(unsubscribed_at=moment)
    await _move_unique(CampaignPart, "campaign_id", kept_id, merged_ids, moved, "")


async def _latest_unsubscribes(winners: list[_Row], losers: list[_Row]) -> dict[int, datetime]:
    """The winning rows that must take a dropped row's (later) unsubscribe: few, as a
    person unsubscribes from a campaign once."""
    loser_moments = await CampaignRecipient.filter(
        id__in=[row.id for row in losers], unsubscribed_at__isnull=False
    ).values("campaign_id", "unsubscribed_at")
    if not loser_moments:
        return {}
    winner_of = {row.key: row.id for row in winners}
    current = dict(
        await CampaignRecipient.filter(id__in=list(winner_of.values())).values_list(
            "id", "unsubscribed_at"
        )
    )
    later: dict[int, datetime] = {}
    for value in loser_moments:
        row_id = winner_of[value["campaign_id"]]
        best = later.get(row_id) or current.get(row_id)
        if best is None or value["unsubscribed_at"] > best:
            later[row_id] = value["unsubscribed_at"]
    return later


async def _record_merge(
    kept: Contact,
    merged: list[Contact],
    moved: dict[int, _Moved],
    sources: dict[str, Contact],
    changes: list[dict[str, str]],
    actor: Actor,
) -> None:
    """The MERGED event: who was merged in, what each brought, which fields came from
    whom, and what changed on the kept contact (before and after)."""
    details = {
        "merged": [
            {
                "name": contact.full_name,
                "email": contact.email,
                "moved": moved[contact.id].counts,
            }
            for contact in merged
        ],
        "fields": {
            name: source.full_name for name, source in sources.items() if source is not kept
        },
    }
    await record(
        actor, Event(TimelineKind.MERGED, contact_id=kept.id, changes=changes, details=details)
    )


async def _invitation_follows_email(kept: Contact, actor: Actor) -> bool:
    """A pending invitation sent to an address the kept contact no longer has goes to its
    address now (or ends), as when the email is edited."""
    from crm.portal.services import email_changed

    if kept.portal_status != PortalStatus.INVITED:
        return False
    pending = await Invitation.filter(
        contact_id=kept.id, status=InvitationStatus.PENDING
    ).values_list("email", flat=True)
    if kept.email and any(address.casefold() == kept.email.casefold() for address in pending):
        return False
    await email_changed(kept, actor=actor)
    return kept.portal_status == PortalStatus.INVITED
