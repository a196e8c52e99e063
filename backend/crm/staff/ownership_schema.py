"""Owners of contacts and companies: the colleagues a record can be given to, and handing
someone's records to another (thin resolvers over `crm.staff.ownership`)."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from crm.core.pagination import PageRequest, SortKey
from crm.core.text import clean
from crm.graphql.connection import Connection, connection
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsAdmin, IsStaff
from crm.graphql.relay import decode_id, pk_of
from crm.staff import ownership
from crm.staff.models import StaffUser
from crm.staff.types import StaffUserNode

_BY_NAME = [SortKey("name"), SortKey("email")]


@strawberry.input(description="Give everything one staff user owns to another.")
class ReassignOwnedRecordsInput:
    from_staff_user_id: strawberry.ID
    to_staff_user_id: strawberry.ID = strawberry.field(
        description="An active or invited staff user."
    )


@strawberry.type
class ReassignOwnedRecordsPayload:
    contacts: int = strawberry.field(default=0, description="How many contacts changed owner.")
    companies: int = strawberry.field(default=0, description="How many companies changed owner.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OwnershipQuery:
    @strawberry.field(
        permission_classes=[IsStaff],
        description="The colleagues a record can be given to (its owner), by name: active and "
        "invited staff; with includeDeactivated, the deactivated too (to find their records). "
        "`search` looks in names and emails.",
    )
    async def staff_directory(
        self,
        search: str | None = None,
        include_deactivated: bool = False,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[StaffUserNode]:
        rows = StaffUser.all()
        if words := clean(search):
            rows = rows.filter(Q(name__icontains=words) | Q(email__icontains=words))
        if not include_deactivated:
            rows = rows.filter(is_active=True)
        request = PageRequest(first, after, last, before)
        return await connection(rows, _BY_NAME, request, StaffUserNode.from_model)


@strawberry.type
class OwnershipMutation:
    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Every contact and company one staff user owns becomes another's, in "
        "batches, each change on the record's timeline (deactivating a user leaves their "
        "records with them until then).",
    )
    @reports_input_errors
    async def reassign_owned_records(
        self, info: Info, input: ReassignOwnedRecordsInput
    ) -> ReassignOwnedRecordsPayload:
        moved = await ownership.reassign_owned_records(
            decode_id(input.from_staff_user_id, "StaffUser", ("fromStaffUserId",)),
            pk_of(input.to_staff_user_id, "StaffUser"),
            actor=info.context.actor,
        )
        return ReassignOwnedRecordsPayload(contacts=moved.contacts, companies=moved.companies)
