"""Keyset (cursor) pagination over any ordered queryset.

A cursor holds the sort values of a row plus its id, so a page starts exactly after the
row it names even when rows are inserted or deleted meanwhile. Rows with no value in a
nullable sort key always come last, in both directions.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from tortoise.expressions import Q, RawSQL
from tortoise.fields import BooleanField, IntField
from tortoise.models import Model
from tortoise.queryset import QuerySet

from crm.core.errors import ErrorCode, FieldError, InputError
from crm.core.rows import Row

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50
# Primary keys are 32-bit IntFields: a cursor naming a larger id was forged.
MAX_CURSOR_ID = 2**31 - 1

ModelT = TypeVar("ModelT", bound=Model)


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool = False
    nullable: bool = False
    is_datetime: bool = False


@dataclass(frozen=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


@dataclass
class Page(Generic[ModelT]):
    items: list[ModelT]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool


def check_page_request(request: PageRequest) -> None:
    problems: list[FieldError] = []
    for name, value in (("first", request.first), ("last", request.last)):
        if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
            problems.append(
                FieldError(
                    (name,),
                    f"`{name}` must be between 0 and {MAX_PAGE_SIZE}, got {value}",
                    ErrorCode.INVALID,
                )
            )
    if request.first is not None and request.last is not None:
        problems.append(
            FieldError(("last",), "Pass either `first` or `last`, not both", ErrorCode.INVALID)
        )
    if problems:
        raise InputError(problems)


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(
        [v.isoformat() if isinstance(v, datetime) else v for v in values], separators=(",", ":")
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(
    cursor: str, keys: list[SortKey], argument: str, model: type[Model] | None = None
) -> list[Any]:
    """The sort values and id a cursor holds; anything a client could have forged is INVALID."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(keys) + 1:
            raise ValueError("wrong length")
        decoded = [
            _decode_value(model, key, value) for key, value in zip(keys, values, strict=False)
        ]
        pk = values[-1]
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk <= MAX_CURSOR_ID:
            raise ValueError("bad id")
        return [*decoded, pk]
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError, TypeError):
        raise InputError.single((argument,), "This cursor is not valid for this list") from None


def _decode_value(model: type[Model] | None, key: SortKey, value: Any) -> Any:
    """Check a sort value has the key's type, so a forged one cannot reach the database."""
    if value is None:
        if not key.nullable:
            raise ValueError("null for a key that is never null")
        return None
    if key.is_datetime:
        if not isinstance(value, str):
            raise ValueError("not a datetime")
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("datetime without offset")
        return moment.astimezone(UTC)
    field = model._meta.fields_map.get(key.field) if model is not None else None
    if isinstance(field, BooleanField):
        expected: tuple[type, ...] = (bool,)
    elif isinstance(field, IntField):
        expected = (int,)
    else:
        expected = (str,)
    if not isinstance(value, expected) or (expected == (int,) and isinstance(value, bool)):
        raise ValueError("wrong type")
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL character")
    return value


def _null_flag(key: SortKey) -> str:
    return f"_null_{key.field}"


def _after_condition(keys: list[SortKey], values: list[Any], reverse: bool) -> Q:
    """Rows strictly after `values` in the order given by `keys` (+ id), or before if reverse."""
    all_keys = [*keys, SortKey("id", descending=keys[-1].descending if keys else False)]
    branches: list[Q] = []
    equal_so_far: list[Q] = []
    for key, value in zip(all_keys, values, strict=True):
        descending = key.descending != reverse
        if key.nullable:
            # Nulls sort after every value (before them when reversed).
            if value is None:
                if not reverse:
                    equal_so_far.append(Q(**{f"{key.field}__isnull": True}))
                    continue
                branches.append(Q(*equal_so_far, Q(**{f"{key.field}__isnull": False})))
                equal_so_far.append(Q(**{f"{key.field}__isnull": True}))
                continue
            if not reverse:
                branches.append(Q(*equal_so_far, Q(**{f"{key.field}__isnull": True})))
        op = "lt" if descending else "gt"
        branches.append(Q(*equal_so_far, Q(**{f"{key.field}__{op}": value})))
        equal_so_far.append(Q(**{key.field: value}))
    after = Q(*branches, join_type=Q.OR)
    first = all_keys[0]
    if first.nullable:
        return after
    # Implied by the branches, but a plain bound on the first key lets the database seek in
    # its index instead of walking it from the start (an OR of branches cannot).
    bound = "lte" if first.descending != reverse else "gte"
    return Q(Q(**{f"{first.field}__{bound}": values[0]}), after)


def _ordering(keys: list[SortKey], reverse: bool) -> list[str]:
    order: list[str] = []
    for key in keys:
        descending = key.descending != reverse
        if key.nullable:
            order.append(("-" if reverse else "") + _null_flag(key))
        order.append(("-" if descending else "") + key.field)
    last_descending = (keys[-1].descending if keys else False) != reverse
    order.append("-id" if last_descending else "id")
    return order


def cursor_for(item: Model | Row, keys: list[SortKey]) -> str:
    return encode_cursor([getattr(item, key.field) for key in keys] + [item.pk])


async def paginate(
    queryset: QuerySet[ModelT],
    keys: list[SortKey],
    request: PageRequest,
    columns: list[str] | None = None,
) -> Page[Any]:
    """A page of `queryset` in the order of `keys`: ORM models, or with `columns` plain
    `Row`s of those columns (and the sort keys, for the cursors)."""
    check_page_request(request)
    backwards = request.last is not None or (request.before is not None and request.first is None)
    size = request.last if backwards and request.last is not None else request.first
    if size is None:
        size = DEFAULT_PAGE_SIZE

    for key in keys:
        if key.nullable:
            column = queryset.model._meta.fields_map[key.field].source_field or key.field
            table = queryset.model._meta.db_table
            queryset = queryset.annotate(
                **{
                    _null_flag(key): RawSQL(
                        f'CASE WHEN "{table}"."{column}" IS NULL THEN 1 ELSE 0 END'
                    )
                }
            )
    if request.after is not None:
        queryset = queryset.filter(
            _after_condition(
                keys, decode_cursor(request.after, keys, "after", queryset.model), reverse=False
            )
        )
    if request.before is not None:
        queryset = queryset.filter(
            _after_condition(
                keys, decode_cursor(request.before, keys, "before", queryset.model), reverse=True
            )
        )
    if size == 0:
        return Page([], [], has_next_page=False, has_previous_page=False)

    ordered = queryset.order_by(*_ordering(keys, reverse=backwards)).limit(size + 1)
    if columns is None:
        rows: list[Any] = await ordered
    else:
        wanted = list(dict.fromkeys([*columns, *(key.field for key in keys), "id"]))
        rows = [Row(values) for values in await ordered.values(*wanted)]
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        has_next, has_previous = request.before is not None, has_more
    else:
        has_next, has_previous = has_more, request.after is not None
    return Page(rows, [cursor_for(row, keys) for row in rows], has_next, has_previous)
