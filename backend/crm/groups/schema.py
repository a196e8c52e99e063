"""Group queries and mutations: thin resolvers over `crm.groups.services`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

from crm.core.errors import InputError
from crm.core.pagination import SortKey
from crm.graphql.connection import searchable_list_field
from crm.graphql.context import Info
from crm.graphql.errors import UserError, user_errors
from crm.graphql.inputs import given_fields
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import decode_id, node_field, pk_of
from crm.groups import services
from crm.groups.models import Group
from crm.groups.types import (
    CreateGroupInput,
    GroupIdInput,
    GroupMembersInput,
    GroupNode,
    UpdateGroupInput,
)
from crm.search.names import with_name_words
from crm.timeline.services import Actor

_BY_NAME = [SortKey("name_key")]


def _changes(given: CreateGroupInput | UpdateGroupInput) -> services.GroupChanges:
    return services.GroupChanges(**given_fields(given, ("name", "description", "colour")))


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
    groups = searchable_list_field(
        GroupNode, lambda search: with_name_words(Group.all(), search), _BY_NAME, [IsStaff]
    )
    group = node_field(GroupNode, Group, [IsStaff])


@strawberry.type
class GroupMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def create_group(self, input: CreateGroupInput) -> GroupPayload:
        group = await services.create_group(_changes(input))
        return GroupPayload(group=GroupNode.from_model(group))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def update_group(self, input: UpdateGroupInput) -> GroupPayload:
        group_id = decode_id(input.id, "Group", ("id",))
        group = await services.update_group(group_id, _changes(input))
        return GroupPayload(group=GroupNode.from_model(group))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def delete_group(self, info: Info, input: GroupIdInput) -> DeleteGroupPayload:
        group_id = decode_id(input.id, "Group", ("id",))
        group = await services.delete_group(group_id, info.context.actor)
        return DeleteGroupPayload(group=GroupNode.from_model(group), deleted_id=input.id)

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def add_contacts_to_group(
        self, info: Info, input: GroupMembersInput
    ) -> GroupMembersPayload:
        return await _change_members(input, services.add_contacts, info.context.actor)

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def remove_contacts_from_group(
        self, info: Info, input: GroupMembersInput
    ) -> GroupMembersPayload:
        return await _change_members(input, services.remove_contacts, info.context.actor)


ChangeMembers = Callable[[int, list[int], Actor], Awaitable[services.MembershipResult]]


async def _change_members(
    input: GroupMembersInput, change: ChangeMembers, actor: Actor
) -> GroupMembersPayload:
    group_id = decode_id(input.group_id, "Group", ("groupId",))
    result = await change(group_id, [pk_of(id, "Contact") for id in input.contact_ids], actor)
    return GroupMembersPayload(
        group=GroupNode.from_model(result.group),
        changed_count=result.changed,
        errors=user_errors(InputError(result.unknown)) if result.unknown else [],
    )
