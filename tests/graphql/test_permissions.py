"""Every root field is closed to anonymous callers unless it is deliberately public.

The operations are generated from the schema itself, so a root field added later without
a permission makes this test fail.
"""

from __future__ import annotations

import json

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
    get_named_type,
    is_composite_type,
)

from crm.graphql.permissions import IsAdmin, Public
from crm.graphql.schema import schema
from tests.graphql_client import GraphQLClient

PUBLIC_FIELDS = {
    "Query": {"me", "portalInvitation", "portalInfo", "staffInvitation", "firstRun"},
    "Mutation": {
        "login",
        "logout",
        "portalLogin",
        "activatePortalAccount",
        "requestPasswordReset",
        "resetPassword",
        "acceptStaffInvitation",
        "requestStaffPasswordReset",
        "resetStaffPassword",
        "completeSetup",
        # An ADMIN's view of the portal as a contact: the link's token is the key, and the
        # link opens only in the browser of the ADMIN who asked for it.
        "startImpersonation",
        # Leaves whatever view this browser has open; nothing else.
        "endImpersonation",
    },
}
PUBLIC_NAMES = {f"{kind}.{name}" for kind, names in PUBLIC_FIELDS.items() for name in names}

_SCALAR_VALUES = {
    "ID": '"x"',
    "String": '"x"',
    "Int": "1",
    "Float": "1.5",
    "Boolean": "false",
    "DateTime": '"2024-01-01T00:00:00+00:00"',
}


def dummy_value(type_: GraphQLInputType) -> str:
    """A literal of `type_` that passes validation, with only the required parts filled."""
    if isinstance(type_, GraphQLNonNull):
        return dummy_value(type_.of_type)
    if isinstance(type_, GraphQLList):
        return "[]"
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        parts = [
            f"{name}: {dummy_value(field.type)}"
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        ]
        return "{" + ", ".join(parts) + "}"
    if isinstance(type_, GraphQLScalarType):
        if type_.name not in _SCALAR_VALUES:
            raise AssertionError(f"add a dummy value for the scalar {type_.name}")
        return _SCALAR_VALUES[type_.name]
    raise AssertionError(f"no dummy value for {type_}")


def operation_for(kind: str, name: str, field: GraphQLField) -> str:
    arguments = [
        f"{arg_name}: {dummy_value(arg.type)}"
        for arg_name, arg in field.args.items()
        if isinstance(arg.type, GraphQLNonNull)
    ]
    call = f"{name}({', '.join(arguments)})" if arguments else name
    selection = " { __typename }" if is_composite_type(get_named_type(field.type)) else ""
    keyword = "mutation" if kind == "Mutation" else "query"
    return f"{keyword} {{ {call}{selection} }}"


def _root_fields() -> list[tuple[str, str, GraphQLField]]:
    graphql_schema = schema._schema
    roots = {"Query": graphql_schema.query_type, "Mutation": graphql_schema.mutation_type}
    return [
        (kind, name, field)
        for kind, root in roots.items()
        if root is not None
        for name, field in root.fields.items()
    ]


PROTECTED = [
    pytest.param(kind, name, field, id=f"{kind}.{name}")
    for kind, name, field in _root_fields()
    if name not in PUBLIC_FIELDS[kind]
]


def test_the_walk_covers_the_schema() -> None:
    # given the schema's root fields
    names = {f"{kind}.{name}" for kind, name, _ in _root_fields()}

    # when they are split into public and protected

    # then the public ones still exist, and the rest are many (the walk did not go blind)
    assert names >= PUBLIC_NAMES
    assert {"Query.contacts", "Query.companies", "Mutation.createContact"} <= names
    assert len(PROTECTED) == len(names) - len(PUBLIC_NAMES)


@pytest.mark.parametrize(("kind", "name", "field"), PROTECTED)
async def test_anonymous_callers_are_refused(
    anonymous: GraphQLClient, kind: str, name: str, field: GraphQLField
) -> None:
    # given an anonymous caller and a minimal valid operation on a protected root field
    document = operation_for(kind, name, field)

    # when the caller sends it
    result = await anonymous.execute(document)

    # then it is refused as UNAUTHENTICATED and no data comes back
    assert result.status == 200, result.body
    assert result.error_codes == ["UNAUTHENTICATED"], (document, result.body)
    assert result.errors[0]["path"] == [name]
    data = result.body.get("data")
    assert data is None or data.get(name) is None, json.dumps(result.body)


def test_every_root_field_names_its_permission() -> None:
    # given the strawberry definition of every root field
    definitions = {
        "Query": schema.get_type_by_name("Query"),
        "Mutation": schema.get_type_by_name("Mutation"),
    }

    # when their permission classes are read
    public, unnamed = set(), set()
    for kind, definition in definitions.items():
        for field in definition.fields:
            classes = field.permission_classes
            name = f"{kind}.{schema.config.name_converter.from_field(field)}"
            if not classes:
                unnamed.add(name)
            if Public in classes:
                public.add(name)

    # then every field names one, and only sign-in, sign-out, `me`, the portal's
    # activation and password-reset steps, and opening and leaving a view-as link are Public
    assert unnamed == set()
    assert public == PUBLIC_NAMES


def _admin_only_fields() -> list[tuple[str, str, GraphQLField]]:
    """The root fields whose permission is IsAdmin, read from their strawberry definitions."""
    admin_only = set()
    for kind in ("Query", "Mutation"):
        for field in schema.get_type_by_name(kind).fields:
            if IsAdmin in field.permission_classes:
                admin_only.add((kind, schema.config.name_converter.from_field(field)))
    return [
        (kind, name, field) for kind, name, field in _root_fields() if (kind, name) in admin_only
    ]


ADMIN_ONLY = [
    pytest.param(kind, name, field, id=f"{kind}.{name}")
    for kind, name, field in _admin_only_fields()
]


def test_the_admin_walk_covers_settings_and_staff_management() -> None:
    names = {f"{kind}.{name}" for kind, name, _ in _admin_only_fields()}
    assert {
        "Query.settings",
        "Query.staffUsers",
        "Query.outbox",
        "Mutation.updateSettings",
        "Mutation.inviteStaff",
        "Mutation.updateStaffUser",
    } <= names


@pytest.mark.parametrize(("kind", "name", "field"), ADMIN_ONLY)
async def test_members_are_refused_every_admin_only_field(
    member: GraphQLClient, kind: str, name: str, field: GraphQLField
) -> None:
    # given a MEMBER and a minimal valid operation on an administrators' root field
    document = operation_for(kind, name, field)

    # when the member sends it
    result = await member.execute(document)

    # then it is refused as FORBIDDEN and no data comes back
    assert result.error_codes == ["FORBIDDEN"], (document, result.body)
    data = result.body.get("data")
    assert data is None or data.get(name) is None, json.dumps(result.body)
