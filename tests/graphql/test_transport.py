"""How requests reach the API: cross-site protection, GET, request limits, error masking."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx

from crm.companies.models import Company
from crm.settings import get_settings
from tests.graphql_client import GraphQLClient

CREATE_COMPANY = 'mutation { createCompany(input: {name: "Forged Ltd"}) { company { id } } }'
CREATE_COMPANY_WITH_INPUT = """
mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) { company { id name } errors { code } }
}
"""
COMPANY_COUNT = "{ companies { totalCount } }"
ME = "{ me { __typename ... on StaffUser { email } } }"
CONTACTS_FIRST = "query ($n: Int) { contacts(first: $n) { totalCount edges { cursor } } }"
CONTACTS_LAST = "query ($n: Int) { contacts(last: $n) { totalCount edges { cursor } } }"
COMPANIES_WITH_PHONE = "{ companies { edges { node { name phone { national } } } } }"


async def _company_count(staff: GraphQLClient) -> int:
    return (await staff.execute(COMPANY_COUNT)).data["companies"]["totalCount"]


# --- cross-site request forgery --------------------------------------------------------


async def test_a_form_post_is_refused_even_with_the_session_cookie(staff: GraphQLClient) -> None:
    # given a signed-in browser, and a form on another site that posts to the API

    # when the form is submitted (application/x-www-form-urlencoded, cookie attached)
    response = await staff.http.post("/graphql", data={"query": CREATE_COMPANY})

    # then it is refused and nothing is created
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF"
    assert await _company_count(staff) == 0


async def test_a_multipart_post_without_the_csrf_header_is_refused(staff: GraphQLClient) -> None:
    # given a signed-in browser

    # when a multipart form is posted without the X-CRM-CSRF header
    operations = json.dumps({"query": CREATE_COMPANY, "variables": {}})
    response = await staff.http.post(
        "/graphql", files={"operations": (None, operations), "map": (None, "{}")}
    )

    # then it is refused and nothing is created
    assert response.status_code == 415
    assert await _company_count(staff) == 0


async def test_a_text_plain_post_is_refused(staff: GraphQLClient) -> None:
    # given a signed-in browser

    # when a JSON body is posted as text/plain (what a cross-site fetch can send)
    response = await staff.http.post(
        "/graphql",
        content=json.dumps({"query": CREATE_COMPANY}),
        headers={"content-type": "text/plain"},
    )

    # then it is refused and nothing is created
    assert response.status_code == 415
    assert await _company_count(staff) == 0


async def test_a_post_without_a_content_type_is_refused(staff: GraphQLClient) -> None:
    # given a signed-in browser

    # when a body is posted with no Content-Type at all
    response = await staff.http.post("/graphql", content=json.dumps({"query": CREATE_COMPANY}))

    # then it is refused and nothing is created
    assert response.status_code == 415
    assert await _company_count(staff) == 0


async def test_a_json_post_with_a_charset_is_accepted(staff: GraphQLClient) -> None:
    # given a signed-in browser

    # when it posts JSON declaring its charset
    response = await staff.http.post(
        "/graphql",
        content=json.dumps({"query": ME}),
        headers={"content-type": "application/json; charset=utf-8"},
    )

    # then the query runs
    assert response.status_code == 200
    assert response.json()["data"]["me"]["email"] == "staff@example.com"


# --- GET -------------------------------------------------------------------------------


async def test_queries_work_over_get(staff: GraphQLClient) -> None:
    # given a signed-in browser

    # when it sends a query as a GET
    response = await staff.http.get("/graphql", params={"query": ME})

    # then it gets the answer
    assert response.status_code == 200
    assert response.json() == {
        "data": {"me": {"__typename": "StaffUser", "email": "staff@example.com"}}
    }


async def test_mutations_are_refused_over_get(staff: GraphQLClient) -> None:
    # given a signed-in browser (a link or <img> on another site can make it send a GET)

    # when a mutation arrives as a GET
    response = await staff.http.get("/graphql", params={"query": CREATE_COMPANY})

    # then it is refused and nothing is created
    assert response.status_code in (400, 405)
    assert await _company_count(staff) == 0


# --- page size -------------------------------------------------------------------------


async def test_first_above_500_is_an_error_naming_first(staff: GraphQLClient) -> None:
    # given a signed-in user

    # when a list is asked for 501 rows
    result = await staff.execute(CONTACTS_FIRST, {"n": 501})

    # then it is an INVALID error on `first`, not a silently shorter page
    assert result.error_codes == ["INVALID"]
    assert result.errors[0]["extensions"]["field"] == ["first"]
    assert "first" in result.errors[0]["message"]
    assert result.body["data"] is None


async def test_last_above_500_is_an_error_naming_last(staff: GraphQLClient) -> None:
    # given a signed-in user

    # when a list is asked for the last 501 rows
    result = await staff.execute(CONTACTS_LAST, {"n": 501})

    # then it is an INVALID error on `last`
    assert result.error_codes == ["INVALID"]
    assert result.errors[0]["extensions"]["field"] == ["last"]
    assert "last" in result.errors[0]["message"]


async def test_a_negative_page_size_is_an_error(staff: GraphQLClient) -> None:
    # given a signed-in user

    # when a list is asked for -1 rows
    result = await staff.execute(CONTACTS_FIRST, {"n": -1})

    # then it is an INVALID error on `first`
    assert result.error_codes == ["INVALID"]
    assert result.errors[0]["extensions"]["field"] == ["first"]


async def test_first_500_is_fine(staff: GraphQLClient) -> None:
    # given a signed-in user

    # when a list is asked for 500 rows
    result = await staff.execute(CONTACTS_FIRST, {"n": 500})

    # then the list comes back
    assert result.errors == []
    assert result.data["contacts"]["totalCount"] == 0


# --- document limits -------------------------------------------------------------------


def _nested_query(depth: int) -> str:
    """contacts > edges > node > company > contacts > ... `depth` fields deep."""
    path = ["contacts", "edges", "node", "company"]
    fields = [path[i % len(path)] for i in range(depth - 1)]
    return "{ " + " { ".join(fields) + " { id" + " }" * (depth - 1) + " }"


async def test_a_twenty_deep_query_is_rejected(staff: GraphQLClient) -> None:
    # given a query 20 fields deep
    query = _nested_query(20)
    assert query.count("{") == 20

    # when it is sent
    result = await staff.execute(query)

    # then it is refused before running, and says why
    assert result.errors
    assert "depth" in result.errors[0]["message"]
    assert result.body.get("data") is None


async def test_a_reasonably_deep_query_runs(staff: GraphQLClient) -> None:
    # given a query 8 fields deep (contacts of the company of each contact)
    query = _nested_query(8)

    # when it is sent
    result = await staff.execute(query)

    # then it runs
    assert result.errors == []


async def test_a_thousand_aliases_are_rejected(staff: GraphQLClient) -> None:
    # given a query asking for the same thing under 1,000 aliases (few enough tokens)
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(1000)) + " }"

    # when it is sent
    result = await staff.execute(query)

    # then it is refused, and says why
    assert result.errors
    assert "alias" in result.errors[0]["message"]
    assert result.body.get("data") is None


async def test_a_huge_document_is_rejected(staff: GraphQLClient) -> None:
    # given a document of 20,000 tokens (well under the body size cap)
    query = "{ " + "__typename " * 20_000 + "}"
    assert len(query) < get_settings().max_body_bytes

    # when it is sent
    result = await staff.execute(query)

    # then it is refused, and says why
    assert result.errors
    assert "token" in result.errors[0]["message"]
    assert result.body.get("data") is None


async def test_a_body_over_the_size_cap_is_refused(staff: GraphQLClient) -> None:
    # given a request body over CRM_MAX_BODY_BYTES (1 MB by default)
    limit = get_settings().max_body_bytes
    body = json.dumps(
        {
            "query": CREATE_COMPANY_WITH_INPUT,
            "variables": {"input": {"name": "Big", "notes": "x" * limit}},
        }
    )

    # when it is posted
    response = await staff.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    # then it is refused with 413 and nothing is created
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "TOO_LARGE"
    assert response.headers.get("x-request-id")
    assert await _company_count(staff) == 0


async def test_a_streamed_body_over_the_size_cap_is_refused(staff: GraphQLClient) -> None:
    # given a body sent in chunks without a Content-Length, growing past the cap
    limit = get_settings().max_body_bytes

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "' + CREATE_COMPANY.replace('"', '\\"').encode() + b'", "x": "'
        for _ in range(limit // 100_000 + 1):
            yield b"x" * 100_000
        yield b'"}'

    # when it is posted
    response = await staff.http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )

    # then it is refused with 413 and nothing is created
    assert response.status_code == 413
    assert response.headers.get("x-request-id")
    assert await _company_count(staff) == 0


# --- internal errors -------------------------------------------------------------------


async def test_internal_errors_are_masked_with_a_request_id(staff: GraphQLClient) -> None:
    # given a company row the API never wrote: its phone is not a phone number (say, fixed by
    # hand in the database), so reading it fails inside the server
    await Company.create(name="Broken Ltd", sort_name="broken ltd", phone="not-a-phone-0000")

    # when the company list is read
    response = await staff.http.post("/graphql", json={"query": COMPANIES_WITH_PHONE})

    # then the failure is reported as INTERNAL with the request id, without the details,
    # and the rest of the answer still arrives
    body = response.json()
    assert response.status_code == 200
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INTERNAL"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert error["path"] == ["companies", "edges", 0, "node", "phone"]
    assert "not-a-phone" not in json.dumps(body["errors"])
    assert "Traceback" not in json.dumps(body["errors"])
    assert set(error["extensions"]) == {"code", "requestId"}
    assert body["data"]["companies"]["edges"] == [{"node": {"name": "Broken Ltd", "phone": None}}]


# --- request ids -----------------------------------------------------------------------


async def test_every_response_has_a_request_id(app, staff: GraphQLClient) -> None:
    # given all kinds of requests: a query, a refused form post, a GET, a bad document,
    # a health check
    responses = [
        await staff.http.post("/graphql", json={"query": ME}),
        await staff.http.post("/graphql", data={"query": ME}),
        await staff.http.get("/graphql", params={"query": ME}),
        await staff.http.post("/graphql", json={"query": "{ nope"}),
        await staff.http.get("/healthz"),
    ]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as anonymous_http:
        responses.append(await anonymous_http.post("/graphql", json={"query": COMPANY_COUNT}))

    # when their headers are read
    ids = [response.headers.get("x-request-id") for response in responses]

    # then each has its own id
    assert all(ids), ids
    assert len(set(ids)) == len(ids)
