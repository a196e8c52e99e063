"""Possible duplicates: the review list, its count, dismissal and the form's warning (staff;
MEMBER as ADMIN). Thin resolvers over `crm.duplicates.services`."""

from __future__ import annotations

import strawberry

from crm.contacts.types import PhoneInput
from crm.core.pagination import PageRequest
from crm.duplicates import bulk, services
from crm.duplicates.types import DuplicateCandidateNode, PossibleDuplicate, candidate_page
from crm.graphql.connection import Connection
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff, require_staff
from crm.graphql.relay import decode_id, optional_pk


@strawberry.input(description="What the new-contact (or edit) form holds so far.")
class PossibleDuplicatesInput:
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phones: list[PhoneInput] | None = None
    company_id: strawberry.ID | None = None
    city: str | None = None
    contact_id: strawberry.ID | None = strawberry.field(
        default=None, description="The contact being edited, left out of the answer."
    )


@strawberry.input
class DismissDuplicateInput:
    id: strawberry.ID


@strawberry.type
class DismissDuplicatePayload:
    candidate: DuplicateCandidateNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DuplicateQuery:
    @strawberry.field(
        permission_classes=[IsStaff],
        description="Pairs of contacts that may be one person, not dismissed, best first.",
    )
    async def duplicate_candidates(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DuplicateCandidateNode]:
        return await candidate_page(None, PageRequest(first, after, last, before))

    @strawberry.field(
        permission_classes=[IsStaff],
        description="How many pairs wait for review (the navigation badge).",
    )
    async def duplicate_candidate_count(self) -> int:
        return await services.open_count()

    @strawberry.field(
        permission_classes=[IsStaff],
        description="How many contacts `mergeSameEmailDuplicates` would merge into another "
        "(a pair is one; three records of one address are two).",
    )
    async def same_email_duplicate_count(self) -> int:
        return await bulk.same_email_count()

    @strawberry.field(
        permission_classes=[IsStaff],
        description=f"Saved contacts that look like the one being typed, best first (at most "
        f"{services.MAX_POSSIBLE}): a warning under the form's fields, never a refusal. "
        "Indexed lookups only, cheap enough to ask as the user types.",
    )
    async def possible_duplicates(self, input: PossibleDuplicatesInput) -> list[PossibleDuplicate]:
        draft = services.draft_profile(
            first_name=input.first_name,
            last_name=input.last_name,
            email=input.email,
            phones=[(phone.number, phone.country) for phone in input.phones or []],
            company_id=optional_pk(input.company_id, "Company"),
            city=input.city,
        )
        editing = optional_pk(input.contact_id, "Contact")
        found = await services.possible_duplicates([draft])
        return [PossibleDuplicate.of(item) for item in found if item.contact_id != editing][
            : services.MAX_POSSIBLE
        ]


@strawberry.type
class DuplicateMutation:
    @strawberry.mutation(
        permission_classes=[IsStaff],
        description="The pair is not one person: it leaves the list for good (finding "
        "duplicates again never brings it back).",
    )
    @reports_input_errors
    async def dismiss_duplicate(
        self, info: Info, input: DismissDuplicateInput
    ) -> DismissDuplicatePayload:
        candidate_id = decode_id(input.id, "DuplicateCandidate", ("id",))
        candidate = await services.dismiss(candidate_id, require_staff(info))
        return DismissDuplicatePayload(candidate=DuplicateCandidateNode.from_model(candidate))
