"""Saving a row whose name is unique (a unique index on its folded name)."""

from __future__ import annotations

from typing import TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.models import Model

from crm.core.errors import ErrorCode, InputError

ModelT = TypeVar("ModelT", bound=Model)


async def save_named(row: ModelT, kind: str) -> ModelT:
    """Save `row`; the database's unique index refuses a name taken (race-safe: no
    check-then-insert window), reported as DUPLICATE on `name`."""
    try:
        await row.save()
    except IntegrityError:
        raise InputError.single(
            ("name",),
            f"A {kind} named {row.name!r} already exists",
            ErrorCode.DUPLICATE,  # type: ignore[attr-defined]
        ) from None
    return row
