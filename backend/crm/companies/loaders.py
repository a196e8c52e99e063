"""Batch loaders for company relations."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader
from tortoise.functions import Count

from crm.companies.models import Company
from crm.contacts.models import Contact


async def _companies_by_id(company_ids: Sequence[int]) -> list[Company | None]:
    found = {c.id: c for c in await Company.filter(id__in=list(company_ids))}
    return [found.get(company_id) for company_id in company_ids]


async def _contact_counts(company_ids: Sequence[int]) -> list[int]:
    rows = (
        await Contact.filter(company_id__in=list(company_ids), archived_at__isnull=True)
        .annotate(n=Count("id"))
        .group_by("company_id")
        .values("company_id", "n")
    )
    counts = {row["company_id"]: row["n"] for row in rows}
    return [counts.get(company_id, 0) for company_id in company_ids]


class CompanyLoaders:
    @cached_property
    def by_id(self) -> DataLoader[int, Company | None]:
        return DataLoader(load_fn=_companies_by_id)

    @cached_property
    def contact_count(self) -> DataLoader[int, int]:
        return DataLoader(load_fn=_contact_counts)
