"""The rules of the product catalogue: names unique whatever their case and accents, archive
rather than delete what is in use, and linking contacts and companies to products."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.inputs import UNSET, Maybe, is_set
from crm.core.text import clean, fold
from crm.core.unique import save_named
from crm.core.validation import text_field
from crm.products.models import CompanyProduct, ContactProduct, Product

MAX_NAME, MAX_CODE, MAX_DESCRIPTION = 200, 50, 5000
MAX_LINKS = 100


@dataclass
class ProductChanges:
    name: Maybe[str | None] = UNSET
    code: Maybe[str | None] = UNSET
    description: Maybe[str | None] = UNSET
    archived: Maybe[bool] = UNSET


def now() -> datetime:
    return datetime.now(UTC)


def products_matching(search: str | None) -> QuerySet[Product]:
    rows = Product.all()
    words = clean(search)
    if words:
        rows = rows.filter(Q(name_key__contains=fold(words)) | Q(code__icontains=words))
    return rows


async def get_product(product_id: int, field: str = "id") -> Product:
    product = await Product.get_or_none(id=product_id)
    if product is None:
        raise InputError.single((field,), "No product has this id", ErrorCode.NOT_FOUND)
    return product


def _apply(product: Product, changes: ProductChanges) -> None:
    errors = ErrorCollector()
    if is_set(changes.name):
        name = text_field(
            changes.name, ("name",), errors, label="Name", max_length=MAX_NAME, required=True
        )
        if name is not None:
            product.name, product.name_key = name, fold(name)
    if is_set(changes.code):
        product.code = text_field(
            changes.code, ("code",), errors, label="Code", max_length=MAX_CODE
        )
    if is_set(changes.description):
        product.description = (
            text_field(
                changes.description,
                ("description",),
                errors,
                label="Description",
                max_length=MAX_DESCRIPTION,
                multiline=True,
            )
            or ""
        )
    if is_set(changes.archived):
        if not changes.archived:
            product.archived_at = None
        elif product.archived_at is None:
            product.archived_at = now()
    errors.raise_if_any()


async def create_product(changes: ProductChanges) -> Product:
    if not is_set(changes.name):
        changes.name = None
    product = Product(name="", name_key="")
    _apply(product, changes)
    return await save_named(product, "product")


async def update_product(product_id: int, changes: ProductChanges) -> Product:
    product = await get_product(product_id)
    _apply(product, changes)
    return await save_named(product, "product")


async def delete_product(product_id: int) -> None:
    """Delete a product nobody uses; one still in use is to be archived instead."""
    product = await get_product(product_id)
    in_use = await ContactProduct.exists(product_id=product.id) or await CompanyProduct.exists(
        product_id=product.id
    )
    if in_use:
        raise InputError.single(
            ("id",),
            "Contacts or companies use this product: archive it instead",
            ErrorCode.NOT_ALLOWED,
        )
    await Product.filter(id=product.id).delete()


async def check_product_ids(
    product_ids: Sequence[int], already: Sequence[int], errors: ErrorCollector
) -> list[int]:
    """The ids, once each, if they name products; a product newly linked must not be
    archived (those already linked may stay)."""
    wanted = list(dict.fromkeys(product_ids))
    if len(wanted) > MAX_LINKS:
        errors.add(("productIds",), f"Choose at most {MAX_LINKS} products", ErrorCode.TOO_MANY)
        return []
    found = {
        row["id"]: row["archived_at"]
        for row in await Product.filter(id__in=wanted).values("id", "archived_at")
    }
    if len(found) != len(wanted):
        errors.add(("productIds",), "No product has this id", ErrorCode.NOT_FOUND)
    elif any(found[pk] is not None and pk not in already for pk in wanted):
        errors.add(("productIds",), "An archived product cannot be chosen", ErrorCode.INVALID)
    return wanted


async def contact_product_ids(contact_id: int) -> list[int]:
    return await ContactProduct.filter(contact_id=contact_id).values_list("product_id", flat=True)


async def company_product_ids(company_id: int) -> list[int]:
    return await CompanyProduct.filter(company_id=company_id).values_list("product_id", flat=True)


async def link_contact_products(contact_id: int, product_ids: Sequence[int]) -> None:
    """The contact uses exactly these products (in the caller's transaction)."""
    await ContactProduct.filter(contact_id=contact_id).exclude(product_id__in=product_ids).delete()
    have = set(await contact_product_ids(contact_id))
    new = [pk for pk in product_ids if pk not in have]
    await ContactProduct.bulk_create(
        [ContactProduct(contact_id=contact_id, product_id=pk) for pk in new]
    )


async def link_company_products(company_id: int, product_ids: Sequence[int]) -> None:
    """The company uses exactly these products (in the caller's transaction)."""
    await CompanyProduct.filter(company_id=company_id).exclude(product_id__in=product_ids).delete()
    have = set(await company_product_ids(company_id))
    new = [pk for pk in product_ids if pk not in have]
    await CompanyProduct.bulk_create(
        [CompanyProduct(company_id=company_id, product_id=pk) for pk in new]
    )
