"""Company queries and mutations: thin resolvers over `crm.companies.services`."""

from __future__ import annotations

import strawberry

from crm.companies import services
from crm.companies.filters import (
    CompanyFilterSpec,
    CompanySortField,
    filtered_companies,
    sort_keys,
)
from crm.companies.models import Company
from crm.companies.types import (
    CompanyAddressInput,
    CompanyFilter,
    CompanyNode,
    CompanyOrder,
    CreateCompanyInput,
    UpdateCompanyInput,
)
from crm.core.pagination import PageRequest
from crm.graphql.connection import Connection, connection
from crm.graphql.context import Info
from crm.graphql.errors import UserError
from crm.graphql.inputs import given_as, given_fields
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import SortDirection, decode_id, node_field, optional_pk
from crm.products.types import product_pks


def _address_changes(address: CompanyAddressInput | None) -> dict[str, str | None]:
    address = address or CompanyAddressInput()
    return {
        "address_line1": address.line1,
        "address_line2": address.line2,
        "city": address.city,
        "region": address.region,
        "postal_code": address.postal_code,
        "country": address.country,
    }


def _changes(given: CreateCompanyInput | UpdateCompanyInput) -> services.CompanyChanges:
    fields = given_fields(given, ("name", "website", "industry", "phone", "phone_country", "notes"))
    if given.address is not strawberry.UNSET:
        fields.update(_address_changes(given.address))
    fields["product_ids"] = given_as(given.product_ids, product_pks)
    fields["owner_id"] = given_as(given.owner_id, lambda id: optional_pk(id, "StaffUser"))
    return services.CompanyChanges(**fields)


def _filter_spec(given: CompanyFilter | None) -> CompanyFilterSpec:
    if given is None:
        return CompanyFilterSpec()
    return CompanyFilterSpec(
        industry=given.industry,
        country=given.country,
        product_id=optional_pk(given.product_id, "Product"),
        owner_id=optional_pk(given.owner_id, "StaffUser"),
        has_owner=given.has_owner,
    )


@strawberry.type
class CompanyPayload:
    company: CompanyNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteCompanyPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CompanyIdInput:
    id: strawberry.ID


@strawberry.type
class CompanyQuery:
    @strawberry.field(permission_classes=[IsStaff])
    async def companies(
        self,
        filter: CompanyFilter | None = None,
        search: str | None = None,
        order_by: CompanyOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[CompanyNode]:
        order = order_by or CompanyOrder()
        spec = _filter_spec(filter)
        return await connection(
            filtered_companies(spec, search),
            sort_keys(CompanySortField(order.field), order.direction == SortDirection.DESC),
            PageRequest(first, after, last, before),
            CompanyNode.from_model,
        )

    company = node_field(CompanyNode, Company, [IsStaff])


@strawberry.type
class CompanyMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def create_company(self, info: Info, input: CreateCompanyInput) -> CompanyPayload:
        company = await services.create_company(_changes(input), actor=info.context.actor)
        return CompanyPayload(company=CompanyNode.from_model(company))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def update_company(self, info: Info, input: UpdateCompanyInput) -> CompanyPayload:
        company_id = decode_id(input.id, "Company", ("id",))
        company = await services.update_company(
            company_id, _changes(input), actor=info.context.actor
        )
        return CompanyPayload(company=CompanyNode.from_model(company))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def delete_company(self, input: CompanyIdInput) -> DeleteCompanyPayload:
        await services.delete_company(decode_id(input.id, "Company", ("id",)))
        return DeleteCompanyPayload(deleted_id=input.id)
