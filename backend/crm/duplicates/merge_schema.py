"""The mergeContacts mutation: a thin resolver over `crm.duplicates.merge`."""

from __future__ import annotations

import strawberry

from crm.contacts.types import ContactNode
from crm.core.errors import InputError
from crm.duplicates import bulk, merge
from crm.graphql.context import Info
from crm.graphql.errors import UserError, user_errors
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import decode_id, pk_of


@strawberry.input(description="Keep `field` as the contact `sourceId` has it.")
class MergeFieldInput:
    field: str = strawberry.field(
        description="title, firstName, lastName, email, jobTitle, type, status, company, "
        "address (all its lines together) or avatar."
    )
    source_id: strawberry.ID


@strawberry.input
class MergeContactsInput:
    keep_id: strawberry.ID
    merge_ids: list[strawberry.ID] = strawberry.field(
        description=f"The contacts merged into the kept one and then erased (1 to "
        f"{merge.MAX_MERGED})."
    )
    fields: list[MergeFieldInput] = strawberry.field(
        default_factory=list,
        description="Whose value each field keeps; a field not listed keeps the kept "
        "contact's value, else the first merged contact's that has one (the email follows "
        "the portal account that survives).",
    )


@strawberry.type
class MergeContactsPayload:
    contact: ContactNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class MergeSameEmailDuplicatesInput:
    limit: int = strawberry.field(
        default=bulk.DEFAULT_BATCH,
        description=f"At most this many merges in this call (1 to {bulk.MAX_BATCH}); ask "
        "again while `remaining` is not 0.",
    )


@strawberry.type
class MergeSameEmailDuplicatesPayload:
    merged: int = strawberry.field(
        default=0, description="How many contacts were merged into another (and erased)."
    )
    remaining: int = strawberry.field(
        default=0, description="How many are still to merge (those that failed included)."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why a group was not merged (its contacts are as they were).",
    )


@strawberry.type
class MergeMutation:
    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Move everything the merged contacts hold to the kept contact, then "
        "erase them: one transaction.",
    )
    @reports_input_errors
    async def merge_contacts(self, info: Info, input: MergeContactsInput) -> MergeContactsPayload:
        keep_id = decode_id(input.keep_id, "Contact", ("keepId",))
        # An id that names no contact is reported by the service, by its index.
        merge_ids = [pk_of(merge_id, "Contact") for merge_id in input.merge_ids]
        choices = [
            merge.FieldChoice(choice.field, pk_of(choice.source_id, "Contact"))
            for choice in input.fields
        ]
        contact = await merge.merge_contacts(keep_id, merge_ids, choices, actor=info.context.actor)
        return MergeContactsPayload(contact=ContactNode.from_model(contact))

    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="Merge the contacts that share an email (open SAME_EMAIL pairs): of each "
        "group the one with the best portal access, then the oldest, is kept, with its own "
        "values. One transaction per merge; a group that fails is reported and left as it was.",
    )
    @reports_input_errors
    async def merge_same_email_duplicates(
        self, info: Info, input: MergeSameEmailDuplicatesInput | None = None
    ) -> MergeSameEmailDuplicatesPayload:
        limit = input.limit if input is not None else bulk.DEFAULT_BATCH
        outcome = await bulk.merge_same_email(limit, actor=info.context.actor)
        return MergeSameEmailDuplicatesPayload(
            merged=outcome.merged,
            remaining=outcome.remaining,
            errors=user_errors(InputError(outcome.failures)) if outcome.failures else [],
        )
