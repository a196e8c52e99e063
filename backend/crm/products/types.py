"""GraphQL types for the product catalogue."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crm.core.rows import Row
from crm.graphql.context import Info
from crm.graphql.relay import Node, pk_of, to_global_id
from crm.products import models


@strawberry.type(name="Product")
class ProductNode(Node):
    id: strawberry.ID
    name: str
    code: str | None
    description: str
    archived: bool
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[models.Product | Row]

    @classmethod
    def from_model(cls, row: models.Product | Row) -> ProductNode:
        return cls(
            id=to_global_id("Product", row.id),
            name=row.name,
            code=row.code,
            description=row.description,
            archived=row.archived_at is not None,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @strawberry.field(description="Active (not archived) contacts that use it.")
    async def contact_count(self, info: Info) -> int:
        return await info.context.loaders.products.contact_count.load(self.row.id)

    @strawberry.field(description="Companies that use it.")
    async def company_count(self, info: Info) -> int:
        return await info.context.loaders.products.company_count.load(self.row.id)


def product_pks(ids: list[strawberry.ID] | None) -> list[int]:
    """`productIds` as keys; an id that names no product is NOT_FOUND from the service."""
    return [pk_of(id, "Product") for id in ids or []]
