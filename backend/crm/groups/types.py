"""GraphQL types for groups."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crm.contacts.listing import contact_list_field
from crm.core.rows import Row
from crm.graphql.context import Info
from crm.graphql.relay import Node, to_global_id
from crm.groups import models


@strawberry.type(name="Group")
class GroupNode(Node):
    id: strawberry.ID
    name: str
    description: str | None
    colour: str | None
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[models.Group | Row]

    @classmethod
    def from_model(cls, row: models.Group | Row) -> GroupNode:
        return cls(
            id=to_global_id("Group", row.id),
            name=row.name,
            description=row.description,
            colour=row.colour,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @strawberry.field(description="Active (not archived) members.")
    async def member_count(self, info: Info) -> int:
        return await info.context.loaders.groups.member_count.load(self.row.id)

    members = contact_list_field(
        description="The group's contacts, with the contact filter and search.",
        scope=lambda group, spec: setattr(spec, "group_id", group.row.id),
    )


@strawberry.input
class CreateGroupInput:
    name: str | None = None
    description: str | None = None
    colour: str | None = strawberry.field(default=None, description="#rrggbb")


@strawberry.input(description="Only the fields given change; null clears a field.")
class UpdateGroupInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    colour: str | None = strawberry.UNSET


@strawberry.input
class GroupIdInput:
    id: strawberry.ID


@strawberry.input
class GroupMembersInput:
    group_id: strawberry.ID
    contact_ids: list[strawberry.ID] = strawberry.field(description="At most 10,000 at once.")
