"""Segment queries and mutations: thin resolvers over `crm.segments.services`."""

from __future__ import annotations

import strawberry
from tortoise.queryset import QuerySet

from crm.contacts.filters import ContactFilterSpec
from crm.contacts.schema import filter_spec
from crm.contacts.types import ContactFilter
from crm.core.errors import InputError
from crm.core.inputs import UNSET
from crm.core.pagination import PageRequest, SortKey, paginate
from crm.core.text import search_words
from crm.graphql.errors import UserError, user_errors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import PageInfo, decode_id, from_global_id
from crm.segments import services
from crm.segments.models import Segment
from crm.segments.types import (
    CreateSegmentInput,
    SegmentConnection,
    SegmentEdge,
    SegmentIdInput,
    SegmentNode,
    UpdateSegmentInput,
)

_BY_NAME = [SortKey("name_key")]


def _segments(search: str | None) -> QuerySet[Segment]:
    queryset = Segment.all()
    terms = search_words(search)
    if terms is None:
        return queryset
    if not terms:
        return queryset.filter(id=-1)
    for term in terms:
        queryset = queryset.filter(name_key__contains=term)
    return queryset


def _spec(given: ContactFilter | None) -> ContactFilterSpec:
    return filter_spec(given) if given is not None else ContactFilterSpec()


def _changes(given: CreateSegmentInput | UpdateSegmentInput) -> services.SegmentChanges:
    return services.SegmentChanges(
        name=UNSET if given.name is strawberry.UNSET else given.name,
        spec=UNSET if given.filter is strawberry.UNSET else _spec(given.filter),
        search=UNSET if given.search is strawberry.UNSET else given.search,
    )


@strawberry.type
class SegmentPayload:
    segment: SegmentNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteSegmentPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SegmentQuery:
    @strawberry.field(permission_classes=[IsStaff])
    async def segments(
        self,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> SegmentConnection:
        result = await paginate(
            _segments(search), _BY_NAME, PageRequest(first, after, last, before)
        )
        return SegmentConnection(
            edges=[
                SegmentEdge(cursor=cursor, node=SegmentNode.from_model(row))
                for row, cursor in zip(result.items, result.cursors, strict=True)
            ],
            page_info=PageInfo.of(result),
            count=_segments(search).count,
        )

    @strawberry.field(permission_classes=[IsStaff])
    async def segment(self, id: strawberry.ID) -> SegmentNode | None:
        parsed = from_global_id(id)
        if parsed is None or parsed[0] != "Segment":
            return None
        row = await Segment.get_or_none(id=parsed[1])
        return SegmentNode.from_model(row) if row else None


@strawberry.type
class SegmentMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    async def create_segment(self, input: CreateSegmentInput) -> SegmentPayload:
        try:
            segment = await services.create_segment(_changes(input))
        except InputError as error:
            return SegmentPayload(errors=user_errors(error))
        return SegmentPayload(segment=SegmentNode.from_model(segment))

    @strawberry.mutation(permission_classes=[IsStaff])
    async def update_segment(self, input: UpdateSegmentInput) -> SegmentPayload:
        try:
            segment_id = decode_id(input.id, "Segment", ("id",))
            segment = await services.update_segment(segment_id, _changes(input))
        except InputError as error:
            return SegmentPayload(errors=user_errors(error))
        return SegmentPayload(segment=SegmentNode.from_model(segment))

    @strawberry.mutation(permission_classes=[IsStaff])
    async def delete_segment(self, input: SegmentIdInput) -> DeleteSegmentPayload:
        try:
            await services.delete_segment(decode_id(input.id, "Segment", ("id",)))
        except InputError as error:
            return DeleteSegmentPayload(errors=user_errors(error))
        return DeleteSegmentPayload(deleted_id=input.id)
