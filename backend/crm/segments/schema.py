"""Segment queries and mutations: thin resolvers over `crm.segments.services`."""

from __future__ import annotations

import strawberry

from crm.contacts.listing import filter_spec
from crm.core.pagination import SortKey
from crm.graphql.connection import searchable_list_field
from crm.graphql.errors import UserError
from crm.graphql.inputs import given_as, given_fields
from crm.graphql.mutations import reports_input_errors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import decode_id, node_field
from crm.search.names import with_name_words
from crm.segments import services
from crm.segments.models import Segment
from crm.segments.types import (
    CreateSegmentInput,
    SegmentIdInput,
    SegmentNode,
    UpdateSegmentInput,
)

_BY_NAME = [SortKey("name_key")]


def _changes(given: CreateSegmentInput | UpdateSegmentInput) -> services.SegmentChanges:
    return services.SegmentChanges(
        **given_fields(given, ("name", "search")), spec=given_as(given.filter, filter_spec)
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
    segments = searchable_list_field(
        SegmentNode, lambda search: with_name_words(Segment.all(), search), _BY_NAME, [IsStaff]
    )
    segment = node_field(SegmentNode, Segment, [IsStaff])


@strawberry.type
class SegmentMutation:
    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def create_segment(self, input: CreateSegmentInput) -> SegmentPayload:
        segment = await services.create_segment(_changes(input))
        return SegmentPayload(segment=SegmentNode.from_model(segment))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def update_segment(self, input: UpdateSegmentInput) -> SegmentPayload:
        segment_id = decode_id(input.id, "Segment", ("id",))
        segment = await services.update_segment(segment_id, _changes(input))
        return SegmentPayload(segment=SegmentNode.from_model(segment))

    @strawberry.mutation(permission_classes=[IsStaff])
    @reports_input_errors
    async def delete_segment(self, input: SegmentIdInput) -> DeleteSegmentPayload:
        await services.delete_segment(decode_id(input.id, "Segment", ("id",)))
        return DeleteSegmentPayload(deleted_id=input.id)
