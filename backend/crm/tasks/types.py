"""GraphQL types for tasks. Plain fields, built once per row; people and records through
loaders, so a page of tasks costs the same few statements whatever its size."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from crm.core.pagination import PageRequest
from crm.graphql.connection import Connection, connection
from crm.graphql.context import Info
from crm.graphql.relay import Node, to_global_id
from crm.tasks import models, services

if TYPE_CHECKING:
    from crm.companies.types import CompanyNode
    from crm.contacts.types import ContactNode
    from crm.staff.types import StaffUserNode

# Lazy: the contact and company types import this module for their `tasks` field.
Staff = Annotated["StaffUserNode", strawberry.lazy("crm.staff.types")]

TaskKind = strawberry.enum(
    models.TaskKind,
    description="TODO: anything; CALL, MEETING, EMAIL: a way of being in touch, which "
    "completing can log as a note.",
)


async def _staff(info: Info, staff_id: int | None) -> StaffUserNode | None:
    from crm.staff.types import StaffUserNode

    if staff_id is None:
        return None
    user = await info.context.loaders.staff.by_id.load(staff_id)
    return StaffUserNode.from_model(user) if user is not None else None


@strawberry.type(
    name="Task",
    description="Something a staff user means to do, maybe by a time, maybe "
    "about a contact or a company.",
)
class TaskNode(Node):
    id: strawberry.ID
    title: str
    notes: str | None = strawberry.field(description="Plain text; line breaks are the writer's.")
    kind: TaskKind
    due_at: datetime | None = strawberry.field(description="When it is due; none: whenever.")
    done: bool
    done_at: datetime | None
    overdue: bool = strawberry.field(description="Not done and its due time has passed.")
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[models.Task]

    @classmethod
    def from_model(cls, row: models.Task) -> TaskNode:
        return cls(
            id=to_global_id("Task", row.id),
            title=row.title,
            notes=row.notes,
            kind=row.kind,
            due_at=row.due_at,
            done=row.done_at is not None,
            done_at=row.done_at,
            overdue=services.is_overdue(row),
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @strawberry.field(
        description="Who is to do it (and is reminded); null only if their account is gone."
    )
    async def assignee(self, info: Info) -> Staff | None:
        return await _staff(info, self.row.assignee_id)

    @strawberry.field(description="Who completed it; null while open.")
    async def done_by(self, info: Info) -> Staff | None:
        return await _staff(info, self.row.done_by_id)

    @strawberry.field(description="Who created it.")
    async def created_by(self, info: Info) -> Staff | None:
        return await _staff(info, self.row.created_by_id)

    @strawberry.field
    async def contact(
        self, info: Info
    ) -> Annotated[ContactNode, strawberry.lazy("crm.contacts.types")] | None:
        from crm.contacts.types import ContactNode

        if self.row.contact_id is None:
            return None
        contact = await info.context.loaders.contacts.by_id.load(self.row.contact_id)
        return ContactNode.from_model(contact) if contact is not None else None

    @strawberry.field
    async def company(
        self, info: Info
    ) -> Annotated[CompanyNode, strawberry.lazy("crm.companies.types")] | None:
        from crm.companies.types import CompanyNode

        if self.row.company_id is None:
            return None
        company = await info.context.loaders.companies.by_id.load(self.row.company_id)
        return CompanyNode.from_model(company) if company is not None else None


async def task_page(spec: services.TaskFilter, request: PageRequest) -> Connection[TaskNode]:
    return await connection(
        services.tasks_matching(spec), services.sort_keys(spec), request, TaskNode.from_model
    )


def _tasks_field(scope: str, description: str) -> Any:
    async def tasks(
        root: Any, done: bool | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[TaskNode]:
        spec = services.TaskFilter(done=done, **{scope: root.row.id})
        return await task_page(spec, PageRequest(first, after))

    return strawberry.field(resolver=tasks, description=description)


def contact_tasks_field() -> Any:
    """`Contact.tasks` (staff-only, as Contact is)."""
    return _tasks_field(
        "contact_id",
        "Tasks about the contact: open ones by due time (none last), done ones (done: true) "
        "most recently done first.",
    )


def company_tasks_field() -> Any:
    """`Company.tasks` (staff-only, as Company is)."""
    return _tasks_field(
        "company_id",
        "Tasks about the company: open ones by due time (none last), done ones (done: true) "
        "most recently done first.",
    )
