"""Note mutations: thin resolvers over `crm.notes.services`."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.inputs import given_fields
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff, require_staff
from crm.graphql.relay import decode_id, optional_pk
from crm.notes import models, services
from crm.notes.types import NoteKind, NoteNode


@strawberry.input(description="A note on a contact or on a company: give one of the two ids.")
class AddNoteInput:
    contact_id: strawberry.ID | None = None
    company_id: strawberry.ID | None = None
    kind: NoteKind = models.NoteKind.OTHER  # type: ignore[valid-type]
    body: str
    occurred_at: datetime | None = strawberry.field(
        default=None, description="When it happened: now when not given; at most a day ahead."
    )


@strawberry.input(description="Only the fields given change.")
class UpdateNoteInput:
    id: strawberry.ID
    kind: NoteKind | None = strawberry.UNSET  # type: ignore[valid-type]
    body: str | None = strawberry.UNSET
    occurred_at: datetime | None = strawberry.UNSET


@strawberry.input
class DeleteNoteInput:
    id: strawberry.ID


@strawberry.type
class NotePayload:
    note: NoteNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteNotePayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _changes(given: AddNoteInput | UpdateNoteInput) -> services.NoteChanges:
    return services.NoteChanges(**given_fields(given, ("kind", "body", "occurred_at")))


@strawberry.type
class NoteMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def add_note(self, info: Info, input: AddNoteInput) -> NotePayload:
        note = await services.add_note(
            _changes(input),
            require_staff(info),
            contact_id=optional_pk(input.contact_id, "Contact"),
            company_id=optional_pk(input.company_id, "Company"),
        )
        return NotePayload(note=NoteNode.from_model(note))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def update_note(self, info: Info, input: UpdateNoteInput) -> NotePayload:
        note_id = decode_id(input.id, "Note", ("id",))
        note = await services.update_note(note_id, _changes(input), require_staff(info))
        return NotePayload(note=NoteNode.from_model(note))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def delete_note(self, info: Info, input: DeleteNoteInput) -> DeleteNotePayload:
        await services.delete_note(decode_id(input.id, "Note", ("id",)), require_staff(info))
        return DeleteNotePayload(deleted_id=input.id)
