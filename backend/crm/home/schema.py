"""The home page query and the record of contacts opened: thin over `crm.home.services`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from crm.contacts.types import ContactNode, ContactStatus
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff, require_staff
from crm.graphql.relay import decode_id
from crm.home import services
from crm.imports.types import ImportJobNode
from crm.tasks.types import TaskNode


@strawberry.type
class StatusCount:
    status: ContactStatus  # type: ignore[valid-type]
    count: int


@strawberry.type(description="Counts over the contacts that are not archived, unless said.")
class HomeCounts:
    contacts: int
    archived: int = strawberry.field(description="Archived contacts.")
    by_status: list[StatusCount] = strawberry.field(description="Every status, in list order.")
    new_leads_this_week: int = strawberry.field(
        description="Leads created since Monday (in the time zone asked for)."
    )
    invitations_waiting: int = strawberry.field(
        description="Contacts invited to the portal who have not accepted yet."
    )
    campaigns_sending: int


@strawberry.type(
    description="Where a staff user starts the day. Each field is one statement, whatever "
    "the size of the database."
)
class Home:
    day: strawberry.Private[services.Day]
    staff_user_id: strawberry.Private[int]

    @strawberry.field(
        description="Your open tasks due by the end of today, the most overdue first (20 at most)."
    )
    async def tasks_due(self, info: Info) -> list[TaskNode]:
        tasks = await services.tasks_due(self.staff_user_id, self.day)
        loaders = info.context.loaders
        for task in tasks:
            # Read with the tasks: their contact and company cost no statement of their own.
            if task.contact is not None:
                loaders.contacts.by_id.prime(task.contact.id, task.contact)
            if task.company is not None:
                loaders.companies.by_id.prime(task.company.id, task.company)
        return [TaskNode.from_model(task) for task in tasks]

    @strawberry.field(description="The contacts you opened last, most recent first.")
    async def recently_viewed(self) -> list[ContactNode]:
        return [
            ContactNode.from_model(c) for c in await services.recently_viewed(self.staff_user_id)
        ]

    @strawberry.field(description="The contacts changed last by anyone (not archived).")
    async def recently_changed(self) -> list[ContactNode]:
        return [ContactNode.from_model(c) for c in await services.recently_changed()]

    @strawberry.field
    async def counts(self) -> HomeCounts:
        counts = await services.home_counts(self.day)
        return HomeCounts(
            contacts=counts.contacts,
            archived=counts.archived,
            by_status=[
                StatusCount(status=status, count=counts.by_status.get(status, 0))
                for status in services.ContactStatus
            ],
            new_leads_this_week=counts.new_leads_this_week,
            invitations_waiting=counts.invitations_waiting,
            campaigns_sending=counts.campaigns_sending,
        )

    @strawberry.field(description="The last imports anyone started or uploaded, newest first.")
    async def last_imports(self) -> list[ImportJobNode]:
        return [ImportJobNode.from_model(job) for job in await services.last_imports()]


@strawberry.type
class HomeQuery:
    @strawberry.field(permission_classes=[IsStaff])
    def home(
        self,
        info: Info,
        time_zone: Annotated[
            str, strawberry.argument(description="Yours (IANA), for today and this week.")
        ] = "UTC",
    ) -> Home:
        return Home(day=services.Day.of(time_zone), staff_user_id=require_staff(info).id)


@strawberry.input
class RecordContactViewInput:
    contact_id: strawberry.ID


@strawberry.type
class RecordContactViewPayload:
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class HomeMutation:
    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="You opened this contact: it heads your recently viewed on the home page.",
    )
    @reports_input_errors
    async def record_contact_view(
        self, info: Info, input: RecordContactViewInput
    ) -> RecordContactViewPayload:
        contact_id = decode_id(input.contact_id, "Contact", ("contactId",))
        await services.record_contact_view(require_staff(info).id, contact_id)
        return RecordContactViewPayload()
