"""Company queries and mutations: thin resolvers over `crm.companies.services`."""

from __future__ import annotations

import strawberry
from tortoise.queryset import QuerySet

from crm.companies import services
from crm.companies.models import Company
from crm.companies.types import (
    CompanyAddressInput,
    CompanyConnection,
    CompanyEdge,
    CompanyFilter,
    CompanyNode,
    CompanyOrder,
    CompanyOrderField,
    CreateCompanyInput,
    UpdateCompanyInput,
)
from crm.contacts.filters import (
    SearchSQL,
    indexed,
    rows_containing,
)
from crm.core.errors import InputError
from crm.core.inputs import UNSET
from crm.core.pagination import PageRequest, SortKey, paginate
from crm.core.text import search_words
from crm.graphql.errors import UserError, user_errors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import PageInfo, SortDirection, decode_id, from_global_id

_ORDER_FIELDS = {
    CompanyOrderField.NAME: ("sort_name", False),
    CompanyOrderField.CREATED_AT: ("created_at", True),
    CompanyOrderField.UPDATED_AT: ("updated_at", True),
}


def _companies(filter: CompanyFilter | None, search: str | None) -> QuerySet[Company]:
    queryset = Company.all()
    if filter is not None and filter.industry:
        queryset = queryset.filter(industry__iexact=filter.industry.strip())
    country = (filter.country or "").strip().upper() if filter is not None else ""
    if country:
        # Countries are two-letter codes: anything else names none.
        queryset = queryset.filter(country=country) if len(country) == 2 else queryset.filter(id=-1)
    terms = search_words(search)
    if terms is None:
        return queryset
    if not terms:
        return queryset.filter(id=-1)
    prefixes = [f" {term}" for term in terms]
    if long := [prefix for prefix in prefixes if indexed(prefix)]:
        # Through the search index (migration 0009), one query for every term.
        subquery = SearchSQL("(", rows_containing("company", long, every=True), ")")
        queryset = queryset.filter(id__in=subquery)
    for prefix in prefixes:
        if not indexed(prefix):
            queryset = queryset.filter(search_text__contains=prefix)
    return queryset


def _changes(given: CreateCompanyInput | UpdateCompanyInput) -> services.CompanyChanges:
    def unset(value: object) -> object:
        return UNSET if value is strawberry.UNSET else value

    changes = services.CompanyChanges(
        name=unset(given.name),
        website=unset(given.website),
        industry=unset(given.industry),
        phone=unset(given.phone),
        phone_country=unset(given.phone_country),
        notes=unset(given.notes),
    )
    address = unset(given.address)
    if address is not UNSET:
        address = address or CompanyAddressInput()
        changes.address_line1 = address.line1
        changes.address_line2 = address.line2
        changes.city = address.city
        changes.region = address.region
        changes.postal_code = address.postal_code
        changes.country = address.country
    return changes


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
    ) -> CompanyConnection:
        order = order_by or CompanyOrder()
        field, is_datetime = _ORDER_FIELDS[order.field]
        keys = [SortKey(field, order.direction == SortDirection.DESC, is_datetime=is_datetime)]
        result = await paginate(
            _companies(filter, search), keys, PageRequest(first, after, last, before)
        )
        return CompanyConnection(
            edges=[
                CompanyEdge(cursor=cursor, node=CompanyNode.from_model(row))
                for row, cursor in zip(result.items, result.cursors, strict=True)
            ],
            page_info=PageInfo.of(result),
            count=_companies(filter, search).count,
        )

    @strawberry.field(permission_classes=[IsStaff])
    async def company(self, id: strawberry.ID) -> CompanyNode | None:
        parsed = from_global_id(id)
        if parsed is None or parsed[0] != "Company":
            return None
        row = await Company.get_or_none(id=parsed[1])
        return CompanyNode.from_model(row) if row else None


@strawberry.type
class CompanyMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    async def create_company(self, input: CreateCompanyInput) -> CompanyPayload:
        try:
            company = await services.create_company(_changes(input))
        except InputError as error:
            return CompanyPayload(errors=user_errors(error))
        return CompanyPayload(company=CompanyNode.from_model(company))

    @strawberry.mutation(permission_classes=[IsStaff])
    async def update_company(self, input: UpdateCompanyInput) -> CompanyPayload:
        try:
            company_id = decode_id(input.id, "Company", ("id",))
            company = await services.update_company(company_id, _changes(input))
        except InputError as error:
            return CompanyPayload(errors=user_errors(error))
        return CompanyPayload(company=CompanyNode.from_model(company))

    @strawberry.mutation(permission_classes=[IsStaff])
    async def delete_company(self, input: CompanyIdInput) -> DeleteCompanyPayload:
        try:
            await services.delete_company(decode_id(input.id, "Company", ("id",)))
        except InputError as error:
            return DeleteCompanyPayload(errors=user_errors(error))
        return DeleteCompanyPayload(deleted_id=input.id)
