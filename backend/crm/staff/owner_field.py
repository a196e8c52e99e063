"""`owner` on contacts and companies: the staff user whose record it is."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry

from crm.graphql.context import Info

if TYPE_CHECKING:
    from crm.staff.types import StaffUserNode


def owner_field() -> Any:
    """A field of a node whose `row` has an `owner_id`. Sync, returning the loader's
    awaitable: a page's owners are read in one statement, and rows without one cost nothing."""

    def owner(
        root: Any, info: Info
    ) -> Annotated[StaffUserNode, strawberry.lazy("crm.staff.types")] | None:
        owner_id = root.row.owner_id
        if owner_id is None:
            return None
        return cast("StaffUserNode | None", _load(info, owner_id))

    return strawberry.field(
        resolver=owner,
        description="The staff user whose record it is (who follows it up); null: nobody's. "
        "A deactivated owner stays until the record is given to someone else.",
    )


async def _load(info: Info, owner_id: int) -> StaffUserNode | None:
    from crm.staff.types import StaffUserNode

    user = await info.context.loaders.staff.by_id.load(owner_id)
    return StaffUserNode.from_model(user) if user is not None else None
