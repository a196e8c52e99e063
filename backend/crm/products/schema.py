"""Product catalogue queries and mutations: thin resolvers over `crm.products.services`."""

from __future__ import annotations

import strawberry

from crm.core.pagination import SortKey
from crm.graphql.connection import searchable_list_field
from crm.graphql.errors import UserError
from crm.graphql.inputs import given_fields
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import decode_id, node_field
from crm.products import services
from crm.products.models import Product
from crm.products.types import ProductNode

_BY_NAME = [SortKey("name_key")]
_FIELDS = ("name", "code", "description", "archived")


@strawberry.input
class CreateProductInput:
    name: str
    code: str | None = None
    description: str | None = None


@strawberry.input(description="Only the fields given change.")
class UpdateProductInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    code: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    archived: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Archive a product still in use instead of deleting it.",
    )


@strawberry.input
class ProductIdInput:
    id: strawberry.ID


@strawberry.type
class ProductPayload:
    product: ProductNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteProductPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProductQuery:
    products = searchable_list_field(
        ProductNode,
        services.products_matching,
        _BY_NAME,
        [IsStaff],
        description="The catalogue by name, archived products included (see `archived`); "
        "`search` looks in names (whatever the case and accents) and codes.",
    )
    product = node_field(ProductNode, Product, [IsStaff])


@strawberry.type
class ProductMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def create_product(self, input: CreateProductInput) -> ProductPayload:
        changes = services.ProductChanges(**given_fields(input, ("name", "code", "description")))
        product = await services.create_product(changes)
        return ProductPayload(product=ProductNode.from_model(product))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def update_product(self, input: UpdateProductInput) -> ProductPayload:
        changes = services.ProductChanges(**given_fields(input, _FIELDS))
        product = await services.update_product(decode_id(input.id, "Product", ("id",)), changes)
        return ProductPayload(product=ProductNode.from_model(product))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def delete_product(self, input: ProductIdInput) -> DeleteProductPayload:
        await services.delete_product(decode_id(input.id, "Product", ("id",)))
        return DeleteProductPayload(deleted_id=input.id)
