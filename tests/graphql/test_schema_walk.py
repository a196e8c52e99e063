"""Nothing staff-only reaches a portal contact or an anonymous caller, by any path.

Generated from the schema, so a field added later is walked too:
- statically: every object type reachable from a field a non-staff caller may call (Public or
  portal root fields, through every field, union and interface) is one meant for them;
- at run time: every such field is asked for with every field below it, as deep as the depth
  limit allows, as a signed-in portal contact and anonymously, over data where the contact has
  colleagues, an archived colleague, a company with internal notes and an internal group;
- the guard itself: a staff-only type answered through any path is refused.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import strawberry
from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
)

from crm.contacts.models import Contact
from crm.contacts.types import ContactNode
from crm.graphql.audience import Audience
from crm.graphql.context import Context
from crm.graphql.permissions import audience_of, guard_object_types
from crm.graphql.schema import MAX_DEPTH, schema
from crm.staff.models import StaffRole
from tests.conftest import make_staff, signed_in
from tests.graphql.test_permissions import dummy_value
from tests.graphql_client import GraphQLClient
from tests.portal.helpers import PASSWORD, activate, invited_client, latest_token

GRAPHQL = schema._schema
NOT_STAFF = {Audience.ANYONE, Audience.SIGNED_IN, Audience.PORTAL, Audience.STAFF_OR_OWNER}
# Staff sign-in (`login`) and `me` answer with the caller's own staff account once signed in as
# staff; its guard refuses it to anyone else (see the run-time tests below).
OWN_STAFF_ACCOUNT = "StaffUser"


def _root_fields_by_permission() -> dict[str, list[tuple[str, str, GraphQLField]]]:
    """Root fields grouped by the permission class they name."""
    grouped: dict[str, list[tuple[str, str, GraphQLField]]] = {}
    for kind in ("Query", "Mutation"):
        definition = schema.get_type_by_name(kind)
        graphql_root = GRAPHQL.get_type(kind)
        assert isinstance(graphql_root, GraphQLObjectType)
        for field in definition.fields:
            name = schema.config.name_converter.from_field(field)
            (permission,) = field.permission_classes
            grouped.setdefault(permission.__name__, []).append(
                (kind, name, graphql_root.fields[name])
            )
    return grouped


ROOTS = _root_fields_by_permission()
NON_STAFF_ENTRIES = ROOTS["Public"] + ROOTS["IsPortalContact"]


def _possible_types(type_: GraphQLNamedType) -> list[GraphQLObjectType]:
    if isinstance(type_, GraphQLObjectType):
        return [type_]
    if isinstance(type_, GraphQLUnionType | GraphQLInterfaceType):
        return list(GRAPHQL.get_possible_types(type_))
    return []


def reachable_types(fields: list[GraphQLField], stop_at: frozenset[str] = frozenset()) -> set[str]:
    """Every object type a value of these fields' types can lead to, through any field
    (not past the types in `stop_at`)."""
    seen: set[str] = set()
    pending = [t for field in fields for t in _possible_types(get_named_type(field.type))]
    while pending:
        type_ = pending.pop()
        if type_.name in seen:
            continue
        seen.add(type_.name)
        if type_.name in stop_at:
            continue
        for field in type_.fields.values():
            pending.extend(_possible_types(get_named_type(field.type)))
    return seen


def _audience(name: str) -> Audience:
    type_ = GRAPHQL.get_type(name)
    assert isinstance(type_, GraphQLObjectType)
    return audience_of(type_)


def test_only_types_meant_for_them_are_reachable_by_portal_contacts_and_anonymous_callers() -> None:
    # given every root field a non-staff caller may call
    entries = [field for _kind, _name, field in NON_STAFF_ENTRIES]

    # when every type reachable from them is listed
    reachable = reachable_types(entries, stop_at=frozenset({OWN_STAFF_ACCOUNT}))

    # then each is meant for non-staff viewers (and the walk saw the portal's own types)
    staff_only = {name for name in reachable if _audience(name) not in NOT_STAFF}
    assert staff_only == {OWN_STAFF_ACCOUNT}
    assert {"PortalUser", "PortalContact", "Phone", "UserError"} <= reachable


def test_administrators_types_are_reachable_only_from_administrators_fields() -> None:
    # given the root fields any staff member (a MEMBER included) may call, but `node`/`nodes`,
    # which can name any type and answer null for an administrator's type to a MEMBER
    entries = [
        field
        for _kind, name, field in ROOTS["IsStaff"] + NON_STAFF_ENTRIES
        if name not in {"node", "nodes"}
    ]

    # when the types they reach are listed
    reachable = reachable_types(entries)

    # then none is for administrators only (the outbox holds activation links)
    assert {name for name in reachable if _audience(name) == Audience.ADMIN} == set()
    admin_reachable = reachable_types([field for *_, field in ROOTS["IsAdmin"]])
    assert "OutboxMessage" in admin_reachable


def test_every_object_type_checks_its_audience_where_it_is_resolved() -> None:
    # given every object type of the schema but the roots and introspection
    types = [
        type_
        for type_ in GRAPHQL.type_map.values()
        if isinstance(type_, GraphQLObjectType)
        and not type_.name.startswith("__")
        and type_.name not in {"Query", "Mutation"}
    ]

    # when their resolution hooks are read
    unguarded = {
        type_.name
        for type_ in types
        if audience_of(type_) != Audience.ANYONE
        and not getattr(type_.is_type_of, "audience_checked", False)
    }

    # then every type not open to anyone is checked, and most types are staff-only
    assert unguarded == set()
    staff_only = [t for t in types if audience_of(t) == Audience.STAFF]
    assert {"Contact", "Company", "Group", "Segment", "Invitation"} <= {t.name for t in staff_only}


# --- the walk at run time --------------------------------------------------------------------


def _arguments(field: GraphQLField) -> str:
    required = [
        f"{name}: {dummy_value(arg.type)}"
        for name, arg in field.args.items()
        if isinstance(arg.type, GraphQLNonNull)
    ]
    return f"({', '.join(required)})" if required else ""


def full_selection(type_: GraphQLNamedType, depth: int) -> str:
    """Every field below `type_`, to `depth` levels, `__typename` at each, fragments for
    abstract types. Fields with required arguments get dummy ones."""
    if depth <= 0:
        return "{ __typename }"
    parts = ["__typename"]
    for object_type in _possible_types(type_):
        fields = []
        for name, field in object_type.fields.items():
            named = get_named_type(field.type)
            call = f"{name}{_arguments(field)}"
            if isinstance(named, GraphQLObjectType | GraphQLUnionType | GraphQLInterfaceType):
                fields.append(f"{call} {full_selection(named, depth - 1)}")
            else:
                fields.append(call)
        parts.append(f"... on {object_type.name} {{ {' '.join(fields)} }}")
    return "{ " + " ".join(parts) + " }"


def document_for(kind: str, name: str, field: GraphQLField, arguments: str | None = None) -> str:
    # The root field is depth 1; its selection may go MAX_DEPTH - 1 further.
    selection = full_selection(get_named_type(field.type), MAX_DEPTH - 1)
    keyword = "mutation" if kind == "Mutation" else "query"
    call = name + (arguments if arguments is not None else _arguments(field))
    return f"{keyword} {{ {call} {selection} }}"


SECRETS = [
    "bob@acme.example",
    "carol@acme.example",
    "dan@other.example",
    "Internal: slow payer",
    "VIP - late payers",
    "Other Ltd",
]


@pytest.fixture
async def world(staff: GraphQLClient, anonymous: GraphQLClient) -> dict[str, Any]:
    """Alice at Acme (internal notes), her colleagues Bob and archived Carol, and an internal
    group she shares with Dan of Other Ltd. Alice is signed in to the portal."""
    company = await staff.execute(
        """mutation ($input: CreateCompanyInput!) {
             createCompany(input: $input) { company { id } errors { message } } }""",
        {"input": {"name": "Acme", "notes": "Internal: slow payer"}},
    )
    acme = company.data["createCompany"]["company"]["id"]
    other = await staff.execute(
        """mutation ($input: CreateCompanyInput!) {
             createCompany(input: $input) { company { id } errors { message } } }""",
        {"input": {"name": "Other Ltd"}},
    )
    other_id = other.data["createCompany"]["company"]["id"]
    alice = await invited_client(
        staff,
        firstName="Alice",
        lastName="Adam",
        email="alice@acme.example",
        companyId=acme,
        phones=[{"number": "+44 20 7946 0018"}],
        address={"line1": "1 High Street", "city": "London", "country": "GB"},
    )
    people = {}
    for first, email, company_id in [
        ("Bob", "bob@acme.example", acme),
        ("Carol", "carol@acme.example", acme),
        ("Dan", "dan@other.example", other_id),
    ]:
        people[first] = await invited_client(
            staff, firstName=first, email=email, companyId=company_id, sendInvite=False
        )
    await staff.execute(
        "mutation ($input: ContactIdInput!) { archiveContact(input: $input) { errors { code } } }",
        {"input": {"id": people["Carol"]["id"]}},
    )
    group = await staff.execute(
        """mutation ($input: CreateGroupInput!) {
             createGroup(input: $input) { group { id } errors { message } } }""",
        {"input": {"name": "VIP - late payers"}},
    )
    group_id = group.data["createGroup"]["group"]["id"]
    await staff.execute(
        """mutation ($input: GroupMembersInput!) {
             addContactsToGroup(input: $input) { errors { message } } }""",
        {"input": {"groupId": group_id, "contactIds": [alice["id"], people["Dan"]["id"]]}},
    )
    payload = await activate(anonymous, await latest_token("alice@acme.example"))
    assert payload["errors"] == []
    return {"alice": alice, "portal": anonymous}


def _typenames(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["__typename"]} if "__typename" in value else set()
        return found.union(*(_typenames(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_typenames(item) for item in value))
    return set()


def _assert_nothing_staff_only(body: dict[str, Any], document: str) -> None:
    text = json.dumps(body, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text, (secret, document)
    shown = {name for name in _typenames(body.get("data")) if not name.startswith("__")}
    assert {name for name in shown if _audience(name) not in NOT_STAFF} == set(), shown
    codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or []}
    assert "INTERNAL" not in codes, body["errors"]


# Inputs that succeed for the signed-in portal contact, so the payloads are full.
HAPPY_ARGUMENTS = {
    "updateMyProfile": "(input: {})",
    "portalLogin": f'(input: {{email: "alice@acme.example", password: "{PASSWORD}"}})',
}


@pytest.mark.parametrize(
    ("kind", "name", "field"),
    [pytest.param(*entry, id=f"{entry[0]}.{entry[1]}") for entry in NON_STAFF_ENTRIES],
)
async def test_the_portal_contact_reaches_only_their_own_data_by_any_path(
    world: dict[str, Any], kind: str, name: str, field: GraphQLField
) -> None:
    # given Alice signed in to the portal, and every field below this entry point
    portal: GraphQLClient = world["portal"]
    document = document_for(kind, name, field, HAPPY_ARGUMENTS.get(name))

    # when she asks for all of it
    result = await portal.execute(document)

    # then she sees no one else's data and no staff-only type
    assert result.status == 200, result.body
    _assert_nothing_staff_only(result.body, document)
    if name in {"me", "updateMyProfile"}:
        text = json.dumps(result.body)
        assert "alice@acme.example" in text and "+442079460018" in text, result.body
        assert '"companyName": "Acme"' in text


@pytest.mark.parametrize(
    ("kind", "name", "field"),
    [pytest.param(*entry, id=f"{entry[0]}.{entry[1]}") for entry in NON_STAFF_ENTRIES],
)
async def test_an_anonymous_caller_reaches_nothing_staff_only_by_any_path(
    world: dict[str, Any], app: Any, kind: str, name: str, field: GraphQLField
) -> None:
    # given a caller with no session, and every field below this entry point
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        stranger = GraphQLClient(http)
        document = document_for(kind, name, field)

        # when it asks for all of it
        result = await stranger.execute(document)

    # then nothing staff-only or belonging to anyone comes back
    assert result.status == 200, result.body
    _assert_nothing_staff_only(result.body, document)
    assert "alice@acme.example" not in json.dumps(result.body)


async def test_a_member_cannot_read_the_outbox_by_any_path(
    world: dict[str, Any], app: Any, staff: GraphQLClient
) -> None:
    # given a MEMBER, and the id of an invitation email (it holds an activation link)
    member = await signed_in(app, await make_staff("m@example.com", StaffRole.MEMBER))
    outbox = await staff.execute("{ outbox(first: 1) { edges { node { id } } } }")
    message_id = outbox.data["outbox"]["edges"][0]["node"]["id"]
    by_id = "{ ... on OutboxMessage { textBody } }"

    # when the member asks for the outbox, and for the message by id
    listed = await member.execute("{ outbox(first: 5) { edges { node { textBody } } } }")
    one = await member.execute(f'{{ node(id: "{message_id}") {by_id} }}')
    many = await member.execute(f'{{ nodes(ids: ["{message_id}"]) {by_id} }}')
    await member.http.aclose()

    # then the list is refused and the lookups find nothing
    assert listed.error_codes == ["FORBIDDEN"], listed.body
    assert one.data == {"node": None}
    assert many.data == {"nodes": [None]}


# --- the guard itself -------------------------------------------------------------------------


def _leaky_schema() -> strawberry.Schema:
    """A schema with a public field that wrongly returns a staff-only Contact."""

    @strawberry.type
    class Query:
        @strawberry.field
        def leak(self) -> ContactNode:
            return ContactNode.from_model(
                Contact(id=7, first_name="Bob", last_name="Secret", email="bob@acme.example")
            )

    leaky = strawberry.Schema(query=Query)
    guard_object_types(leaky._schema)
    return leaky


def _context(*, staff: object = None, contact: object = None) -> Context:
    session = (
        None
        if staff is None and contact is None
        else SimpleNamespace(
            staff_user=staff,
            staff_user_id=1 if staff else None,
            contact=contact,
            contact_id=1 if contact else None,
        )
    )
    return Context(request=None, response=None, settings=None, session=session, base_settings=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("viewer", "code"),
    [
        ({"contact": Contact(id=1, first_name="Alice")}, "FORBIDDEN"),
        ({}, "UNAUTHENTICATED"),
    ],
    ids=["portal contact", "anonymous"],
)
async def test_a_staff_only_type_is_refused_whatever_field_returns_it(
    viewer: dict[str, Any], code: str
) -> None:
    # given a field that returns a Contact without any permission of its own
    leaky = _leaky_schema()

    # when a non-staff viewer asks for it
    result = await leaky.execute("{ leak { email lastName } }", context_value=_context(**viewer))

    # then the value is refused where it is resolved, and nothing of it comes back
    assert result.data is None
    assert [type(e.original_error).__name__ for e in result.errors or []] == [
        "Forbidden" if code == "FORBIDDEN" else "Unauthenticated"
    ]


async def test_staff_still_get_the_staff_type_through_the_guard() -> None:
    # given the same field, asked by a staff member
    leaky = _leaky_schema()
    staff = SimpleNamespace(role=StaffRole.MEMBER, is_active=True)

    # when it resolves
    result = await leaky.execute("{ leak { email } }", context_value=_context(staff=staff))

    # then the staff member sees the contact
    assert result.errors is None
    assert result.data == {"leak": {"email": "bob@acme.example"}}
