"""What the home page shows a staff user: their tasks due, the contacts they opened last and
those changed last, the counts that matter, the last imports. Each part is one statement,
so the whole page is a fixed handful whatever the size of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise import connections
from tortoise.exceptions import IntegrityError

from crm.campaigns.models import CampaignStatus
from crm.contacts.models import Contact, ContactStatus, ContactType, PortalStatus
from crm.core.errors import ErrorCode, InputError
from crm.home.models import RecentView
from crm.imports.models import ImportJob
from crm.jobs.queue import bind
from crm.tasks.models import Task

RECENT = 8
TASKS_SHOWN = 20
KEPT_VIEWS = 20  # per staff user: more than the page shows, so archiving one leaves others
LAST_IMPORTS = 5


@dataclass(frozen=True)
class Day:
    """The caller's today and this week (from Monday), in their time zone."""

    end: datetime
    week_start: datetime

    @classmethod
    def of(cls, time_zone: str, now: datetime | None = None) -> Day:
        try:
            zone = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError.single(
                ("timeZone",), "Unknown time zone, e.g. Europe/Paris", ErrorCode.INVALID
            ) from None
        local = (now or datetime.now(UTC)).astimezone(zone)
        midnight = datetime.combine(local.date(), time(), tzinfo=zone)
        monday = midnight - timedelta(days=local.weekday())
        return cls(end=(midnight + timedelta(days=1)).astimezone(UTC), week_start=monday)


@dataclass
class HomeCounts:
    by_status: dict[ContactStatus, int] = field(default_factory=dict)
    contacts: int = 0
    archived: int = 0
    invitations_waiting: int = 0
    new_leads_this_week: int = 0
    campaigns_sending: int = 0


# The tallies of migration 0029 (one row per type, status, portal status and archived flag)
# and two counts that no tally keeps, labelled in the `type` column, in one statement.
_COUNTS = f"""
SELECT type, status, portal_status, archived, SUM(change) AS count
  FROM contact_tally_change GROUP BY type, status, portal_status, archived
  HAVING SUM(change) <> 0
UNION ALL
SELECT 'NEW_LEADS', '', '', NULL, COUNT(*) FROM contact
 WHERE archived_at IS NULL AND created_at >= :week_start AND type = '{ContactType.LEAD.value}'
UNION ALL
SELECT 'SENDING', '', '', NULL, COUNT(*) FROM campaign
 WHERE status = '{CampaignStatus.SENDING.value}'
"""


async def home_counts(day: Day) -> HomeCounts:
    connection = connections.get("default")
    sql, values = bind(_COUNTS, connection.capabilities.dialect, {"week_start": day.week_start})
    counts = HomeCounts()
    for row in await connection.execute_query_dict(sql, values):
        kind, count = row["type"], int(row["count"])
        if kind == "NEW_LEADS":
            counts.new_leads_this_week = count
        elif kind == "SENDING":
            counts.campaigns_sending = count
        elif row["archived"]:
            counts.archived += count
        else:
            counts.contacts += count
            status = ContactStatus(row["status"])
            counts.by_status[status] = counts.by_status.get(status, 0) + count
            if row["portal_status"] == PortalStatus.INVITED.value:
                counts.invitations_waiting += count
    return counts


async def tasks_due(assignee_id: int, day: Day) -> list[Task]:
    """The caller's open tasks due by the end of their day, the most overdue first."""
    return (
        await Task.filter(assignee_id=assignee_id, done_at=None, due_at__lt=day.end)
        .order_by("due_at", "id")
        .limit(TASKS_SHOWN)
        .select_related("contact", "company")
    )


async def recently_viewed(staff_user_id: int) -> list[Contact]:
    views = (
        await RecentView.filter(staff_user_id=staff_user_id)
        .order_by("-viewed_at", "-id")
        .limit(RECENT)
        .select_related("contact")
    )
    return [view.contact for view in views]


async def recently_changed() -> list[Contact]:
    return await Contact.filter(archived_at=None).order_by("-updated_at", "-id").limit(RECENT)


async def last_imports() -> list[ImportJob]:
    return await ImportJob.all().order_by("-created_at", "-id").limit(LAST_IMPORTS)


_VIEWED = """
INSERT INTO recent_view (staff_user_id, contact_id, viewed_at) VALUES (:user, :contact, :now)
ON CONFLICT (staff_user_id, contact_id) DO UPDATE SET viewed_at = excluded.viewed_at
"""
_FORGET_OLD_VIEWS = """
DELETE FROM recent_view WHERE staff_user_id = :user AND id NOT IN (
  SELECT id FROM recent_view WHERE staff_user_id = :user
   ORDER BY viewed_at DESC, id DESC LIMIT :kept)
"""


async def record_contact_view(staff_user_id: int, contact_id: int) -> None:
    """`contact_id` was opened by the staff user now (a contact that does not exist: NOT_FOUND)."""
    if not await Contact.exists(id=contact_id):
        raise InputError.single(("contactId",), "No contact has this id", ErrorCode.NOT_FOUND)
    connection = connections.get("default")
    dialect = connection.capabilities.dialect
    values = {"user": staff_user_id, "contact": contact_id, "now": datetime.now(UTC)}
    try:
        await connection.execute_query(*bind(_VIEWED, dialect, values))
    except IntegrityError:  # deleted meanwhile
        raise InputError.single(
            ("contactId",), "No contact has this id", ErrorCode.NOT_FOUND
        ) from None
    kept = {"user": staff_user_id, "kept": KEPT_VIEWS}
    await connection.execute_query(*bind(_FORGET_OLD_VIEWS, dialect, kept))
