"""Batch loaders for products: the products of contacts and companies, and usage counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from strawberry.dataloader import DataLoader
from tortoise.functions import Count

from crm.core.rows import Row
from crm.products.models import CompanyProduct, ContactProduct

PRODUCT_COLUMNS = ("id", "name", "code", "description", "archived_at", "created_at", "updated_at")


async def _products_of(links: Any, owner: str, owner_ids: Sequence[int]) -> list[list[Row]]:
    """Each owner's products by name, as plain values."""
    by_owner: dict[int, list[Row]] = defaultdict(list)
    rows = links.filter(**{f"{owner}__in": list(owner_ids)}).order_by("product__name_key")
    columns = [f"product__{column}" for column in PRODUCT_COLUMNS]
    for owner_id, *values in await rows.values_list(owner, *columns):
        by_owner[owner_id].append(Row(dict(zip(PRODUCT_COLUMNS, values, strict=True))))
    return [by_owner.get(owner_id, []) for owner_id in owner_ids]


async def _counts(links: Any, product_ids: Sequence[int], active: dict[str, Any]) -> list[int]:
    rows = (
        await links.filter(product_id__in=list(product_ids), **active)
        .annotate(n=Count("id"))
        .group_by("product_id")
        .values("product_id", "n")
    )
    counts = {row["product_id"]: row["n"] for row in rows}
    return [counts.get(product_id, 0) for product_id in product_ids]


class ProductLoaders:
    @cached_property
    def of_contact(self) -> DataLoader[int, list[Row]]:
        return DataLoader(load_fn=lambda ids: _products_of(ContactProduct.all(), "contact_id", ids))

    @cached_property
    def of_company(self) -> DataLoader[int, list[Row]]:
        return DataLoader(load_fn=lambda ids: _products_of(CompanyProduct.all(), "company_id", ids))

    @cached_property
    def contact_count(self) -> DataLoader[int, int]:
        """Active (not archived) contacts using each product."""
        return DataLoader(
            load_fn=lambda ids: _counts(
                ContactProduct.all(), ids, {"contact__archived_at__isnull": True}
            )
        )

    @cached_property
    def company_count(self) -> DataLoader[int, int]:
        return DataLoader(load_fn=lambda ids: _counts(CompanyProduct.all(), ids, {}))
