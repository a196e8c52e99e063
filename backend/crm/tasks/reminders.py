"""Task reminders: at its due time, a task's assignee is emailed once, through the outbox.

The tasks whose reminder is due are a `crm.jobs.queue.Queue`: a runner (in `crm serve` and
`crm worker`) claims them under a lease, then in one transaction takes those it still holds
(renewing the lease locks them, so completing one meanwhile waits or wins), queues an email
for each and marks it reminded (`reminded_at`). The email and the mark commit together,
so however many runners share the database, each reminder is queued once; a runner that
dies before committing leaves its tasks to be claimed again when the lease runs out.

None goes for a task done first (it is no longer waiting, see `crm.tasks.services`), nor to
a deactivated assignee (the reminder is marked settled all the same). A reminder that came
due while no runner was running is sent at the next start, once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from urllib.parse import quote

from tortoise.transactions import in_transaction

from crm.core.ids import to_global_id
from crm.jobs.queue import Queue, new_worker_id
from crm.jobs.runner import Runner
from crm.mail.models import MessageKind
from crm.mail.services import queue_message, wake_worker
from crm.mail.templates import render_task_reminder
from crm.settings import get_settings
from crm.tasks.models import Task

log = logging.getLogger("crm.tasks")

KIND = "task-reminders"
BATCH = 100
LEASE_SECONDS = 60
# Reminders go out within this long of their due time.
POLL_SECONDS = 10.0
GRACE_SECONDS = 5.0
# Where a reminder of a task about no contact or company leads.
TASKS_PATH = "tasks"

REMINDERS = Queue(
    table="task",
    waiting="reminded_at IS NULL AND done_at IS NULL AND due_at <= :now AND claimed_by IS NULL",
    in_hand="reminded_at IS NULL AND done_at IS NULL AND claimed_by IS NOT NULL",
    order_by="due_at, id",
)


def now() -> datetime:
    return datetime.now(UTC)


class ReminderRunner:
    def __init__(self, owner: str | None = None, batch: int = BATCH) -> None:
        self.lease = REMINDERS.lease(owner or new_worker_id(), LEASE_SECONDS)
        self.batch = batch

    def runner(self) -> Runner:
        return Runner(
            kind=KIND,
            name=f"task reminder runner {self.lease.owner}",
            run_once=self.run_once,
            poll_seconds=POLL_SECONDS,
            grace_seconds=GRACE_SECONDS,
            log=log,
        )

    async def run_once(self, stop: asyncio.Event | None = None) -> int:
        """Claim a batch of due reminders and queue their emails; how many tasks it claimed
        (those completed or rescheduled since are left alone)."""
        claimed = await self.lease.claim(self.batch)
        if not claimed:
            return 0
        async with in_transaction() as conn:
            held = await self.lease.renew([row["id"] for row in claimed], conn)
            tasks = await Task.filter(id__in=list(held)).select_related(
                "assignee", "contact", "company"
            )
            emailed = [task for task in tasks if _remindable(task)]
            for task in emailed:
                await _queue_reminder(task)
            await self.lease.settle(held, "reminded_at = :now", now=now())
        if emailed:
            wake_worker()
        return len(claimed)


def _remindable(task: Task) -> bool:
    """Someone to remind: an assignee who can still sign in (or is yet to: invited)."""
    return task.assignee is not None and task.assignee.is_active


def task_link(task: Task) -> str:
    """The page a reminder leads to: the task's contact, else its company, else the tasks."""
    if task.contact_id is not None:
        path = f"contacts/{quote(to_global_id('Contact', task.contact_id), safe='')}"
    elif task.company_id is not None:
        path = f"companies/{quote(to_global_id('Company', task.company_id), safe='')}"
    else:
        path = TASKS_PATH
    return f"{get_settings().public_url}/{path}"


def _about(task: Task) -> str:
    if task.contact is not None:
        return task.contact.full_name
    return task.company.name if task.company is not None else ""


async def _queue_reminder(task: Task) -> None:
    assignee = task.assignee
    assert assignee is not None and task.due_at is not None
    subject, text, html = render_task_reminder(
        organisation=get_settings().organisation_name,
        name=assignee.name or assignee.email,
        title=task.title,
        due_at=task.due_at,
        about=_about(task),
        link=task_link(task),
    )
    await queue_message(
        kind=MessageKind.TASK_REMINDER,
        to_address=assignee.email,
        to_name=assignee.name,
        subject=subject,
        text=text,
        html=html,
    )


async def send_due_reminders() -> int:
    """Queue every reminder due now; how many tasks were claimed."""
    runner = ReminderRunner()
    count = 0
    while claimed := await runner.run_once():
        count += claimed
    return count
