"""SQLite written by several processes at once (`crm serve --workers N`, or `crm serve` beside
`crm worker`): an edit waits its turn for the write lock instead of failing "database is
locked" (found by bench/load.py with two server processes: 96 of ~350 edits refused)."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from crm.settings import get_settings
from tests.graphql_client import GraphQLClient

CREATE = """
mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }
"""
EDIT = """
mutation ($input: UpdateContactInput!) {
  updateContact(input: $input) { contact { jobTitle } errors { code } }
}
"""


def keep_writing(path: str, stop: threading.Event) -> None:
    """Another process's short write transactions, one after another, until `stop`."""
    other = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        serial = 0
        while not stop.is_set():
            serial += 1
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE contact SET job_title = ? WHERE last_name = 'Other'", [serial])
            other.execute("COMMIT")
            time.sleep(0.0005)
    finally:
        other.close()


async def test_edits_while_another_process_writes_are_not_refused_as_locked(
    staff: GraphQLClient, db: str
) -> None:
    if db != "sqlite":
        pytest.skip("PostgreSQL locks rows, not the whole database")
    # given a contact to edit, and another process writing to the same file all along
    created = await staff.execute(CREATE, {"input": {"firstName": "Ada", "lastName": "Byron"}})
    await staff.execute(CREATE, {"input": {"firstName": "Some", "lastName": "Other"}})
    contact_id = created.data["createContact"]["contact"]["id"]
    stop = threading.Event()
    path = get_settings().database_url.removeprefix("sqlite://")
    writer = threading.Thread(target=keep_writing, args=(path, stop))
    writer.start()
    try:
        # when the contact is edited 30 times
        edits = [
            await staff.execute(EDIT, {"input": {"id": contact_id, "jobTitle": f"Edit {n}"}})
            for n in range(30)
        ]
    finally:
        stop.set()
        writer.join()

    # then every edit went through
    assert [code for edit in edits for code in edit.error_codes] == []
    assert edits[-1].data["updateContact"]["contact"]["jobTitle"] == "Edit 29"
