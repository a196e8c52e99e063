"""The whole schema: each domain's Query and Mutation classes, plus Node lookup and limits."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from crm.avatars.schema import AvatarMutation
from crm.bulk.models import BulkOperation
from crm.bulk.schema import BulkMutation, BulkQuery
from crm.bulk.types import BulkOperationNode
from crm.campaigns.models import Campaign
from crm.campaigns.schema import CampaignMutation, CampaignQuery
from crm.campaigns.types import CampaignNode
from crm.companies.models import Company
from crm.companies.schema import CompanyMutation, CompanyQuery
from crm.companies.types import CompanyNode
from crm.contacts.models import Contact
from crm.contacts.schema import ContactMutation, ContactQuery
from crm.contacts.types import ContactNode
from crm.core.errors import ErrorCode, InputError
from crm.duplicates.merge_schema import MergeMutation
from crm.duplicates.models import DuplicateCandidate
from crm.duplicates.schema import DuplicateMutation, DuplicateQuery
from crm.duplicates.types import DuplicateCandidateNode
from crm.graphql.context import Info
from crm.graphql.cost import QueryCostLimit
from crm.graphql.errors import MaskInternalErrors
from crm.graphql.permissions import (
    IntrospectionForStaffInProduction,
    IsStaff,
    ReadOnlySessions,
    guard_object_types,
)
from crm.graphql.relay import Node, from_global_id
from crm.graphql.variables import RefuseBrokenText
from crm.groups.models import Group
from crm.groups.schema import GroupMutation, GroupQuery
from crm.groups.types import GroupNode
from crm.home.schema import HomeMutation, HomeQuery
from crm.imports.models import ImportJob
from crm.imports.schema import ImportMutation, ImportQuery
from crm.imports.types import ImportJobNode
from crm.mail.models import OutboxMessage
from crm.mail.schema import OutboxMutation, OutboxQuery
from crm.mail.types import OutboxMessageNode
from crm.messages.models import SecureMessage
from crm.messages.schema import MessageMutation, MessageQuery
from crm.messages.types import MessageNode
from crm.notes.schema import NoteMutation
from crm.ops.metrics import GraphQLMetrics
from crm.organisation.schema import OrganisationMutation, OrganisationQuery
from crm.portal.models import Invitation
from crm.portal.schema import PortalMutation, PortalQuery
from crm.portal.types import InvitationNode
from crm.products.models import Product
from crm.products.schema import ProductMutation, ProductQuery
from crm.products.types import ProductNode
from crm.segments.models import Segment
from crm.segments.schema import SegmentMutation, SegmentQuery
from crm.segments.types import SegmentNode
from crm.staff.models import StaffRole, StaffUser
from crm.staff.ownership_schema import OwnershipMutation, OwnershipQuery
from crm.staff.schema import StaffMutation, StaffQuery
from crm.staff.types import StaffUserNode
from crm.tasks.models import Task
from crm.tasks.schema import TaskMutation, TaskQuery
from crm.tasks.types import TaskNode

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
    "Invitation": (Invitation, InvitationNode),
    "OutboxMessage": (OutboxMessage, OutboxMessageNode),
    "ImportJob": (ImportJob, ImportJobNode),
    "Campaign": (Campaign, CampaignNode),
    "Product": (Product, ProductNode),
    "Message": (SecureMessage, MessageNode),
    "DuplicateCandidate": (DuplicateCandidate, DuplicateCandidateNode),
    "Task": (Task, TaskNode),
    "BulkOperation": (BulkOperation, BulkOperationNode),
}
# What a node type's `from_model` reads besides its own row.
_NODE_RELATIONS = {"Invitation": ("message",), "Campaign": ("created_by",)}
# Types only administrators may read (outbox messages hold activation and reset links):
# `node`/`nodes` answer null for them to anyone else, as for an id that names nothing.
_ADMIN_NODE_TYPES = {"OutboxMessage"}


async def _load_nodes(ids: list[strawberry.ID], info: Info) -> list[Node | None]:
    wanted: dict[str, set[int]] = {}
    parsed = [from_global_id(global_id) for global_id in ids]
    staff = info.context.staff_user
    hidden = set() if staff is not None and staff.role == StaffRole.ADMIN else _ADMIN_NODE_TYPES
    for item in parsed:
        if item is not None and item[0] in _NODE_TYPES and item[0] not in hidden:
            wanted.setdefault(item[0], set()).add(item[1])
    found: dict[tuple[str, int], Node] = {}
    for type_name, pks in wanted.items():
        model, node_type = _NODE_TYPES[type_name]
        rows = model.filter(id__in=list(pks)).select_related(*_NODE_RELATIONS.get(type_name, ()))
        for row in await rows:
            found[(type_name, row.id)] = node_type.from_model(row)
    return [found.get(item) if item is not None else None for item in parsed]


@strawberry.type
class NodeQuery:
    @strawberry.field(permission_classes=[IsStaff])
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return (await _load_nodes([id], info))[0]

    @strawberry.field(permission_classes=[IsStaff])
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise InputError.single(
                ("ids",), f"Ask for at most {MAX_NODES} ids at once", ErrorCode.TOO_MANY
            )
        return await _load_nodes(ids, info)


@strawberry.type
class Query(
    StaffQuery,
    ContactQuery,
    CompanyQuery,
    GroupQuery,
    SegmentQuery,
    PortalQuery,
    OutboxQuery,
    ImportQuery,
    CampaignQuery,
    ProductQuery,
    OrganisationQuery,
    MessageQuery,
    DuplicateQuery,
    TaskQuery,
    OwnershipQuery,
    HomeQuery,
    BulkQuery,
    NodeQuery,
):
    pass


@strawberry.type
class Mutation(
    StaffMutation,
    ContactMutation,
    CompanyMutation,
    GroupMutation,
    SegmentMutation,
    PortalMutation,
    OutboxMutation,
    ImportMutation,
    NoteMutation,
    CampaignMutation,
    OrganisationMutation,
    AvatarMutation,
    ProductMutation,
    MessageMutation,
    DuplicateMutation,
    MergeMutation,
    TaskMutation,
    HomeMutation,
    OwnershipMutation,
    BulkMutation,
):
    pass


class ReportingParserCache(ParserCache):
    """ParserCache parses in its hook, where a syntax error escapes strawberry's handling (and
    so error masking and codes). On an error it leaves the document to strawberry, which
    parses again and answers the syntax error like any other."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        with contextlib.suppress(GraphQLError):
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        yield


class Schema(strawberry.Schema):
    def process_errors(self, errors: list, execution_context: object = None) -> None:
        """Client mistakes are not server faults: MaskInternalErrors logs the real failures."""


# The depth and alias limits as validation rules, made once: the limiter extensions build new
# rule classes per request, and the validation cache, keyed by the rules, then never hits.
LIMIT_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]

schema = Schema(
    query=Query,
    mutation=Mutation,
    types=[
        ContactNode,
        CompanyNode,
        StaffUserNode,
        GroupNode,
        SegmentNode,
        InvitationNode,
        OutboxMessageNode,
        ImportJobNode,
    ],
    extensions=[
        # First, so that its counts see the errors as sent (after MaskInternalErrors).
        GraphQLMetrics,
        lambda: AddValidationRules(LIMIT_RULES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        MaskInternalErrors,
        RefuseBrokenText,
        QueryCostLimit,
        IntrospectionForStaffInProduction,
        ReadOnlySessions,
        # The app sends the same few documents again and again: parse and validate once.
        lambda: ReportingParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ],
    config=StrawberryConfig(auto_camel_case=True),
)
guard_object_types(schema._schema)

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "schema.graphql"


def schema_sdl() -> str:
    return schema.as_str() + "\n"
