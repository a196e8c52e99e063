"""The companies to export and their cells: the company list view (filter, search, order) or
a selection, read in keyset pages like the contacts (`crm.exports.query`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from crm.companies.filters import (
    CompanyFilterSpec,
    CompanySortField,
    filtered_companies,
    sort_keys,
)
from crm.companies.models import Company
from crm.core.ids import to_global_id
from crm.core.pagination import SortKey
from crm.exports.query import PAGE_SIZE, ids_condition, keyset_pages, owner_emails, product_names
from crm.products.models import CompanyProduct

COMPANY_FIELDS = (
    "id",
    "name",
    "website",
    "industry",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
    "notes",
    "created_at",
    "updated_at",
    "owner_id",
)
COMPANY_HEADERS = [
    "ID",
    "Name",
    "Website",
    "Industry",
    "Phone",
    "Address line 1",
    "Address line 2",
    "City",
    "Region",
    "Postal code",
    "Country",
    "Products",
    "Notes",
    "Created at",
    "Updated at",
    "Owner",
]
_OWNER_ID = COMPANY_FIELDS.index("owner_id")


class CompanyRecord(NamedTuple):
    values: Sequence[Any]  # COMPANY_FIELDS as the driver returns them
    products: list[str]
    owner: str | None = None  # the owner's email


@dataclass
class CompanyExportRequest:
    """A company list view, or (when `ids` is given) exactly those companies, in its order."""

    spec: CompanyFilterSpec = field(default_factory=CompanyFilterSpec)
    search: str | None = None
    keys: list[SortKey] = field(default_factory=lambda: sort_keys(CompanySortField.NAME, False))
    ids: list[int] | None = None
    page_size: int = PAGE_SIZE


async def company_pages(request: CompanyExportRequest) -> AsyncIterator[list[CompanyRecord]]:
    if request.ids is not None:
        if not request.ids:
            return
        queryset = Company.filter(id__in=request.ids)
    else:
        queryset = filtered_companies(request.spec, request.search)
    postgres = Company._meta.db.capabilities.dialect == "postgres"
    async for rows in keyset_pages(queryset, request.keys, COMPANY_FIELDS, request.page_size):
        in_page, page_ids = ids_condition('"company_id"', [row[0] for row in rows], postgres)
        products = await product_names(CompanyProduct, "company_id", in_page, page_ids)
        owners = await owner_emails({row[_OWNER_ID] for row in rows} - {None}, postgres)
        no_products: list[str] = []
        yield [
            CompanyRecord(row, products.get(row[0], no_products), owners.get(row[_OWNER_ID]))
            for row in rows
        ]


def company_row(
    record: CompanyRecord,
    text: Callable[[str], Any],
    flag: Callable[[Any], Any],
    moment: Callable[[Any], Any],
    empty: Any,
) -> list[Any]:
    """The cells of one company in COMPANY_HEADERS order (see `columns.table_row`)."""
    pk, *texts, notes, created_at, updated_at, _owner_id = record.values[: len(COMPANY_FIELDS)]
    products = record.products
    return [
        to_global_id("Company", pk),
        *(empty if value is None else text(value) for value in texts),
        text("; ".join(products)) if products else empty,
        text(notes) if notes else empty,
        moment(created_at),
        moment(updated_at),
        empty if record.owner is None else text(record.owner),
    ]
