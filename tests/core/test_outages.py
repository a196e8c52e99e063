"""The database out as a whole (PostgreSQL down or restarting, SQLite's disk full): the client
gets a clear, coded answer it can act on, never an internal error.

The failures are raised where a real outage raises them (the session lookup every request
makes, a service a mutation calls); bench/faults.py restarts a real PostgreSQL under load.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg
import pytest
from tortoise.exceptions import OperationalError

from crm.auth import http as auth_http
from crm.contacts import services as contact_services
from tests.graphql_client import GraphQLClient

CONTACTS = "{ contacts(first: 5) { edges { node { id } } } }"
EDIT = """
mutation ($input: UpdateContactInput!) {
  updateContact(input: $input) { contact { id jobTitle } errors { code } }
}
"""
CREATE = """
mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }
"""


def failing(error: BaseException) -> Any:
    async def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise error

    return fail


async def a_contact(staff: GraphQLClient) -> str:
    result = await staff.execute(CREATE, {"input": {"firstName": "Ada", "lastName": "Byron"}})
    return result.data["createContact"]["contact"]["id"]


def assert_unavailable(status: int, headers: Any, body: dict[str, Any]) -> None:
    assert status == 503
    assert headers["retry-after"] == "5"
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "UNAVAILABLE"
    assert error["extensions"]["retryable"] is True
    assert "Try again" in error["message"]


async def test_a_request_while_the_database_refuses_connections_is_told_to_retry(
    staff: GraphQLClient,
) -> None:
    # given PostgreSQL down: every new connection refused
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth_http, "session_for_token", failing(ConnectionRefusedError(111, "")))

        # when a signed-in user lists contacts and downloads an export
        listed = await staff.http.post("/graphql", json={"query": CONTACTS})
        exported = await staff.http.get("/export/contacts.csv")

    # then both answer 503 with Retry-After and the code UNAVAILABLE, not an internal error
    assert_unavailable(listed.status_code, listed.headers, listed.json())
    assert_unavailable(exported.status_code, exported.headers, exported.json())


# What asyncpg raises on a pooled connection when PostgreSQL shuts down: the server's notice on
# a connection in use, or, on an idle one whose notice is still being read, a protocol error
# before the statement is sent (seen by bench/faults.py pg-restart).
RESTART_ERRORS = {
    "terminated": asyncpg.exceptions.AdminShutdownError("terminating connection"),
    "notice being read": asyncpg.exceptions.InternalClientError(
        "cannot switch to state 15; another operation (2) is in progress"
    ),
}


@pytest.mark.parametrize("cut", RESTART_ERRORS)
async def test_a_connection_cut_by_a_restart_mid_request_is_told_to_retry(
    staff: GraphQLClient, cut: str
) -> None:
    # given a contact, and PostgreSQL shutting down while its edit is written
    contact_id = await a_contact(staff)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(contact_services, "update_contact", failing(RESTART_ERRORS[cut]))

        # when the edit is sent
        response = await staff.http.post(
            "/graphql", json={"query": EDIT, "variables": {"input": {"id": contact_id}}}
        )

    # then it is refused as retryable, and the next attempt goes through
    assert_unavailable(response.status_code, response.headers, response.json())
    again = await staff.execute(EDIT, {"input": {"id": contact_id, "jobTitle": "Poet"}})
    assert again.data["updateContact"]["contact"]["jobTitle"] == "Poet"


async def test_a_write_on_a_full_disk_says_so_and_not_to_retry(staff: GraphQLClient) -> None:
    # given a contact, and the database's disk full
    contact_id = await a_contact(staff)
    full = OperationalError("database or disk is full")
    full.__context__ = sqlite3.OperationalError("database or disk is full")  # as tortoise raises
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(contact_services, "update_contact", failing(full))

        # when it is edited
        response = await staff.http.post(
            "/graphql",
            json={"query": EDIT, "variables": {"input": {"id": contact_id, "jobTitle": "X"}}},
        )

    # then the user is told the disk is full (507), not asked to retry
    assert response.status_code == 507
    assert "retry-after" not in response.headers
    (error,) = response.json()["errors"]
    assert error["extensions"] == {
        "code": "DISK_FULL",
        "retryable": False,
        "requestId": response.headers["x-request-id"],
    }
    assert "disk is full" in error["message"]
