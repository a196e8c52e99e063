"""GraphQL types for segments."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crm.companies.types import CompanyNode
from crm.contacts.filters import ContactFilterSpec
from crm.contacts.types import (
    ContactFilter,
    ContactNode,
    ContactOrder,
    ContactStatus,
    ContactType,
    PortalStatus,
)
from crm.core.pagination import PageRequest
from crm.graphql.connection import Connection
from crm.graphql.context import Info
from crm.graphql.relay import Node, to_global_id
from crm.groups.types import GroupNode
from crm.segments import models, services
from crm.staff.types import StaffUserNode


@strawberry.type(name="DateTimeRangeValue")
class DateTimeRangeValue:
    from_: datetime | None = strawberry.field(name="from")
    to: datetime | None


@strawberry.type
class ConsentFilterValue:
    email: bool | None = None
    sms: bool | None = None
    phone: bool | None = None
    post: bool | None = None


@strawberry.type(description="A segment's saved filter, field for field like ContactFilter.")
class SegmentFilter:
    type: list[ContactType] | None
    status: list[ContactStatus] | None
    company_id: strawberry.ID | None
    group_id: strawberry.ID | None
    product_id: strawberry.ID | None
    portal_status: list[PortalStatus] | None
    archived: bool | None
    country: str | None
    city: str | None
    industry: str | None
    has_email: bool | None
    consent: ConsentFilterValue | None
    created_at: DateTimeRangeValue | None
    last_contacted_at: DateTimeRangeValue | None
    owner_id: strawberry.ID | None
    has_owner: bool | None
    spec: strawberry.Private[ContactFilterSpec]

    @classmethod
    def from_spec(cls, spec: ContactFilterSpec) -> SegmentFilter:
        def span(start: datetime | None, end: datetime | None) -> DateTimeRangeValue | None:
            return DateTimeRangeValue(from_=start, to=end) if start or end else None

        return cls(
            type=spec.types,
            status=spec.statuses,
            company_id=to_global_id("Company", spec.company_id) if spec.company_id else None,
            group_id=to_global_id("Group", spec.group_id) if spec.group_id else None,
            product_id=to_global_id("Product", spec.product_id) if spec.product_id else None,
            portal_status=spec.portal_statuses,
            archived=spec.archived,
            country=spec.country,
            city=spec.city,
            industry=spec.industry,
            has_email=spec.has_email,
            consent=ConsentFilterValue(**spec.consent) if spec.consent else None,
            created_at=span(spec.created_from, spec.created_to),
            last_contacted_at=span(spec.last_contacted_from, spec.last_contacted_to),
            owner_id=to_global_id("StaffUser", spec.owner_id) if spec.owner_id else None,
            has_owner=spec.has_owner,
            spec=spec,
        )

    @strawberry.field(description="The company filtered on; null if none or deleted.")
    async def company(self, info: Info) -> CompanyNode | None:
        if self.spec.company_id is None:
            return None
        company = await info.context.loaders.companies.by_id.load(self.spec.company_id)
        return CompanyNode.from_model(company) if company else None

    @strawberry.field(description="The group filtered on; null if none or deleted.")
    async def group(self, info: Info) -> GroupNode | None:
        from crm.groups.models import Group

        if self.spec.group_id is None:
            return None
        group = await Group.get_or_none(id=self.spec.group_id)
        return GroupNode.from_model(group) if group else None

    @strawberry.field(description="The owner filtered on; null if none or deleted.")
    async def owner(self, info: Info) -> StaffUserNode | None:
        if self.spec.owner_id is None:
            return None
        user = await info.context.loaders.staff.by_id.load(self.spec.owner_id)
        return StaffUserNode.from_model(user) if user else None


@strawberry.type(name="Segment")
class SegmentNode(Node):
    id: strawberry.ID
    name: str
    search: str | None
    filter: SegmentFilter
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[models.Segment]

    @classmethod
    def from_model(cls, row: models.Segment) -> SegmentNode:
        return cls(
            id=to_global_id("Segment", row.id),
            name=row.name,
            search=row.search,
            filter=SegmentFilter.from_spec(services.spec_from_json(row.filter_json)),
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )

    @strawberry.field(description="The contacts that match now.")
    async def contacts(
        self,
        info: Info,
        order_by: ContactOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ContactNode]:
        from crm.contacts.listing import contact_connection, order_keys

        page = PageRequest(first, after, last, before)
        return await contact_connection(
            self.filter.spec, self.search, order_keys(order_by), page, info
        )

    @strawberry.field(description="How many contacts match now.")
    async def count(self) -> int:
        from crm.contacts.filters import filtered_contacts

        return await filtered_contacts(self.filter.spec, self.search).count()

    @strawberry.field(description="Problems with the saved filter, e.g. a deleted group.")
    async def warnings(self) -> list[str]:
        return await services.warnings(self.filter.spec)


@strawberry.input
class CreateSegmentInput:
    name: str | None = None
    filter: ContactFilter | None = None
    search: str | None = None


@strawberry.input(description="Only the fields given change.")
class UpdateSegmentInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    filter: ContactFilter | None = strawberry.UNSET
    search: str | None = strawberry.UNSET


@strawberry.input
class SegmentIdInput:
    id: strawberry.ID
