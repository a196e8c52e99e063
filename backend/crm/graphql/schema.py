"""The whole schema: each domain's Query and Mutation classes, plus Node lookup and limits."""

from __future__ import annotations

from pathlib import Path

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.schema.config import StrawberryConfig

from crm.companies.models import Company
from crm.companies.schema import CompanyMutation, CompanyQuery
from crm.companies.types import CompanyNode
from crm.contacts.models import Contact
from crm.contacts.schema import ContactMutation, ContactQuery
from crm.contacts.types import ContactNode
from crm.core.errors import ErrorCode, InputError
from crm.graphql.errors import MaskInternalErrors
from crm.graphql.permissions import IsStaff
from crm.graphql.relay import Node, from_global_id
from crm.groups.models import Group
from crm.groups.schema import GroupMutation, GroupQuery
from crm.groups.types import GroupNode
from crm.organisation.schema import OrganisationQuery
from crm.segments.models import Segment
from crm.segments.schema import SegmentMutation, SegmentQuery
from crm.segments.types import SegmentNode
from crm.staff.models import StaffUser
from crm.staff.schema import StaffMutation, StaffQuery
from crm.staff.types import StaffUserNode

MAX_DEPTH = 12
MAX_ALIASES = 50
MAX_TOKENS = 5000
MAX_NODES = 500

_NODE_TYPES = {
    "Contact": (Contact, ContactNode),
    "Company": (Company, CompanyNode),
    "StaffUser": (StaffUser, StaffUserNode),
    "Group": (Group, GroupNode),
    "Segment": (Segment, SegmentNode),
}


async def _load_nodes(ids: list[strawberry.ID]) -> list[Node | None]:
    wanted: dict[str, set[int]] = {}
    parsed = [from_global_id(global_id) for global_id in ids]
    for item in parsed:
        if item is not None and item[0] in _NODE_TYPES:
            wanted.setdefault(item[0], set()).add(item[1])
    found: dict[tuple[str, int], Node] = {}
    for type_name, pks in wanted.items():
        model, node_type = _NODE_TYPES[type_name]
        for row in await model.filter(id__in=list(pks)):
            found[(type_name, row.id)] = node_type.from_model(row)
    return [found.get(item) if item is not None else None for item in parsed]


@strawberry.type
class NodeQuery:
    @strawberry.field(permission_classes=[IsStaff])
    async def node(self, id: strawberry.ID) -> Node | None:
        return (await _load_nodes([id]))[0]

    @strawberry.field(permission_classes=[IsStaff])
    async def nodes(self, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise InputError.single(
                ("ids",), f"Ask for at most {MAX_NODES} ids at once", ErrorCode.TOO_MANY
            )
        return await _load_nodes(ids)


@strawberry.type
class Query(
    StaffQuery, ContactQuery, CompanyQuery, GroupQuery, SegmentQuery, OrganisationQuery, NodeQuery
):
    pass


@strawberry.type
class Mutation(StaffMutation, ContactMutation, CompanyMutation, GroupMutation, SegmentMutation):
    pass


class Schema(strawberry.Schema):
    def process_errors(self, errors: list, execution_context: object = None) -> None:
        """Client mistakes are not server faults: MaskInternalErrors logs the real failures."""


schema = Schema(
    query=Query,
    mutation=Mutation,
    types=[ContactNode, CompanyNode, StaffUserNode, GroupNode, SegmentNode],
    extensions=[
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        MaskInternalErrors,
    ],
    config=StrawberryConfig(auto_camel_case=True),
)

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "schema.graphql"


def schema_sdl() -> str:
    return schema.as_str() + "\n"
