"""Global object ids, the Node interface and the parts every connection shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry.permission import BasePermission
from strawberry.types.nodes import SelectedField, Selection
from tortoise.models import Model

from crm.core.errors import ErrorCode, InputError
from crm.core.ids import from_global_id as from_global_id
from crm.core.ids import to_global_id as to_global_id
from crm.core.inputs import NO_ROW
from crm.core.pagination import Page
from crm.graphql.audience import Audience, visible_to

ModelT = TypeVar("ModelT", bound=Model)
NodeT = TypeVar("NodeT")


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID


def pk_of(global_id: str, type_name: str) -> int:
    """The primary key an id names if it is the id of a `type_name`, else NO_ROW (malformed,
    another type's, out of range)."""
    parsed = from_global_id(global_id)
    return parsed[1] if parsed is not None and parsed[0] == type_name else NO_ROW


def optional_pk(global_id: str | None, type_name: str) -> int | None:
    """`pk_of` for an optional id: None when none was given."""
    return None if global_id is None else pk_of(global_id, type_name)


def decode_id(global_id: str, type_name: str, field: tuple[str, ...]) -> int:
    """The primary key inside an id of the expected type, or a NOT_FOUND error on `field`."""
    pk = pk_of(global_id, type_name)
    if pk == NO_ROW:
        raise InputError.single(
            field, f"This is not the id of a {type_name.lower()}", ErrorCode.NOT_FOUND
        )
    return pk


async def get_node(
    global_id: str,
    type_name: str,
    model: type[ModelT],
    to_node: Callable[[ModelT], NodeT],
    related: Iterable[str] = (),
) -> NodeT | None:
    """The object an id names, as its node; None for an id that names nothing of this type."""
    pk = pk_of(global_id, type_name)
    if pk == NO_ROW:
        return None
    row = await model.filter(id=pk).select_related(*related).first()
    return to_node(row) if row is not None else None


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


def node_field(
    node_type: type[NodeT],
    model: type[Model],
    permission_classes: list[type[BasePermission]],
    related: tuple[str, ...] = (),
) -> Any:
    """A root field answering one object of `node_type` by its id (null for an id that names
    nothing of that type)."""
    type_name = node_type.__strawberry_definition__.name  # type: ignore[attr-defined]

    async def resolve(id: strawberry.ID) -> Any:
        return await get_node(id, type_name, model, node_type.from_model, related)  # type: ignore[attr-defined]

    resolve.__annotations__["return"] = node_type | None  # type: ignore[operator]
    return strawberry.field(resolver=resolve, permission_classes=permission_classes)
