"""GraphQL types for staff and for whoever is signed in."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from crm.graphql.relay import Node, to_global_id
from crm.portal.types import PortalUser
from crm.staff import models

StaffRole = strawberry.enum(models.StaffRole)


@strawberry.type(name="StaffUser")
class StaffUserNode(Node):
    id: strawberry.ID
    email: str
    name: str
    role: StaffRole
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def from_model(cls, row: models.StaffUser) -> StaffUserNode:
        return cls(
            id=to_global_id("StaffUser", row.id),
            email=row.email,
            name=row.name,
            role=row.role,
            created_at=row.created_at,
            last_login_at=row.last_login_at,
        )


Viewer = Annotated[StaffUserNode | PortalUser, strawberry.union("Viewer")]
