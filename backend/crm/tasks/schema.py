"""Task queries and mutations: thin resolvers over `crm.tasks.services`."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crm.contacts.types import DateTimeRange
from crm.core.pagination import PageRequest
from crm.graphql.connection import Connection
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.inputs import given_as, given_fields
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff, require_staff
from crm.graphql.relay import decode_id, node_field, optional_pk
from crm.tasks import services
from crm.tasks.models import Task
from crm.tasks.types import TaskKind, TaskNode, task_page

_TEXT_FIELDS = ("title", "notes", "kind", "due_at")


@strawberry.input(description="Every part optional; the parts given all apply.")
class TaskFilterInput:
    assignee_id: strawberry.ID | None = None
    contact_id: strawberry.ID | None = None
    company_id: strawberry.ID | None = None
    done: bool | None = strawberry.field(
        default=None,
        description="true: done ones, most recently done first; false: open ones by due time; "
        "not given: both, by due time.",
    )
    overdue: bool | None = strawberry.field(
        default=None, description="true: open and past their due time; false: the others."
    )
    due: DateTimeRange | None = strawberry.field(
        default=None,
        description="Due in this range (today's, this week's); tasks with no "
        "due time are left out.",
    )


@strawberry.input
class CreateTaskInput:
    title: str = strawberry.field(description="Required, at most 200 characters.")
    notes: str | None = strawberry.field(default=None, description="At most 20,000 characters.")
    kind: TaskKind | None = None  # type: ignore[valid-type]
    due_at: datetime | None = strawberry.field(
        default=None,
        description="The assignee is emailed at this time (once; not if it has already passed).",
    )
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None, description="An active or invited staff user; you when not given."
    )
    contact_id: strawberry.ID | None = None
    company_id: strawberry.ID | None = None


@strawberry.input(description="Only the fields given change.")
class UpdateTaskInput:
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    kind: TaskKind | None = strawberry.UNSET  # type: ignore[valid-type]
    due_at: datetime | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new due time brings a new reminder (if it is still to come).",
    )
    assignee_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Reassign: an active or invited staff user."
    )
    contact_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="null: about no contact."
    )
    company_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="null: about no company."
    )


@strawberry.input
class CompleteTaskInput:
    id: strawberry.ID
    log_as_note: bool = strawberry.field(
        default=False,
        description="Log a CALL, MEETING or EMAIL task as a note of that kind on its contact "
        "(else its company), which updates the contact's lastContactedAt.",
    )


@strawberry.input
class TaskIdInput:
    id: strawberry.ID


@strawberry.type
class TaskPayload:
    task: TaskNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteTaskPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _filter(given_filter: TaskFilterInput | None) -> services.TaskFilter:
    if given_filter is None:
        return services.TaskFilter()
    return services.TaskFilter(
        assignee_id=optional_pk(given_filter.assignee_id, "StaffUser"),
        contact_id=optional_pk(given_filter.contact_id, "Contact"),
        company_id=optional_pk(given_filter.company_id, "Company"),
        done=given_filter.done,
        overdue=given_filter.overdue,
        due_from=given_filter.due.from_ if given_filter.due else None,
        due_before=given_filter.due.to if given_filter.due else None,
    )


def _changes(input: CreateTaskInput | UpdateTaskInput) -> services.TaskChanges:
    return services.TaskChanges(
        **given_fields(input, _TEXT_FIELDS),
        assignee_id=given_as(input.assignee_id, lambda id: optional_pk(id, "StaffUser")),
        contact_id=given_as(input.contact_id, lambda id: optional_pk(id, "Contact")),
        company_id=given_as(input.company_id, lambda id: optional_pk(id, "Company")),
    )


def _task_id(input: UpdateTaskInput | CompleteTaskInput | TaskIdInput) -> int:
    return decode_id(input.id, "Task", ("id",))


@strawberry.type
class TaskQuery:
    @strawberry.field(
        permission_classes=[IsStaff],
        description="Tasks matching the filter: open ones by due time (none last); with "
        "done: true, most recently done first.",
    )
    async def tasks(
        self,
        filter: TaskFilterInput | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[TaskNode]:
        return await task_page(_filter(filter), PageRequest(first, after))

    task = node_field(TaskNode, Task, [IsStaff])

    @strawberry.field(
        permission_classes=[IsStaff],
        description="Your tasks due now or overdue and not done (the navigation's badge).",
    )
    async def my_due_task_count(self, info: Info) -> int:
        return await services.due_task_count(require_staff(info).id)


@strawberry.type
class TaskMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def create_task(self, info: Info, input: CreateTaskInput) -> TaskPayload:
        task = await services.create_task(_changes(input), require_staff(info))
        return TaskPayload(task=TaskNode.from_model(task))

    @strawberry.mutation(
        permission_classes=[IsStaff], description="Edit or reassign a task, done or not."
    )
    @reports_input_errors
    async def update_task(self, input: UpdateTaskInput) -> TaskPayload:
        task = await services.update_task(_task_id(input), _changes(input))
        return TaskPayload(task=TaskNode.from_model(task))

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Mark a task done by you, now (one already done keeps who and when).",
    )
    @reports_input_errors
    async def complete_task(self, info: Info, input: CompleteTaskInput) -> TaskPayload:
        task = await services.complete_task(
            _task_id(input), require_staff(info), log_as_note=input.log_as_note
        )
        return TaskPayload(task=TaskNode.from_model(task))

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Open a done task again; its reminder comes back if it is due later.",
    )
    @reports_input_errors
    async def reopen_task(self, input: TaskIdInput) -> TaskPayload:
        task = await services.reopen_task(_task_id(input))
        return TaskPayload(task=TaskNode.from_model(task))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def delete_task(self, input: TaskIdInput) -> DeleteTaskPayload:
        await services.delete_task(_task_id(input))
        return DeleteTaskPayload(deleted_id=input.id)
