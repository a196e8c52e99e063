"""Cursor pagination over contacts in every order, and global object lookup."""

from __future__ import annotations

import base64
import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crm.contacts.models import Contact
from crm.graphql.relay import to_global_id
from tests.graphql_client import GraphQLClient

FORWARD = """
query ($order: ContactOrder, $first: Int, $after: String) {
  contacts(orderBy: $order, first: $first, after: $after) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

BACKWARD = """
query ($order: ContactOrder, $last: Int, $before: String) {
  contacts(orderBy: $order, last: $last, before: $before) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

CREATE_CONTACT = """
mutation ($input: CreateContactInput!) {
  createContact(input: $input) { contact { id } errors { field message code } }
}
"""

CREATE_COMPANY = """
mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) { company { id } errors { code } }
}
"""

NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Contact { fullName }
    ... on Company { name }
  }
}
"""

NODES = """
query ($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id
    ... on Contact { fullName }
    ... on Company { name }
  }
}
"""

PAGE = 4
BASE = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
NAMES = [
    ("Ann", "Smith"),
    ("Bob", "Jones"),
    ("Ann", "Smith"),
    ("Zoë", "Ångström"),
    ("Carl", "Brown"),
    ("Dee", "Smith"),
    ("Eve", "Adams"),
    ("Fay", "Jones"),
    ("Gus", "Young"),
    ("Hal", "brown"),
    ("Ivy", "Cole"),
    ("Jan", "Smith"),
    ("Kim", "Doe"),
]
ORDERS = [
    pytest.param(field, direction, id=f"{field}-{direction}")
    for field, direction in itertools.product(
        ["NAME", "CREATED_AT", "UPDATED_AT", "LAST_CONTACTED_AT"], ["ASC", "DESC"]
    )
]
_COLUMNS = {
    "NAME": "sort_name",
    "CREATED_AT": "created_at",
    "UPDATED_AT": "updated_at",
    "LAST_CONTACTED_AT": "last_contacted_at",
}


def _times(n: int) -> dict[str, Any]:
    """Timestamps with ties (so the id decides) and, for last contact, some never."""
    return {
        "created_at": BASE + timedelta(minutes=n % 5),
        "updated_at": BASE + timedelta(hours=1, minutes=(n * 7) % 4),
        "last_contacted_at": None if n % 3 == 0 else BASE + timedelta(days=n % 4),
    }


async def _add_contact(staff: GraphQLClient, first: str, last: str, n: int) -> int:
    payload = await staff.mutate(
        "createContact", CREATE_CONTACT, {"firstName": first, "lastName": last}
    )
    assert payload["errors"] == []
    pk = int(base64.urlsafe_b64decode(payload["contact"]["id"]).decode().split(":")[1])
    await Contact.filter(id=pk).update(**_times(n))
    return pk


async def _seed(staff: GraphQLClient) -> None:
    for n, (first, last) in enumerate(NAMES):
        await _add_contact(staff, first, last, n)


async def expected_order(field: str, direction: str) -> list[str]:
    """The global ids of every active contact in the order the list must show them."""
    column = _COLUMNS[field]
    rows = await Contact.filter(archived_at__isnull=True).values("id", column)
    descending = direction == "DESC"
    present = sorted(
        (r for r in rows if r[column] is not None),
        key=lambda r: (r[column], r["id"]),
        reverse=descending,
    )
    missing = sorted(
        (r for r in rows if r[column] is None), key=lambda r: r["id"], reverse=descending
    )
    return [to_global_id("Contact", r["id"]) for r in [*present, *missing]]


def _order(field: str, direction: str) -> dict[str, str]:
    return {"field": field, "direction": direction}


async def _page_forward(
    staff: GraphQLClient, order: dict[str, str], after: str | None
) -> dict[str, Any]:
    result = await staff.execute(FORWARD, {"order": order, "first": PAGE, "after": after})
    return result.data["contacts"]


async def _page_backward(
    staff: GraphQLClient, order: dict[str, str], before: str | None
) -> dict[str, Any]:
    result = await staff.execute(BACKWARD, {"order": order, "last": PAGE, "before": before})
    return result.data["contacts"]


def _ids(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in page["edges"]]


@pytest.mark.parametrize(("field", "direction"), ORDERS)
async def test_paging_forwards_visits_every_contact_once_in_order(
    staff: GraphQLClient, field: str, direction: str
) -> None:
    # given 13 contacts with tied names and times, some never contacted
    await _seed(staff)
    order = _order(field, direction)

    # when the list is read forwards, 4 at a time
    seen: list[str] = []
    pages: list[dict[str, Any]] = []
    after = None
    while True:
        page = await _page_forward(staff, order, after)
        pages.append(page)
        seen += _ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert len(pages) < 10

    # then every contact comes exactly once, in order, with honest page info
    assert seen == await expected_order(field, direction)
    assert [len(page["edges"]) for page in pages] == [4, 4, 4, 1]
    assert [page["pageInfo"]["hasPreviousPage"] for page in pages] == [False, True, True, True]
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True, True, True, False]
    for page in pages:
        assert page["totalCount"] == 13
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]


@pytest.mark.parametrize(("field", "direction"), ORDERS)
async def test_paging_backwards_visits_every_contact_once_in_order(
    staff: GraphQLClient, field: str, direction: str
) -> None:
    # given 13 contacts with tied names and times, some never contacted
    await _seed(staff)
    order = _order(field, direction)

    # when the list is read backwards from the end, 4 at a time
    seen: list[str] = []
    pages: list[dict[str, Any]] = []
    before = None
    while True:
        page = await _page_backward(staff, order, before)
        pages.append(page)
        seen = _ids(page) + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
        assert len(pages) < 10

    # then every contact comes exactly once, each page in list order
    assert seen == await expected_order(field, direction)
    assert [len(page["edges"]) for page in pages] == [4, 4, 4, 1]
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [False, True, True, True]
    assert [page["pageInfo"]["hasPreviousPage"] for page in pages] == [True, True, True, False]


# New rows: names and times that fall both before and after the first page's end.
_NEWCOMERS = [
    ("Aa", "Aaron", 100),
    ("Zz", "Zuber", 101),
    ("Mm", "Miller", 102),
    ("Nn", "Nash", 103),
    ("Oo", "Owen", 104),
]


@pytest.mark.parametrize(("field", "direction"), ORDERS)
async def test_rows_inserted_between_pages_do_not_shift_the_cursor(
    staff: GraphQLClient, field: str, direction: str
) -> None:
    # given a first page read forwards
    await _seed(staff)
    order = _order(field, direction)
    first_page = await _page_forward(staff, order, None)
    cursor_id = _ids(first_page)[-1]

    # when contacts are added that sort before and after the cursor, then paging goes on
    for first, last, n in _NEWCOMERS:
        await _add_contact(staff, first, last, n)
    rest: list[str] = []
    after = first_page["pageInfo"]["endCursor"]
    while after is not None:
        page = await _page_forward(staff, order, after)
        rest += _ids(page)
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None

    # then the rest is exactly what now sorts after the cursor row: nothing seen twice,
    # nothing skipped
    now_expected = await expected_order(field, direction)
    assert rest == now_expected[now_expected.index(cursor_id) + 1 :]
    assert not set(rest) & set(_ids(first_page))


@pytest.mark.parametrize(("field", "direction"), ORDERS)
async def test_rows_inserted_while_paging_backwards_do_not_shift_the_cursor(
    staff: GraphQLClient, field: str, direction: str
) -> None:
    # given the last page read backwards
    await _seed(staff)
    order = _order(field, direction)
    last_page = await _page_backward(staff, order, None)
    cursor_id = _ids(last_page)[0]

    # when contacts are added, then paging backwards goes on
    for first, last, n in _NEWCOMERS:
        await _add_contact(staff, first, last, n)
    rest: list[str] = []
    before = last_page["pageInfo"]["startCursor"]
    while before is not None:
        page = await _page_backward(staff, order, before)
        rest = _ids(page) + rest
        before = page["pageInfo"]["startCursor"] if page["pageInfo"]["hasPreviousPage"] else None

    # then the rest is exactly what now sorts before the cursor row
    now_expected = await expected_order(field, direction)
    assert rest == now_expected[: now_expected.index(cursor_id)]


async def test_an_empty_list_has_no_pages(staff: GraphQLClient) -> None:
    # given no contacts

    # when the list is read
    page = await _page_forward(staff, _order("NAME", "ASC"), None)

    # then it is empty, with no cursors and no further pages
    assert page == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
    }


def _forged(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("not a cursor", id="garbage"),
        pytest.param("", id="empty"),
        pytest.param(_forged(["smith ann"]), id="too-short"),
        pytest.param(_forged(["smith ann", "1"]), id="id-not-a-number"),
        pytest.param(_forged(["smith ann", 2**70]), id="id-too-big"),
        pytest.param(_forged([None, 1]), id="null-name"),
        pytest.param(_forged([5, 1]), id="name-not-text"),
        pytest.param(_forged(["smith\u0000", 1]), id="nul-character"),
    ],
)
async def test_an_invalid_cursor_is_an_error_naming_after(
    staff: GraphQLClient, cursor: str
) -> None:
    # given a cursor the server never issued
    await _seed(staff)

    # when it is passed as `after`
    result = await staff.execute(FORWARD, {"order": _order("NAME", "ASC"), "after": cursor})

    # then it is an INVALID error on `after`
    assert result.error_codes == ["INVALID"]
    assert result.errors[0]["extensions"]["field"] == ["after"]
    assert result.body["data"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param(_forged(["2024-03-01", 1]), id="date-without-time-or-offset"),
        pytest.param(_forged(["2024-03-01T09:00:00", 1]), id="no-offset"),
        pytest.param(_forged(["yesterday", 1]), id="not-a-date"),
        pytest.param(_forged([None, 1]), id="null"),
    ],
)
async def test_an_invalid_date_cursor_is_an_error_naming_before(
    staff: GraphQLClient, cursor: str
) -> None:
    # given a forged cursor for a list by creation date
    await _seed(staff)

    # when it is passed as `before`
    result = await staff.execute(
        BACKWARD, {"order": _order("CREATED_AT", "DESC"), "before": cursor}
    )

    # then it is an INVALID error on `before`
    assert result.error_codes == ["INVALID"]
    assert result.errors[0]["extensions"]["field"] == ["before"]


async def test_a_cursor_from_another_order_is_invalid(staff: GraphQLClient) -> None:
    # given a cursor from the list by name
    await _seed(staff)
    page = await _page_forward(staff, _order("NAME", "ASC"), None)

    # when it is used on the list by creation date
    result = await staff.execute(
        FORWARD, {"order": _order("CREATED_AT", "ASC"), "after": page["pageInfo"]["endCursor"]}
    )

    # then it is an INVALID error on `after`
    assert result.error_codes == ["INVALID"]
    assert result.errors[0]["extensions"]["field"] == ["after"]


# --- node and nodes --------------------------------------------------------------------


async def _contact_and_company(staff: GraphQLClient) -> tuple[str, str]:
    company = await staff.mutate("createCompany", CREATE_COMPANY, {"name": "Acme"})
    contact = await staff.mutate(
        "createContact",
        CREATE_CONTACT,
        {"firstName": "Ann", "lastName": "Smith", "companyId": company["company"]["id"]},
    )
    return contact["contact"]["id"], company["company"]["id"]


UNKNOWN_IDS = [
    pytest.param(to_global_id("Contact", 999_999), id="no-such-contact"),
    pytest.param(to_global_id("Company", 999_999), id="no-such-company"),
    pytest.param(to_global_id("Phone", 1), id="not-a-node-type"),
    pytest.param(to_global_id("Contact", 2**40), id="pk-out-of-range"),
    pytest.param("garbage", id="garbage"),
    pytest.param("", id="empty"),
    pytest.param(base64.urlsafe_b64encode(b"Contact:abc").decode(), id="pk-not-a-number"),
]


async def test_node_finds_a_contact_and_a_company(staff: GraphQLClient) -> None:
    # given a contact at a company
    contact_id, company_id = await _contact_and_company(staff)

    # when each is looked up by its global id
    contact = (await staff.execute(NODE, {"id": contact_id})).data["node"]
    company = (await staff.execute(NODE, {"id": company_id})).data["node"]

    # then the right object of the right type comes back
    assert contact == {"__typename": "Contact", "id": contact_id, "fullName": "Ann Smith"}
    assert company == {"__typename": "Company", "id": company_id, "name": "Acme"}


@pytest.mark.parametrize("unknown", UNKNOWN_IDS)
async def test_node_with_an_unknown_id_is_null(staff: GraphQLClient, unknown: str) -> None:
    # given some data
    await _contact_and_company(staff)

    # when an id that names nothing is looked up
    result = await staff.execute(NODE, {"id": unknown})

    # then the answer is null, not an error
    assert result.errors == []
    assert result.data["node"] is None


async def test_nodes_returns_each_id_in_place(staff: GraphQLClient) -> None:
    # given a contact at a company
    contact_id, company_id = await _contact_and_company(staff)
    unknown = [param.values[0] for param in UNKNOWN_IDS]

    # when several ids, known and unknown, are looked up at once
    result = await staff.execute(NODES, {"ids": [company_id, *unknown, contact_id, company_id]})

    # then each position holds its object or null
    assert result.errors == []
    company = {"__typename": "Company", "id": company_id, "name": "Acme"}
    contact = {"__typename": "Contact", "id": contact_id, "fullName": "Ann Smith"}
    assert result.data["nodes"] == [company, *[None] * len(unknown), contact, company]
