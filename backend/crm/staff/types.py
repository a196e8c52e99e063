"""GraphQL types for staff and for whoever is signed in."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from crm.graphql.context import Info
from crm.graphql.relay import Node, to_global_id
from crm.portal.types import PortalUser
from crm.staff import columns, models

StaffRole = strawberry.enum(models.StaffRole)
StaffStatus = strawberry.enum(
    models.StaffStatus,
    description="INVITED: has not chosen a password yet; ACTIVE; DEACTIVATED: cannot sign in.",
)
ListName = strawberry.enum(columns.ListName, description="A list whose columns a user chooses.")


@strawberry.type(name="StaffUser")
class StaffUserNode(Node):
    id: strawberry.ID
    email: str
    name: str
    role: StaffRole
    status: StaffStatus
    created_at: datetime
    last_login_at: datetime | None = strawberry.field(description="The last sign-in.")
    invited_at: datetime | None

    @strawberry.field(
        description="The optional columns the signed-in user shows in a list, in order (the "
        "list's default ones until they choose); null on anyone else's account."
    )
    def list_columns(
        self, info: Info, list_: Annotated[ListName, strawberry.argument(name="list")]
    ) -> list[str] | None:
        viewer = info.context.staff_user
        if viewer is None or to_global_id("StaffUser", viewer.id) != self.id:
            return None
        return columns.list_columns(viewer, columns.ListName(list_))

    @classmethod
    def from_model(cls, row: models.StaffUser) -> StaffUserNode:
        return cls(
            id=to_global_id("StaffUser", row.id),
            email=row.email,
            name=row.name,
            role=row.role,
            status=row.status,
            created_at=row.created_at,
            last_login_at=row.last_login_at,
            invited_at=row.invited_at,
        )


Viewer = Annotated[StaffUserNode | PortalUser, strawberry.union("Viewer")]
