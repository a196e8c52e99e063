"""The rules for notes: what a note holds, who may change it, and "last contacted"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from crm.companies.models import Company
from crm.contacts.models import Contact
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.inputs import UNSET, Maybe, is_set
from crm.core.validation import text_field
from crm.notes.models import CONTACT_KINDS, Note, NoteKind
from crm.staff.models import StaffRole, StaffUser
from crm.timeline.models import ActorKind, TimelineEvent, TimelineKind
from crm.timeline.services import Actor, Event, record

MAX_BODY = 20_000
# A note may say when something will happen shortly (a meeting later today), not later.
FUTURE_ALLOWED = timedelta(days=1)
# Sent emails that count as being in touch: campaigns and messages, not automatic ones.
CONTACT_EVENT_KINDS = (TimelineKind.CAMPAIGN_SENT, TimelineKind.MESSAGE)


@dataclass
class NoteChanges:
    kind: Maybe[NoteKind] = UNSET
    body: Maybe[str | None] = UNSET
    occurred_at: Maybe[datetime | None] = UNSET


def now() -> datetime:
    return datetime.now(UTC)


def _apply(note: Note, changes: NoteChanges, errors: ErrorCollector) -> None:
    if is_set(changes.kind):
        note.kind = changes.kind
    if is_set(changes.body):
        body = text_field(
            changes.body,
            ("body",),
            errors,
            label="Note",
            max_length=MAX_BODY,
            required=True,
            multiline=True,
        )
        if body is not None:
            note.body = body
    if is_set(changes.occurred_at):
        when = changes.occurred_at or now()
        if when.tzinfo is None:
            errors.add(("occurredAt",), "Give the time with its offset", ErrorCode.INVALID)
        elif when > now() + FUTURE_ALLOWED:
            errors.add(("occurredAt",), "A note cannot be more than a day ahead", ErrorCode.INVALID)
        else:
            note.occurred_at = when


async def add_note(
    changes: NoteChanges,
    author: StaffUser,
    *,
    contact_id: int | None = None,
    company_id: int | None = None,
) -> Note:
    """A note on a contact or on a company (exactly one), by `author`, on their timeline."""
    errors = ErrorCollector()
    if (contact_id is None) == (company_id is None):
        raise InputError.single(
            ("contactId",), "Give either a contact or a company", ErrorCode.REQUIRED
        )
    if contact_id is not None and not await Contact.exists(id=contact_id):
        errors.add(("contactId",), "No contact has this id", ErrorCode.NOT_FOUND)
    if company_id is not None and not await Company.exists(id=company_id):
        errors.add(("companyId",), "No company has this id", ErrorCode.NOT_FOUND)
    note = Note(
        kind=NoteKind.OTHER,
        contact_id=contact_id,
        company_id=company_id,
        author_id=author.id,
        author_name=author.name or author.email,
        occurred_at=now(),
    )
    if not is_set(changes.body):
        changes.body = None
    if not is_set(changes.occurred_at):
        changes.occurred_at = None
    _apply(note, changes, errors)
    errors.raise_if_any()
    async with in_transaction():
        await note.save()
        event = Event(
            TimelineKind.NOTE,
            contact_id=contact_id,
            company_id=company_id,
            note_id=note.id,
            occurred_at=note.occurred_at,
        )
        await record(Actor.staff(author), event)
        await _touch_contact(note)
    return note


async def update_note(note_id: int, changes: NoteChanges, editor: StaffUser) -> Note:
    note = await _editable(note_id, editor)
    errors = ErrorCollector()
    _apply(note, changes, errors)
    errors.raise_if_any()
    async with in_transaction():
        await note.save()
        await TimelineEvent.filter(note_id=note.id).update(occurred_at=note.occurred_at)
        await _touch_contact(note)
    return note


async def delete_note(note_id: int, editor: StaffUser) -> None:
    note = await _editable(note_id, editor)
    async with in_transaction():
        await note.delete()
        await _touch_contact(note)


async def _editable(note_id: int, editor: StaffUser) -> Note:
    note = await Note.get_or_none(id=note_id)
    if note is None:
        raise InputError.single(("id",), "No note has this id", ErrorCode.NOT_FOUND)
    if note.author_id != editor.id and editor.role != StaffRole.ADMIN:
        raise InputError.single(
            ("id",), "Only its author or an administrator can change a note", ErrorCode.NOT_ALLOWED
        )
    return note


def can_edit(note: Note, viewer: StaffUser | None) -> bool:
    return viewer is not None and (note.author_id == viewer.id or viewer.role == StaffRole.ADMIN)


async def _touch_contact(note: Note) -> None:
    if note.contact_id is not None:
        await refresh_last_contacted(note.contact_id)


async def refresh_last_contacted(contact_id: int) -> None:
    """`last_contacted_at`: the latest call, meeting or email note, or campaign email or
    secure message sent to the contact (automatic emails such as invitations, and the
    contact's own messages, do not count)."""
    noted = (
        await Note.filter(contact_id=contact_id, kind__in=list(CONTACT_KINDS))
        .order_by("-occurred_at")
        .first()
        .values_list("occurred_at", flat=True)
    )
    emailed = (
        await TimelineEvent.filter(contact_id=contact_id, kind__in=list(CONTACT_EVENT_KINDS))
        .exclude(actor_kind=ActorKind.PORTAL)  # a message from the contact is not us in touch
        .order_by("-occurred_at")
        .first()
        .values_list("occurred_at", flat=True)
    )
    moments = [moment for moment in (noted, emailed) if moment is not None]
    await Contact.filter(id=contact_id).update(last_contacted_at=max(moments, default=None))
