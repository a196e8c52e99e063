"""Recording what happened: every service that changes a contact or a company appends its
events here, in its own transaction, so the API, the importer, the portal, the CLI and the
mail worker all leave the same trail without GraphQL in the way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from crm.db import connection
from crm.timeline.models import ActorKind, TimelineEvent, TimelineKind


@dataclass(frozen=True)
class Actor:
    """Who did it: a staff member (by id, with their name as it was), or the portal, an
    import or the system."""

    kind: ActorKind
    name: str
    staff_user_id: int | None = None

    @classmethod
    def staff(cls, user: Any | None) -> Actor:
        """A staff user (a `StaffUser`), or the system when there is none (the CLI)."""
        if user is None:
            return SYSTEM
        return cls(ActorKind.STAFF, user.name or user.email, user.id)


SYSTEM = Actor(ActorKind.SYSTEM, "System")
PORTAL = Actor(ActorKind.PORTAL, "Portal")
IMPORT = Actor(ActorKind.IMPORT, "Import")


@dataclass
class Event:
    """One thing that happened, on a contact's timeline (`contact_id`) or a company's."""

    kind: TimelineKind
    contact_id: int | None = None
    company_id: int | None = None
    # A contact a company's event is about (see TimelineEvent.subject_contact).
    subject_contact_id: int | None = None
    note_id: int | None = None
    changes: list[dict[str, str]] | None = None
    details: dict[str, Any] | None = None
    occurred_at: datetime | None = None


def changes_between(before: dict[str, str], after: dict[str, str]) -> list[dict[str, str]]:
    """The fields that differ, as a person reads them ("Job title: Buyer → Head buyer"):
    `before` and `after` map labels to display texts, in the order of `after`."""
    return [
        {"field": label, "before": before.get(label, ""), "after": text}
        for label, text in after.items()
        if before.get(label, "") != text
    ]


def now() -> datetime:
    return datetime.now(UTC)


def event_row(actor: Actor, event: Event, moment: datetime) -> TimelineEvent:
    return TimelineEvent(
        kind=event.kind,
        occurred_at=event.occurred_at or moment,
        contact_id=event.contact_id,
        company_id=event.company_id,
        subject_contact_id=event.subject_contact_id,
        note_id=event.note_id,
        actor_kind=actor.kind,
        actor_id=actor.staff_user_id,
        actor_name=actor.name[:200],
        changes=event.changes,
        details=event.details,
    )


async def record(actor: Actor, *events: Event) -> None:
    """Append `events`, in the caller's transaction (so nothing is recorded for a change that
    did not happen, and no change goes unrecorded)."""
    await record_many(actor, events)


async def record_many(actor: Actor, events: Iterable[Event]) -> None:
    """Many events at once (a group add of thousands of contacts): one INSERT statement,
    executed for each event.

    Written as SQL rather than `bulk_create`, which builds its query anew each time: the
    mail worker records an event per message sent, and that was a tenth of its time."""
    moment = now()
    rows = [_column_values(event_row(actor, event, moment)) for event in events]
    if not rows:
        return
    conn = connection()
    sql = _insert_sql(conn.capabilities.dialect)
    if len(rows) == 1:
        await conn.execute_query(sql, rows[0])
    else:
        await conn.execute_many(sql, rows)


_COLUMNS = (
    "kind",
    "occurred_at",
    "recorded_at",
    "contact_id",
    "company_id",
    "subject_contact_id",
    "note_id",
    "actor_kind",
    "actor_id",
    "actor_name",
    "changes",
    "details",
)


@cache
def _insert_sql(dialect: str) -> str:
    marks = ", ".join(
        f"${number}" if dialect == "postgres" else "?" for number in range(1, len(_COLUMNS) + 1)
    )
    return f"INSERT INTO timeline_event ({', '.join(_COLUMNS)}) VALUES ({marks})"


def _column_values(row: TimelineEvent) -> list[Any]:
    """The row's values as the ORM would write them (its fields' own conversions)."""
    fields = TimelineEvent._meta.fields_map
    return [fields[column].to_db_value(getattr(row, column), row) for column in _COLUMNS]
