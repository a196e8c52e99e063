"""Which companies a list shows, and in what order."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from crm.companies.models import Company
from crm.core.inputs import NO_ROW
from crm.core.pagination import SortKey
from crm.core.text import search_words
from crm.products.models import CompanyProduct
from crm.search.index import SearchSQL, indexed, rows_containing


class CompanySortField(StrEnum):
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"


_SORT_COLUMNS = {
    CompanySortField.NAME: ("sort_name", False),
    CompanySortField.CREATED_AT: ("created_at", True),
    CompanySortField.UPDATED_AT: ("updated_at", True),
}


@dataclass(frozen=True)
class CompanyFilterSpec:
    industry: str | None = None
    country: str | None = None
    product_id: int | None = None
    owner_id: int | None = None
    # True: companies someone owns; False: companies nobody owns.
    has_owner: bool | None = None


def sort_keys(field: CompanySortField, descending: bool) -> list[SortKey]:
    column, is_datetime = _SORT_COLUMNS[field]
    return [SortKey(column, descending, is_datetime=is_datetime)]


def filtered_companies(spec: CompanyFilterSpec, search: str | None) -> QuerySet[Company]:
    """Industry as typed (any case); a country by its two-letter code (anything else names
    none); every search word a prefix of a word of the company, through the search index."""
    queryset = Company.all()
    if spec.industry and spec.industry.strip():
        queryset = queryset.filter(industry__iexact=spec.industry.strip())
    if spec.product_id is not None:
        users = CompanyProduct.filter(product_id=spec.product_id).values("company_id")
        queryset = queryset.filter(id__in=Subquery(users))
    if spec.owner_id is not None:
        queryset = queryset.filter(owner_id=spec.owner_id)
    if spec.has_owner is not None:
        queryset = queryset.filter(owner_id__isnull=not spec.has_owner)
    country = (spec.country or "").strip().upper()
    if country:
        queryset = (
            queryset.filter(country=country) if len(country) == 2 else queryset.filter(id=NO_ROW)
        )
    terms = search_words(search)
    if terms is None:
        return queryset
    if not terms:
        return queryset.filter(id=NO_ROW)
    prefixes = [f" {term}" for term in terms]
    if long := [prefix for prefix in prefixes if indexed(prefix)]:
        # Through the search index (migration 0009), one query for every term.
        subquery = SearchSQL("(", rows_containing("company", long, every=True), ")")
        queryset = queryset.filter(id__in=subquery)
    for prefix in prefixes:
        if not indexed(prefix):
            queryset = queryset.filter(search_text__contains=prefix)
    return queryset
