"""Input that once ended in INTERNAL (or was quietly taken) gets a clear answer instead."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLError
from tortoise.exceptions import OperationalError

from crm.bulk.models import BulkAction, BulkOperation
from crm.graphql.errors import MaskInternalErrors
from crm.graphql.schema import _NODE_TYPES
from crm.imports.models import ImportJob
from crm.staff.models import StaffUser
from tests.contacts.helpers import CREATE
from tests.graphql_client import GraphQLClient

LOGIN = "mutation ($input: LoginInput!) { login(input: $input) { errors { code } } }"
PORTAL_LOGIN = """mutation ($input: PortalLoginInput!) {
  portalLogin(input: $input) { errors { code } } }"""
RESET = """mutation ($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { ok } }"""
CHECK = "query ($token: String!) { portalInvitation(token: $token) { valid } }"
CREATE_GROUP = """mutation ($input: CreateGroupInput!) {
  createGroup(input: $input) { group { id name } errors { field code message } } }"""
CREATE_COMPANY = """mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) { company { id name } errors { field code message } } }"""
CREATE_SEGMENT = """mutation ($input: CreateSegmentInput!) {
  createSegment(input: $input) { segment { id } errors { field code message } } }"""
SEARCH_ALL = """query ($s: String) {
  contacts(search: $s) { totalCount }
  companies(search: $s) { totalCount }
  groups(search: $s) { totalCount }
  segments(search: $s) { totalCount }
}"""
LONE_SURROGATE = "\ud800"


class Failures:
    """What the API logs as its own failures (warnings and errors of crm.graphql)."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    @property
    def logged(self) -> list[str]:
        return [
            record.getMessage()
            for record in self.caplog.records
            if record.name == "crm.graphql" and record.levelno >= logging.WARNING
        ]


@pytest.fixture
def internal_errors(caplog: pytest.LogCaptureFixture) -> Failures:
    caplog.set_level(logging.WARNING, logger="crm.graphql")
    return Failures(caplog)


@pytest.mark.parametrize(
    ("document", "variables", "path"),
    [
        (LOGIN, {"input": {"email": f"a{LONE_SURROGATE}@b.c", "password": "x"}}, "email"),
        (PORTAL_LOGIN, {"input": {"email": "a@b.c", "password": LONE_SURROGATE}}, "password"),
        (RESET, {"input": {"email": LONE_SURROGATE}}, "email"),
        (CHECK, {"token": LONE_SURROGATE}, None),
    ],
    ids=["login", "portalLogin", "requestPasswordReset", "portalInvitation"],
)
async def test_a_lone_surrogate_is_refused_naming_where_it_is(
    anonymous: GraphQLClient,
    internal_errors: Failures,
    document: str,
    variables: dict[str, Any],
    path: str | None,
) -> None:
    # given text with a character that does not exist, sent by anyone
    # when it reaches a public field
    result = await anonymous.execute(document, variables)

    # then it is refused as invalid input at its place, and nothing is logged as a failure
    assert result.error_codes == ["INVALID"], result.body
    expected = ["input", path] if path else ["token"]
    assert result.errors[0]["extensions"]["field"] == expected
    assert "not valid Unicode" in result.errors[0]["message"]
    assert internal_errors.logged == []


async def test_a_lone_surrogate_in_a_staff_mutation_or_the_document_is_refused(
    staff: GraphQLClient, internal_errors: Failures
) -> None:
    # given a staff member sending a broken name, once in variables and once in the document
    by_variable = await staff.execute(
        CREATE, {"input": {"lastName": "Ok", "phones": [{"number": f"07{LONE_SURROGATE}"}]}}
    )
    in_document = await staff.execute('{ contacts(search: "\\ud800") { totalCount } }')

    # then both are refused as the caller's mistake, and nothing was created
    assert by_variable.errors[0]["extensions"]["field"] == ["input", "phones", "0", "number"]
    assert in_document.error_codes == ["BAD_REQUEST"]
    assert (await staff.execute("{ contacts { totalCount } }")).data["contacts"]["totalCount"] == 0
    assert internal_errors.logged == []


@pytest.mark.parametrize("value", ["yesterday", "0000-01-01T00:00:00Z", "2024-13-40T99:00:00Z"])
async def test_a_date_that_is_not_one_is_a_bad_request(staff: GraphQLClient, value: str) -> None:
    result = await staff.execute(
        "query ($d: DateTime) { contacts(filter: {createdAt: {from: $d}}) { totalCount } }",
        {"d": value},
    )
    assert result.error_codes == ["BAD_REQUEST"], result.body
    assert "$d" in result.errors[0]["message"]


async def test_every_kind_of_node_can_be_looked_up_by_id(
    staff: GraphQLClient, tmp_path: Path
) -> None:
    # given one object of every kind `node` knows
    company = (await staff.mutate("createCompany", CREATE_COMPANY, {"name": "Acme"}))["company"]
    group = (await staff.mutate("createGroup", CREATE_GROUP, {"name": "VIP"}))["group"]
    segment = await staff.mutate("createSegment", CREATE_SEGMENT, {"name": "All"})
    contact = await staff.mutate(
        "createContact", CREATE, {"lastName": "Zed", "email": "zed@example.com", "type": "CLIENT"}
    )
    invitations = await staff.execute("{ invitations { edges { node { id } } } }")
    outbox = await staff.execute("{ outbox(first: 1) { edges { node { id } } } }")
    user = await StaffUser.first()
    job = await ImportJob.create(file_name="a.csv", stored_name="a", format="csv")
    campaign = await staff.execute(
        'mutation { createCampaign(input: {name: "News"}) { campaign { id } } }'
    )
    product = await staff.execute(
        'mutation { createProduct(input: {name: "Support"}) { product { id } } }'
    )
    message = await staff.execute(
        "mutation ($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }",
        {"input": {"contactId": contact["contact"]["id"], "body": "Hello"}},
    )
    for _ in range(2):
        await staff.mutate(
            "createContact", CREATE, {"lastName": "Twin", "phones": [{"number": "+442079460018"}]}
        )
    duplicates = await staff.execute("{ duplicateCandidates { edges { node { id } } } }")
    task = await staff.execute('mutation { createTask(input: {title: "Call"}) { task { id } } }')
    bulk = await BulkOperation.create(action=BulkAction.ARCHIVE, selection={"ids": []})
    from crm.graphql.relay import to_global_id

    ids = {
        "Company": company["id"],
        "Group": group["id"],
        "Segment": segment["segment"]["id"],
        "Contact": contact["contact"]["id"],
        "Invitation": invitations.data["invitations"]["edges"][0]["node"]["id"],
        "OutboxMessage": outbox.data["outbox"]["edges"][0]["node"]["id"],
        "StaffUser": to_global_id("StaffUser", user.id),  # type: ignore[union-attr]
        "ImportJob": to_global_id("ImportJob", job.id),
        "Campaign": campaign.data["createCampaign"]["campaign"]["id"],
        "Product": product.data["createProduct"]["product"]["id"],
        "Message": message.data["sendMessage"]["message"]["id"],
        "DuplicateCandidate": duplicates.data["duplicateCandidates"]["edges"][0]["node"]["id"],
        "Task": task.data["createTask"]["task"]["id"],
        "BulkOperation": to_global_id("BulkOperation", bulk.id),
    }
    assert set(ids) == set(_NODE_TYPES)

    # when each is looked up, one by one and all at once
    for type_name, global_id in ids.items():
        one = await staff.execute(
            "query ($id: ID!) { node(id: $id) { __typename id } }", {"id": global_id}
        )

        # then each answers as itself
        assert one.errors == [], (type_name, one.body)
        assert one.data["node"] == {"__typename": type_name, "id": global_id}
    many = await staff.execute(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename } }", {"ids": list(ids.values())}
    )
    assert [node["__typename"] for node in many.data["nodes"]] == list(ids)


async def test_a_body_nested_absurdly_deep_is_a_bad_request(anonymous: GraphQLClient) -> None:
    # given a JSON body nested 100,000 levels deep (200 kB, under the size limit)
    body = '{"query": "{ __typename }", "variables": {"a": ' + "[" * 100_000 + "]" * 100_000 + "}}"

    # when it is posted
    response = await anonymous.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    # then the answer is a 400 that says why, not a server error
    assert response.status_code == 400
    assert "nested too deeply" in response.text


async def test_an_export_filter_nested_absurdly_deep_is_a_bad_request(staff: GraphQLClient) -> None:
    nested = '{"type": ' + "[" * 3000 + "]" * 3000 + "}"
    response = await staff.http.get("/export/contacts.csv", params={"filter": nested})
    assert response.status_code == 400
    assert "nested too deeply" in response.text
    broken = await staff.http.get("/export/contacts.csv", params={"filter": '{"city": "\\ud800"}'})
    assert broken.status_code == 400
    assert "not valid Unicode" in broken.text


async def test_invisible_characters_neither_fill_a_field_nor_make_a_name_new(
    staff: GraphQLClient,
) -> None:
    # given an existing group
    assert (await staff.mutate("createGroup", CREATE_GROUP, {"name": "VIP - late payers"}))[
        "errors"
    ] == []

    # when names are made of invisible characters, or differ by one
    blank_contact = await staff.mutate("createContact", CREATE, {"lastName": "\ufeff\u200b"})
    blank_company = await staff.mutate("createCompany", CREATE_COMPANY, {"name": "\u202e\u2066"})
    twin = await staff.mutate("createGroup", CREATE_GROUP, {"name": "VIP - late\u200b payers"})
    family = await staff.mutate(
        "createContact", CREATE, {"lastName": "\u202eFamily 👨\u200d👩\u200d👧"}
    )

    # then a blank name is required, a twin is a duplicate, and joiners inside words stay
    assert [(e["field"], e["code"]) for e in blank_contact["errors"]] == [
        (["input", "lastName"], "REQUIRED")
    ]
    assert [(e["field"], e["code"]) for e in blank_company["errors"]] == [
        (["input", "name"], "REQUIRED")
    ]
    assert [e["code"] for e in twin["errors"]] == ["DUPLICATE"]
    assert family["contact"]["lastName"] == "Family 👨\u200d👩\u200d👧"


@pytest.mark.parametrize("first", [-5, 101])
async def test_import_jobs_refuses_page_sizes_out_of_range(
    staff: GraphQLClient, first: int
) -> None:
    result = await staff.execute("query ($n: Int!) { importJobs(first: $n) { id } }", {"n": first})
    assert result.error_codes == ["INVALID"], result.body
    assert result.errors[0]["extensions"]["field"] == ["first"]


async def test_a_search_of_punctuation_finds_nothing_in_every_list(staff: GraphQLClient) -> None:
    # given one of each kind of thing a list shows
    await staff.mutate("createContact", CREATE, {"lastName": "Adam"})
    await staff.mutate("createCompany", CREATE_COMPANY, {"name": "Acme"})
    await staff.mutate("createGroup", CREATE_GROUP, {"name": "VIP"})
    await staff.mutate("createSegment", CREATE_SEGMENT, {"name": "All"})

    # when each list is searched for punctuation, for nothing, and for a huge word
    punctuation = (await staff.execute(SEARCH_ALL, {"s": "!!! ..."})).data
    nothing = (await staff.execute(SEARCH_ALL, {"s": "  "})).data
    huge = await staff.execute(SEARCH_ALL, {"s": "a" * 60_000})

    # then punctuation matches nothing anywhere, no search shows all, and a huge one answers
    assert {name: value["totalCount"] for name, value in punctuation.items()} == dict.fromkeys(
        punctuation, 0
    )
    assert {name: value["totalCount"] for name, value in nothing.items()} == dict.fromkeys(
        nothing, 1
    )
    assert huge.errors == [], huge.body


def test_a_locked_database_is_reported_as_busy_and_retryable(tmp_path: Path) -> None:
    # given the error SQLite gives when another writer holds the lock past the wait
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    waiter = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        waiter.execute("INSERT INTO t VALUES (1)")
    holder.rollback()
    error = GraphQLError("x", path=["createContact"], original_error=OperationalError(locked.value))

    # when the API presents it
    presented = MaskInternalErrors()._present(error)

    # then the caller learns the database is busy, that nothing changed, and may retry
    assert presented.extensions == {
        "code": "DATABASE_BUSY",
        "retryable": True,
        "requestId": presented.extensions["requestId"],  # type: ignore[index]
    }
    assert "Try again" in presented.message
    assert json.dumps(presented.formatted)


SET_COLUMNS = """mutation ($input: SetListColumnsInput!) {
  setListColumns(input: $input) { columns errors { field code message } } }"""


@pytest.mark.parametrize(
    ("columns", "code"),
    [(["x" * 100_000], "INVALID"), (["email"] * 10_000, "TOO_MANY"), (["EMAIL"], "INVALID")],
    ids=["huge-name", "huge-list", "wrong-case"],
)
async def test_a_hostile_column_choice_is_refused_in_a_short_answer(
    staff: GraphQLClient, internal_errors: Failures, columns: list[str], code: str
) -> None:
    # when a staff user sends a huge column name, a huge list, or a name in the wrong case
    payload = await staff.mutate(
        "setListColumns", SET_COLUMNS, {"list": "CONTACTS", "columns": columns}
    )

    # then the columns are refused with a message of a few words, nothing kept, nothing logged
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(["input", "columns"], code)]
    assert len(payload["errors"][0]["message"]) < 300
    assert payload["columns"] is None
    assert internal_errors.logged == []
