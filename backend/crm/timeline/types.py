"""GraphQL types for the timeline: events as a person reads them, newest first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from crm.core.pagination import PageRequest, SortKey
from crm.graphql.connection import Connection, connection
from crm.graphql.relay import Node, to_global_id
from crm.notes.types import NoteNode
from crm.timeline import models
from crm.timeline.models import TimelineKind as Kind

if TYPE_CHECKING:
    from crm.contacts.types import ContactNode

TimelineKind = strawberry.enum(models.TimelineKind)
NEWEST_FIRST = [SortKey("occurred_at", descending=True, is_datetime=True)]
DELETED_CONTACT = "a deleted contact"

_NOTE_LABELS = {"CALL": "Call", "MEETING": "Meeting", "EMAIL": "Email", "OTHER": "Note"}
_EMAIL_KINDS = {
    "INVITATION": "portal invitation",
    "PASSWORD_RESET": "password reset",
    "CAMPAIGN": "campaign email",
    "SECURE_MESSAGE": "secure message notice",
}


@strawberry.type(description="A field as a person reads it, before and after a change.")
class Change:
    field: str
    before: str
    after: str


def _email(details: dict[str, Any]) -> str:
    kind = _EMAIL_KINDS.get(details.get("kind", ""), "email")
    subject = details.get("subject")
    return f"{kind} “{subject}”" if subject else kind


def _fields(changes: list[dict[str, str]] | None) -> str:
    labels = [change["field"] for change in changes or []]
    return ", ".join(label.lower() if index else label for index, label in enumerate(labels))


def summary_of(event: models.TimelineEvent, on_company: bool) -> str:
    """One line about what happened, made when it is read (see TimelineEvent)."""
    details: dict[str, Any] = event.details or {}
    kind = event.kind
    if kind == Kind.NOTE:
        note = event.note if event.note_id is not None else None
        label = _NOTE_LABELS.get(str(note.kind), "Note") if note is not None else "Note"
        if on_company and event.contact_id is not None:
            return f"{label} with {_name(event.contact)}"  # type: ignore[arg-type]
        return f"{label} logged"
    if kind == Kind.PRIMARY_CONTACT_SET:
        if on_company:
            subject = event.subject_contact if event.subject_contact_id else None
            return f"{_name(subject)} became the primary contact"
        return f"Made the primary contact of {details.get('company', 'the company')}"
    if kind == Kind.UPDATED:
        return f"Changed {_fields(event.changes).lower() or 'details'}"
    if kind == Kind.CONVERTED:
        return f"Converted from lead to {str(details.get('to', 'client')).lower()}"
    simple = {
        Kind.CREATED: f"Added to the CRM by the campaign “{details['campaign']}”"
        if "campaign" in details
        else "Added to the CRM",
        Kind.ARCHIVED: "Archived",
        Kind.RESTORED: "Restored from the archive",
        Kind.INVITED: f"Invited to the portal at {details.get('email', 'their email')}",
        Kind.INVITE_RESENT: f"Invitation sent again to {details.get('email', 'their email')}",
        Kind.INVITE_REVOKED: "Portal access removed"
        if details.get("access_removed")
        else "Invitation revoked",
        Kind.ACTIVATED: "Activated their portal account",
        Kind.EMAIL_SENT: f"Sent the {_email(details)}",
        Kind.EMAIL_FAILED: f"Could not send the {_email(details)}: {details.get('error', '')}",
        Kind.ADDED_TO_GROUP: f"Added to the group {details.get('group', '')}",
        Kind.REMOVED_FROM_GROUP: f"Removed from the group {details.get('group', '')}",
        Kind.IMPORTED: f"{str(details.get('action', 'imported')).capitalize()} by the import of "
        f"{details.get('file', 'a file')}",
        Kind.CAMPAIGN_SENT: f"Sent the campaign {details.get('campaign', '')}",
        Kind.UNSUBSCRIBED: "Unsubscribed from emails",
        Kind.MESSAGE: "Message sent" if details.get("from_staff", True) else "Message received",
        Kind.MERGED: _merged(details),
        Kind.IMPERSONATED: "Viewed the portal as this contact (read-only)",
    }
    return simple.get(kind, str(kind).replace("_", " ").capitalize()).rstrip(": ")


_MOVED_LABELS = {
    "notes": "note",
    "events": "event",
    "groups": "group",
    "products": "product",
    "phones": "phone number",
    "campaigns": "campaign",
    "messages": "message",
}


def _merged(details: dict[str, Any]) -> str:
    """'Merged with Bob Adam (2 notes, 1 group) and Ann Adam': whom, and what each brought."""
    parts = []
    for merged in details.get("merged", []):
        moved = [
            f"{count} {label}{'' if count == 1 else 's'}"
            for kind, label in _MOVED_LABELS.items()
            if (count := merged.get("moved", {}).get(kind))
        ]
        parts.append(
            f"{merged.get('name', 'a duplicate')}" + (f" ({', '.join(moved)})" if moved else "")
        )
    if not parts:
        return "Merged with a duplicate"
    names = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return f"Merged with {names}"


def _name(contact: Any | None) -> str:
    return contact.full_name if contact is not None else DELETED_CONTACT


@strawberry.type(name="TimelineEvent")
class TimelineEventNode(Node):
    id: strawberry.ID
    kind: TimelineKind
    occurred_at: datetime
    actor: str = strawberry.field(
        description="Who did it: a staff member's name, or Portal, Import, System."
    )
    summary: str
    note: NoteNode | None = strawberry.field(description="For NOTE: the note itself.")
    changes: list[Change] = strawberry.field(
        description="For UPDATED and CONVERTED: each field changed, before and after."
    )
    row: strawberry.Private[models.TimelineEvent]
    on_company: strawberry.Private[bool] = False

    @classmethod
    def from_model(cls, row: models.TimelineEvent, on_company: bool = False) -> TimelineEventNode:
        return cls(
            id=to_global_id("TimelineEvent", row.id),
            kind=row.kind,
            occurred_at=row.occurred_at,
            actor=row.actor_name,
            summary=summary_of(row, on_company),
            note=NoteNode.from_model(row.note) if row.note_id is not None else None,
            changes=[Change(**change) for change in row.changes or []],
            row=row,
            on_company=on_company,
        )

    @strawberry.field(
        description="On a company's timeline: the contact the entry comes from or is about "
        "(null for the company's own entries, and for a contact since erased)."
    )
    def contact(
        self,
    ) -> Annotated[ContactNode, strawberry.lazy("crm.contacts.types")] | None:
        from crm.contacts.types import ContactNode

        if not self.on_company:
            return None
        row = self.row
        if row.contact_id is not None:
            return ContactNode.from_model(row.contact)  # type: ignore[arg-type]
        if row.subject_contact_id is not None:
            return ContactNode.from_model(row.subject_contact)  # type: ignore[arg-type]
        return None


Scope = Callable[[Any], Q]


def _events(scope: Q, kinds: list[models.TimelineKind] | None) -> QuerySet[models.TimelineEvent]:
    queryset = models.TimelineEvent.filter(scope).select_related(
        "note", "contact", "subject_contact"
    )
    return queryset.filter(kind__in=kinds) if kinds else queryset


def timeline_field(scope: Scope, *, on_company: bool, description: str) -> Any:
    """`Contact.timeline` / `Company.timeline`: the parent's events, newest first, one
    statement a page (the notes and the contacts they mention joined)."""

    async def timeline(
        root: Any,
        kinds: list[TimelineKind] | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[TimelineEventNode]:
        return await connection(
            _events(scope(root), kinds),
            NEWEST_FIRST,
            PageRequest(first, after),
            lambda row: TimelineEventNode.from_model(row, on_company),
        )

    return strawberry.field(resolver=timeline, description=description)


def contact_scope(contact: Any) -> Q:
    return Q(contact_id=contact.row.id)


def company_scope(company: Any) -> Q:
    """The company's own events, and its contacts' notes."""
    return Q(company_id=company.row.id) | Q(kind=Kind.NOTE, contact__company_id=company.row.id)
