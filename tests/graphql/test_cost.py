"""A query's cost is checked before it runs; a caller runs few costly queries at once."""

from __future__ import annotations

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from crm.auth.models import Session
from crm.graphql.cost import MAX_COST, MAX_COSTLY_AT_ONCE, costly_requests, operation_cost
from crm.graphql.schema import schema
from tests.graphql_client import GraphQLClient

NESTED = (
    "contacts(first: 500) { edges { node { email company { contacts(first: 500) { "
    "edges { node { email phones { number } } } } } } } }"
)
# The probe's query: twenty aliases of a page of 500 contacts, each with its company's 500.
ATTACK = "{ " + " ".join(f"a{i}: {NESTED}" for i in range(20)) + " }"
SIZED = "query ($n: Int) { contacts(first: $n) { totalCount } }"
# The contacts list as the app asks for it, at the largest page size.
BIG_PAGE = """
query ($first: Int) {
  contacts(first: $first) {
    edges { cursor node { ...Row } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}
fragment Row on Contact {
  id fullName type status email lastContactedAt
  company { id name }
  phones { id type number national country isPrimary }
  groups { id name }
  portal { status }
}
"""


def _cost(document: str, variables: dict | None = None) -> int:
    parsed = parse(document)
    operation = next(d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return operation_cost(schema._schema, operation, fragments, variables or {})


def test_page_sizes_multiply_through_nesting_aliases_variables_and_fragments() -> None:
    # given documents whose cost is known by hand
    flat = "{ contacts(first: 10) { edges { node { email } } } }"
    aliased = "{ a: contacts(first: 10) { edges { node { email } } } b: groups { totalCount } }"

    # when their costs are counted
    # then a page of 10 costs 1 (contacts) + 10 x (edges + node + email)
    assert _cost(flat) == 1 + 10 * (1 + 1 + 1)
    # a default page (no first) counts 50; aliases add up
    assert _cost(aliased) == 31 + 1 + 50 * 1
    assert _cost(SIZED, {"n": 400}) == 401
    assert _cost(BIG_PAGE, {"first": 100}) > _cost(BIG_PAGE, {"first": 10}) * 9
    assert _cost(ATTACK) > MAX_COST * 100


async def test_the_probe_query_is_refused_before_it_runs(staff: GraphQLClient) -> None:
    # given a staff member (the probe used a portal session, now refused earlier still)
    # when the costly query is sent
    result = await staff.execute(ATTACK)

    # then it is refused with a clear code, and no statement beyond the session lookup ran
    assert result.status == 200
    assert result.error_codes == ["TOO_COMPLEX"], result.body
    assert "limit" in result.errors[0]["message"]
    assert result.body.get("data") is None
    assert result.query_count == 1


async def test_the_apps_largest_list_page_is_allowed(staff: GraphQLClient) -> None:
    # given the contacts list at the largest page the app asks for, and at the API's maximum
    for first in (100, 500):
        # when it is sent
        result = await staff.execute(BIG_PAGE, {"first": first})

        # then it runs
        assert result.errors == [], result.body
        assert result.data["contacts"]["totalCount"] == 0


async def test_a_caller_runs_only_a_few_costly_queries_at_once(staff: GraphQLClient) -> None:
    # given a staff session that already has its costly queries running
    session = await Session.first()
    assert session is not None
    caller = f"session:{session.id}"
    for _ in range(MAX_COSTLY_AT_ONCE):
        assert costly_requests.try_start(caller)
    try:
        # when it sends another costly query, and a cheap one
        refused = await staff.execute(BIG_PAGE, {"first": 500})
        cheap = await staff.execute("{ contacts(first: 5) { totalCount } }")
    finally:
        for _ in range(MAX_COSTLY_AT_ONCE):
            costly_requests.finish(caller)

    # then the costly one is refused as retryable and the cheap one runs
    assert refused.error_codes == ["RATE_LIMITED"], refused.body
    assert cheap.errors == []
    # and once the others finished, the costly query runs again
    again = await staff.execute(BIG_PAGE, {"first": 500})
    assert again.errors == []
    assert costly_requests.running[caller] == 0


@pytest.mark.parametrize("first", [-1, 501])
async def test_page_sizes_outside_the_limits_are_still_refused(
    staff: GraphQLClient, first: int
) -> None:
    result = await staff.execute(
        "query ($n: Int) { contacts(first: $n) { totalCount } }", {"n": first}
    )
    assert result.errors and "first" in result.errors[0]["message"], result.body
