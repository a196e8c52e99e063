"""GraphQL types for notes."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crm.graphql.context import Info
from crm.graphql.relay import Node, to_global_id
from crm.notes import models
from crm.notes.services import can_edit

NoteKind = strawberry.enum(models.NoteKind)


@strawberry.type(name="Note")
class NoteNode(Node):
    id: strawberry.ID
    kind: NoteKind
    body: str = strawberry.field(description="Plain text; line breaks are the writer's.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    author: str = strawberry.field(description="The staff member who wrote it, by name.")
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[models.Note]

    @classmethod
    def from_model(cls, row: models.Note) -> NoteNode:
        return cls(
            id=to_global_id("Note", row.id),
            kind=row.kind,
            body=row.body,
            occurred_at=row.occurred_at,
            author=row.author_name,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @strawberry.field(description="The viewer may edit and delete it: its author, or an admin.")
    def can_edit(self, info: Info) -> bool:
        return can_edit(self.row, info.context.staff_user)
