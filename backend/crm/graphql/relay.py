"""Global object ids, the Node interface and the parts every connection shares."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Iterable
from enum import Enum
from typing import Any

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from crm.core.errors import ErrorCode, InputError
from crm.core.pagination import Page
from crm.graphql.audience import Audience, visible_to


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID


def to_global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode())


# Every table's primary key is a 32-bit IntField; a larger number names no row.
MAX_PK = 2**31 - 1


def from_global_id(global_id: str) -> tuple[str, int] | None:
    try:
        decoded = base64.urlsafe_b64decode(global_id.encode() + b"=" * (-len(global_id) % 4))
        type_name, _, raw_pk = decoded.decode().partition(":")
        pk = int(raw_pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not type_name or pk <= 0 or pk > MAX_PK:
        return None
    return type_name, pk


def decode_id(global_id: str, type_name: str, field: tuple[str, ...]) -> int:
    """The primary key inside an id of the expected type, or a NOT_FOUND error on `field`."""
    parsed = from_global_id(global_id)
    if parsed is None or parsed[0] != type_name:
        raise InputError.single(
            field, f"This is not the id of a {type_name.lower()}", ErrorCode.NOT_FOUND
        )
    return parsed[1]


@visible_to(Audience.ANYONE)
@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None

    @classmethod
    def of(cls, page: Page) -> PageInfo:
        return cls(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        )


CountFn = Callable[[], Awaitable[int]]


def _fields(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    """The fields of a selection set, with those of its fragments."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)


def selected_fields(info: Any, *path: str) -> set[str]:
    """Names of the fields the query selects at `path` below the field being resolved
    (fragments included; @skip/@include ignored: it may over-fetch, never under-fetch)."""
    level: list[SelectedField] = list(_fields(info.selected_fields))
    for name in path:
        level = [
            child for field in level for child in _fields(field.selections) if child.name == name
        ]
        if not level:
            return set()
    return {child.name for field in level for child in _fields(field.selections)}


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"
