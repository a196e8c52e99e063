"""Group queries and mutations: thin resolvers over `crm.groups.services`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from tortoise.queryset import QuerySet

from crm.core.errors import InputError
from crm.core.inputs import UNSET
from crm.core.pagination import PageRequest, SortKey, paginate
from crm.core.text import search_words
from crm.graphql.errors import UserError, user_errors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import PageInfo, decode_id, from_global_id
from crm.groups import services
from crm.groups.models import Group
from crm.groups.types import (
    CreateGroupInput,
    GroupConnection,
    GroupEdge,
    GroupIdInput,
    GroupMembersInput,
    GroupNode,
    UpdateGroupInput,
)

_BY_NAME = [SortKey("name_key")]


def _groups(search: str | None) -> QuerySet[Group]:
    queryset = Group.all()
    terms = search_words(search)
    if terms is None:
        return queryset
    if not terms:
        return queryset.filter(id=-1)
    for term in terms:
        queryset = queryset.filter(name_key__contains=term)
    return queryset


def _changes(given: CreateGroupInput | UpdateGroupInput) -> services.GroupChanges:
    def unset(value: object) -> object:
        return UNSET if value is strawberry.UNSET else value

    return services.GroupChanges(
        name=unset(given.name), description=unset(given.description), colour=unset(given.colour)
    )


def _contact_pk(global_id: str) -> int | None:
    parsed = from_global_id(global_id)
    return parsed[1] if parsed is not None and parsed[0] == "Contact" else None


@strawberry.type
class GroupPayload:
    group: GroupNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteGroupPayload:
    group: GroupNode | None = strawberry.field(default=None, description="As it was.")
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class GroupMembersPayload:
    group: GroupNode | None = None
    changed_count: int = strawberry.field(
        default=0, description="Memberships actually added (or removed) by this call."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="NOT_FOUND for each id that names no contact; the others are still applied.",
    )


@strawberry.type
class GroupQuery:
    @strawberry.field(permission_classes=[IsStaff])
    async def groups(
        self,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> GroupConnection:
        result = await paginate(_groups(search), _BY_NAME, PageRequest(first, after, last, before))
        return GroupConnection(
            edges=[
                GroupEdge(cursor=cursor, node=GroupNode.from_model(row))
                for row, cursor in zip(result.items, result.cursors, strict=True)
            ],
            page_info=PageInfo.of(result),
            count=_groups(search).count,
        )

    @strawberry.field(permission_classes=[IsStaff])
    async def group(self, id: strawberry.ID) -> GroupNode | None:
        parsed = from_global_id(id)
        if parsed is None or parsed[0] != "Group":
            return None
        row = await Group.get_or_none(id=parsed[1])
        return GroupNode.from_model(row) if row else None


@strawberry.type
class GroupMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    async def create_group(self, input: CreateGroupInput) -> GroupPayload:
        try:
            group = await services.create_group(_changes(input))
        except InputError as error:
            return GroupPayload(errors=user_errors(error))
        return GroupPayload(group=GroupNode.from_model(group))

    @strawberry.mutation(permission_classes=[IsStaff])
    async def update_group(self, input: UpdateGroupInput) -> GroupPayload:
        try:
            group_id = decode_id(input.id, "Group", ("id",))
            group = await services.update_group(group_id, _changes(input))
        except InputError as error:
            return GroupPayload(errors=user_errors(error))
        return GroupPayload(group=GroupNode.from_model(group))

    @strawberry.mutation(permission_classes=[IsStaff])
    async def delete_group(self, input: GroupIdInput) -> DeleteGroupPayload:
        try:
            group = await services.delete_group(decode_id(input.id, "Group", ("id",)))
        except InputError as error:
            return DeleteGroupPayload(errors=user_errors(error))
        return DeleteGroupPayload(group=GroupNode.from_model(group), deleted_id=input.id)

    @strawberry.mutation(permission_classes=[IsStaff])
    async def add_contacts_to_group(self, input: GroupMembersInput) -> GroupMembersPayload:
        return await _change_members(input, services.add_contacts)

    @strawberry.mutation(permission_classes=[IsStaff])
    async def remove_contacts_from_group(self, input: GroupMembersInput) -> GroupMembersPayload:
        return await _change_members(input, services.remove_contacts)


ChangeMembers = Callable[[int, list[int | None]], Awaitable[services.MembershipResult]]


async def _change_members(input: GroupMembersInput, change: ChangeMembers) -> GroupMembersPayload:
    try:
        group_id = decode_id(input.group_id, "Group", ("groupId",))
        result = await change(group_id, [_contact_pk(pk) for pk in input.contact_ids])
    except InputError as error:
        return GroupMembersPayload(errors=user_errors(error))
    return GroupMembersPayload(
        group=GroupNode.from_model(result.group),
        changed_count=result.changed,
        errors=user_errors(InputError(result.unknown)) if result.unknown else [],
    )
