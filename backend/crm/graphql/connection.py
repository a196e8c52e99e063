"""Every list is a `Connection[Node]`: one generic shape and one way to fill it from a page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.permission import BasePermission
from tortoise.models import Model
from tortoise.queryset import QuerySet

from crm.core.pagination import Page, PageRequest, SortKey, paginate
from crm.graphql.relay import PageInfo

NodeT = TypeVar("NodeT")
ModelT = TypeVar("ModelT", bound=Model)

CountFn = Callable[[], Awaitable[int]]


@strawberry.type(description="One item of a list, with the cursor to page from it.")
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type(description="A page of a list, and how to get the next or previous one.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    count: strawberry.Private[CountFn]
    count_is_estimate: strawberry.Private[bool] = False

    @strawberry.field(
        description="How many match the list's filter and search, counted only when asked "
        "for (with a search on a large list it costs about as much as the number of matches: "
        "milliseconds for thousands, up to ~0.5 s for a word nearly every row has)."
    )
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(
        description="True when totalCount is an estimate: a search for a word most of a "
        "large list shares is estimated from a sample rather than counted row by row."
    )
    def total_count_is_estimate(self) -> bool:
        return self.count_is_estimate

    @classmethod
    def of(
        cls,
        page: Page[ModelT],
        nodes: Sequence[NodeT],
        count: CountFn,
        *,
        count_is_estimate: bool = False,
    ) -> Connection[NodeT]:
        """A page's rows as `nodes` (one per row, in order), with their cursors."""
        return cls(
            edges=[Edge(cursor=c, node=n) for c, n in zip(page.cursors, nodes, strict=True)],
            page_info=PageInfo.of(page),
            count=count,
            count_is_estimate=count_is_estimate,
        )


async def connection(
    queryset: QuerySet[ModelT],
    keys: list[SortKey],
    request: PageRequest,
    to_node: Callable[[ModelT], NodeT],
) -> Connection[NodeT]:
    """One page of `queryset` in the order of `keys`; `totalCount` counts the whole queryset."""
    page = await paginate(queryset, keys, request)
    return Connection.of(page, [to_node(row) for row in page.items], queryset.count)


def searchable_list_field(
    node_type: type[NodeT],
    rows: Callable[[str | None], QuerySet[Any]],
    keys: list[SortKey],
    permission_classes: list[type[BasePermission]],
    description: str | None = None,
) -> Any:
    """A root field listing `rows(search)` in the order of `keys` as `Connection[node_type]`
    (groups, segments: the lists whose only argument besides paging is a search)."""

    async def resolve(
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Any:
        request = PageRequest(first, after, last, before)
        return await connection(rows(search), keys, request, node_type.from_model)  # type: ignore[attr-defined]

    resolve.__annotations__["return"] = Connection[node_type]  # type: ignore[valid-type]
    return strawberry.field(
        resolver=resolve, permission_classes=permission_classes, description=description
    )
