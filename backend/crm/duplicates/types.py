"""GraphQL types for possible duplicates (staff only, as every type unless marked)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from crm.core.pagination import PageRequest, SortKey
from crm.duplicates import models, services
from crm.graphql.connection import Connection, connection
from crm.graphql.context import Info
from crm.graphql.relay import Node, to_global_id

if TYPE_CHECKING:
    from crm.contacts.types import ContactNode

ContactRef = Annotated["ContactNode", strawberry.lazy("crm.contacts.types")]

DuplicateReason = strawberry.enum(
    models.DuplicateReason,
    name="DuplicateReason",
    description="Why two contacts may be one person. SAME_EMAIL: the same address once "
    "case and Unicode forms are set aside (dots and plus tags count); SAME_PHONE: a number in "
    "common (E.164); SIMILAR_NAME: names alike (accents and case aside) and something else in "
    "common: company, city, email domain (not a public mail provider), phone or email; "
    "SAME_COMPANY: both at one company (only with another reason).",
)

# Best first: the score, then the oldest pair.
BEST_FIRST = [SortKey("score", descending=True), SortKey("id")]


async def _contacts(info: Info, *contact_ids: int) -> list[ContactNode]:
    from crm.contacts.types import ContactNode

    rows = await info.context.loaders.contacts.by_id.load_many(list(contact_ids))
    return [ContactNode.from_model(row) for row in rows if row is not None]


@strawberry.type(
    name="DuplicateCandidate",
    description="Two contacts that may be one person, found as contacts are saved or "
    "imported and by `crm find-duplicates`.",
)
class DuplicateCandidateNode(Node):
    id: strawberry.ID
    score: int = strawberry.field(
        description="0-100: how sure we are the two are one person (same phone alone 60, "
        "equal names in one city 80, same email 90, equal names and a shared phone 92)."
    )
    reasons: list[DuplicateReason]  # type: ignore[valid-type]
    found_at: datetime
    dismissed: bool = strawberry.field(description="Dismissed: never suggested again.")
    row: strawberry.Private[models.DuplicateCandidate]

    @classmethod
    def from_model(cls, row: models.DuplicateCandidate) -> DuplicateCandidateNode:
        return cls(
            id=to_global_id("DuplicateCandidate", row.id),
            score=row.score,
            reasons=row.reason_list,
            found_at=row.found_at,
            dismissed=row.dismissed_at is not None,
            row=row,
        )

    @strawberry.field(description="The two contacts, lower id (the older) first.")
    async def contacts(self, info: Info) -> list[ContactRef]:
        return await _contacts(info, self.row.low_contact_id, self.row.high_contact_id)  # type: ignore[attr-defined]


@strawberry.type(description="A saved contact that looks like the one being typed or imported.")
class PossibleDuplicate:
    reasons: list[DuplicateReason]  # type: ignore[valid-type]
    score: int
    contact_id: strawberry.Private[int]

    @strawberry.field
    async def contact(self, info: Info) -> ContactRef | None:
        found = await _contacts(info, self.contact_id)
        return found[0] if found else None

    @classmethod
    def of(cls, found: services.PossibleDuplicate) -> PossibleDuplicate:
        return cls(
            reasons=list(found.match.reasons), score=found.match.score, contact_id=found.contact_id
        )


@strawberry.type(description="An import row that looks like a saved contact (its email aside).")
class ImportPossibleDuplicate(PossibleDuplicate):
    row: int = strawberry.field(description="The row's number, as the preview's errors give it.")
    name: str | None = strawberry.field(
        default=None, description="The contact the row is about, as the file names it."
    )
    email: str | None = strawberry.field(
        default=None, description="The row's email, as the file gives it."
    )

    @classmethod
    def from_dict(cls, found: dict[str, Any]) -> ImportPossibleDuplicate:
        return cls(
            row=found["row"],
            name=found.get("name"),
            email=found.get("email"),
            reasons=[models.DuplicateReason(r) for r in found["reasons"]],
            score=found["score"],
            contact_id=found["contact_id"],
        )


async def candidate_page(
    contact_id: int | None, request: PageRequest
) -> Connection[DuplicateCandidateNode]:
    rows = services.open_candidates() if contact_id is None else services.candidates_of(contact_id)
    return await connection(rows, BEST_FIRST, request, DuplicateCandidateNode.from_model)


def contact_duplicates_field() -> Any:
    """`Contact.duplicates`: the contact's open pairs, best first ("Find duplicates")."""

    async def duplicates(
        root: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DuplicateCandidateNode]:
        return await candidate_page(root.row.id, PageRequest(first, after, last, before))

    return strawberry.field(
        resolver=duplicates,
        description="The contact's possible duplicates not dismissed, best first.",
    )
