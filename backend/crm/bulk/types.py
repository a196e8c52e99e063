"""GraphQL types for bulk operations (staff-only, as every type is unless it says otherwise)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from crm.bulk import models, services
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.relay import Node, to_global_id

if TYPE_CHECKING:
    from crm.staff.types import StaffUserNode

BulkAction = strawberry.enum(models.BulkAction, name="BulkAction")
BulkOperationState = strawberry.enum(models.BulkState, name="BulkOperationState")


@strawberry.type(description="Contacts an action leaves as they are, and why.")
class BulkSkip:
    reason: str = strawberry.field(
        description='e.g. "No email address", "Already active in the portal", '
        '"Clients need an email address".'
    )
    count: int

    @classmethod
    def list_of(cls, counts: dict[str, int]) -> list[BulkSkip]:
        """Most frequent first."""
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [cls(reason=reason, count=count) for reason, count in ordered]


@strawberry.type(description="What an action would do to a selection now.")
class BulkPreview:
    matching: int = strawberry.field(description="Contacts in the selection.")
    will_change: int = strawberry.field(description="Of those, the ones the action changes.")
    skipped: list[BulkSkip] = strawberry.field(description="The others, by reason.")

    @classmethod
    def of(cls, preview: services.Preview) -> BulkPreview:
        return cls(
            matching=preview.matching,
            will_change=preview.will_change,
            skipped=BulkSkip.list_of(preview.skipped),
        )


@strawberry.type(
    name="BulkOperation",
    description="An action applied to many contacts in the background, a batch at a time; "
    "poll it while QUEUED or RUNNING.",
)
class BulkOperationNode(Node):
    id: strawberry.ID
    action: BulkAction  # type: ignore[valid-type]
    state: BulkOperationState  # type: ignore[valid-type]
    description: str = strawberry.field(
        description='What it does: "Set status to Contacted", "Add to group VIP".'
    )
    total: int = strawberry.field(description="Contacts matching when it started.")
    processed: int = strawberry.field(description="Contacts handled so far.")
    changed: int
    skipped: list[BulkSkip]
    failed: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error_message: str | None = strawberry.field(description="Why it FAILED.")
    row: strawberry.Private[models.BulkOperation]

    @classmethod
    def from_model(cls, row: models.BulkOperation) -> BulkOperationNode:
        return cls(
            id=to_global_id("BulkOperation", row.id),
            action=row.action,
            state=row.state,
            description=services.describe(row),
            total=row.total,
            processed=row.processed,
            changed=row.changed,
            skipped=BulkSkip.list_of(row.skipped or {}),
            failed=row.failed,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            error_message=row.error_message,
            row=row,
        )

    @strawberry.field(description="Who started it; null if their account is gone.")
    async def created_by(
        self, info: Info
    ) -> Annotated[StaffUserNode, strawberry.lazy("crm.staff.types")] | None:
        from crm.staff.types import StaffUserNode

        creator_id = self.row.created_by_id  # type: ignore[attr-defined]
        if creator_id is None:
            return None
        user = await info.context.loaders.staff.by_id.load(creator_id)
        return StaffUserNode.from_model(user) if user is not None else None


@strawberry.type
class BulkOperationPayload:
    operation: BulkOperationNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
