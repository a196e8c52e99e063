"""The rules of tasks: what a task holds, who it is for, and the lists of them.

Any staff member (ADMIN or MEMBER) may create, edit, reassign, complete, reopen and delete any
task. A task is assigned to an active or invited staff user, the one who creates it unless
they say otherwise; a deactivated user keeps the tasks they have, but none is newly given to
them. Completing records who and when; completing a CALL, MEETING or EMAIL task can log it as
a note on its contact (or company), which counts as being in touch ("Last contacted").

`reminded_at` says the task's reminder is settled: sent (`crm.tasks.reminders`), or not
needed: the task was done first, or its due time had already passed when it was set. So
only tasks whose reminder is still to come wait in the reminders' index, however many done
tasks pile up. A new due time, or reopening a task due later, brings its reminder back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from crm.companies.models import Company
from crm.contacts.models import Contact
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.inputs import UNSET, Maybe, is_set
from crm.core.pagination import SortKey
from crm.core.validation import text_field
from crm.notes.models import CONTACT_KINDS, NoteKind
from crm.notes.services import NoteChanges, add_note
from crm.staff.models import StaffUser
from crm.staff.ownership import check_owner
from crm.tasks.models import Task, TaskKind

MAX_TITLE = 200
MAX_NOTES = 20_000
# The kinds of task that are a way of being in touch, and so can be logged as a note.
LOGGABLE_KINDS = frozenset(TaskKind(kind.value) for kind in CONTACT_KINDS)

# What an edit may change, and the reminder's columns (written only with a new due time).
_EDITABLE = ("title", "notes", "kind", "due_at", "assignee_id", "contact_id", "company_id")
_REMINDER = ("reminded_at", "claimed_by", "lease_until")
# Open tasks by due time (none last); done ones most recently done first.
BY_DUE_TIME = [SortKey("due_at", nullable=True, is_datetime=True)]
RECENTLY_DONE = [SortKey("done_at", descending=True, is_datetime=True)]


@dataclass
class TaskChanges:
    title: Maybe[str | None] = UNSET
    notes: Maybe[str | None] = UNSET
    kind: Maybe[TaskKind | None] = UNSET
    due_at: Maybe[datetime | None] = UNSET
    assignee_id: Maybe[int | None] = UNSET
    contact_id: Maybe[int | None] = UNSET
    company_id: Maybe[int | None] = UNSET


@dataclass(frozen=True)
class TaskFilter:
    assignee_id: int | None = None
    contact_id: int | None = None
    company_id: int | None = None
    done: bool | None = None
    overdue: bool | None = None
    # Due at or after `due_from`, before `due_before` ("today" on the home page).
    due_from: datetime | None = None
    due_before: datetime | None = None


def now() -> datetime:
    return datetime.now(UTC)


def is_overdue(task: Task, moment: datetime | None = None) -> bool:
    return task.done_at is None and task.due_at is not None and task.due_at < (moment or now())


# --- lists -------------------------------------------------------------------------------


def _overdue(overdue: bool, moment: datetime) -> Q:
    if overdue:
        return Q(done_at__isnull=True, due_at__lt=moment)
    # Spelled out rather than negated: NOT (due_at < now) is unknown, so false, for a task
    # with no due time, which is never overdue.
    return Q(done_at__isnull=False) | Q(due_at__isnull=True) | Q(due_at__gte=moment)


def tasks_matching(spec: TaskFilter) -> QuerySet[Task]:
    rows = Task.all()
    if spec.assignee_id is not None:
        rows = rows.filter(assignee_id=spec.assignee_id)
    if spec.contact_id is not None:
        rows = rows.filter(contact_id=spec.contact_id)
    if spec.company_id is not None:
        rows = rows.filter(company_id=spec.company_id)
    if spec.done is not None:
        rows = rows.filter(done_at__isnull=not spec.done)
    if spec.due_from is not None:
        rows = rows.filter(due_at__gte=spec.due_from)
    if spec.due_before is not None:
        rows = rows.filter(due_at__lt=spec.due_before)
    if spec.overdue is not None:
        rows = rows.filter(_overdue(spec.overdue, now()))
    return rows


def sort_keys(spec: TaskFilter) -> list[SortKey]:
    """Done tasks most recently done first; otherwise by due time, tasks with none last (a
    list of open and done tasks together is in due-time order too)."""
    return RECENTLY_DONE if spec.done else BY_DUE_TIME


async def due_task_count(assignee_id: int) -> int:
    """The assignee's tasks due now or overdue and not done (the navigation's badge)."""
    return await Task.filter(
        assignee_id=assignee_id, done_at__isnull=True, due_at__lte=now()
    ).count()


# --- changes -----------------------------------------------------------------------------


async def get_task(task_id: int) -> Task:
    task = await Task.get_or_none(id=task_id)
    if task is None:
        raise InputError.single(("id",), "No task has this id", ErrorCode.NOT_FOUND)
    return task


async def _check_about(task: Task, changes: TaskChanges, errors: ErrorCollector) -> None:
    if is_set(changes.contact_id):
        if changes.contact_id is not None and not await Contact.exists(id=changes.contact_id):
            errors.add(("contactId",), "No contact has this id", ErrorCode.NOT_FOUND)
        task.contact_id = changes.contact_id
    if is_set(changes.company_id):
        if changes.company_id is not None and not await Company.exists(id=changes.company_id):
            errors.add(("companyId",), "No company has this id", ErrorCode.NOT_FOUND)
        task.company_id = changes.company_id


def _apply_text(task: Task, changes: TaskChanges, errors: ErrorCollector) -> None:
    if is_set(changes.title):
        title = text_field(
            changes.title, ("title",), errors, label="Title", max_length=MAX_TITLE, required=True
        )
        if title is not None:
            task.title = title
    if is_set(changes.notes):
        task.notes = text_field(
            changes.notes,
            ("notes",),
            errors,
            label="Notes",
            max_length=MAX_NOTES,
            multiline=True,
        )
    if is_set(changes.kind):
        task.kind = changes.kind or TaskKind.TODO


def _apply_due_at(task: Task, changes: TaskChanges, errors: ErrorCollector) -> None:
    if not is_set(changes.due_at) or changes.due_at == task.due_at:
        return
    if changes.due_at is not None and changes.due_at.tzinfo is None:
        errors.add(("dueAt",), "Give the time with its offset", ErrorCode.INVALID)
        return
    task.due_at = changes.due_at
    _schedule_reminder(task)


def _schedule_reminder(task: Task) -> None:
    """A reminder at the due time if it is still to come; none for a time already past (the
    task shows as overdue) or for a done task."""
    to_come = task.done_at is None and (task.due_at is None or task.due_at > now())
    task.reminded_at = None if to_come else now()
    task.claimed_by = task.lease_until = None


async def _apply(task: Task, changes: TaskChanges, *, current_assignee_id: int | None) -> None:
    errors = ErrorCollector()
    _apply_text(task, changes, errors)
    _apply_due_at(task, changes, errors)
    if is_set(changes.assignee_id):
        if changes.assignee_id is None:
            errors.add(("assigneeId",), "A task needs an assignee", ErrorCode.REQUIRED)
        else:
            await check_owner(
                changes.assignee_id,
                errors,
                current_owner_id=current_assignee_id,
                field=("assigneeId",),
            )
            task.assignee_id = changes.assignee_id
    await _check_about(task, changes, errors)
    errors.raise_if_any()


async def create_task(changes: TaskChanges, creator: StaffUser) -> Task:
    """A new open task, assigned to `creator` unless another assignee is given."""
    task = Task(title="", kind=TaskKind.TODO, created_by_id=creator.id)
    if not is_set(changes.title):
        changes.title = None
    if not is_set(changes.assignee_id) or changes.assignee_id is None:
        changes.assignee_id = creator.id
    await _apply(task, changes, current_assignee_id=None)
    await task.save()
    return task


async def update_task(task_id: int, changes: TaskChanges) -> Task:
    """Edit or reassign a task: only the fields given change.

    Only the columns that change are written: a reminder sent meanwhile stays sent."""
    task = await get_task(task_id)
    before = {column: getattr(task, column) for column in _EDITABLE}
    await _apply(task, changes, current_assignee_id=task.assignee_id)
    changed = [column for column, value in before.items() if getattr(task, column) != value]
    if "due_at" in changed:
        changed.extend(_REMINDER)
    if changed:
        await task.save(update_fields=[*changed, "updated_at"])
    return task


async def complete_task(task_id: int, by: StaffUser, *, log_as_note: bool = False) -> Task:
    """Mark the task done by `by`, now (a task already done keeps who and when). With
    `log_as_note`, a call, meeting or email becomes a note on its contact, else its company,
    in the same transaction."""
    task = await get_task(task_id)
    if log_as_note:
        _check_loggable(task)
    async with in_transaction():
        moment = now()
        # Whoever completes it first is who did it; the reminder, if not sent yet, never is.
        done = await Task.filter(id=task.id, done_at__isnull=True).update(
            done_at=moment, done_by_id=by.id, claimed_by=None, lease_until=None, updated_at=moment
        )
        if not done:
            return await get_task(task_id)
        await Task.filter(id=task.id, reminded_at__isnull=True).update(reminded_at=moment)
        if log_as_note:
            await _log_as_note(task, by)
    task.done_at, task.done_by_id, task.updated_at = moment, by.id, moment
    return task


def _check_loggable(task: Task) -> None:
    if task.kind not in LOGGABLE_KINDS:
        raise InputError.single(
            ("logAsNote",),
            "Only a call, meeting or email can be logged as a note",
            ErrorCode.NOT_ALLOWED,
        )
    if task.contact_id is None and task.company_id is None:
        raise InputError.single(
            ("logAsNote",),
            "This task is about no contact or company to log a note on",
            ErrorCode.NOT_ALLOWED,
        )


async def _log_as_note(task: Task, author: StaffUser) -> None:
    body = task.title if not task.notes else f"{task.title}\n\n{task.notes}"
    await add_note(
        NoteChanges(kind=NoteKind(task.kind.value), body=body[:MAX_NOTES], occurred_at=None),
        author,
        contact_id=task.contact_id,
        company_id=None if task.contact_id is not None else task.company_id,
    )


async def reopen_task(task_id: int) -> Task:
    """Open a done task again; its reminder comes back if its due time is still to come."""
    task = await get_task(task_id)
    if task.done_at is None:
        return task
    task.done_at = task.done_by_id = None
    _schedule_reminder(task)
    await task.save(update_fields=["done_at", "done_by_id", *_REMINDER, "updated_at"])
    return task


async def delete_task(task_id: int) -> None:
    task = await get_task(task_id)
    await task.delete()
