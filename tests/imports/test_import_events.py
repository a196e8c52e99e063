"""Imports on the timeline: an IMPORTED event per contact created or updated, with the rows."""

from __future__ import annotations

import pytest

from crm.contacts.models import Contact
from crm.core.ids import to_global_id
from crm.imports import batch
from crm.timeline.models import TimelineEvent, TimelineKind
from crm.timeline.services import ActorKind
from tests.contacts.helpers import create_contact
from tests.events import summaries_of
from tests.graphql_client import GraphQLClient
from tests.imports.helpers import csv_bytes, import_file

HEADER = ["First name", "Last name", "Email"]


async def test_created_and_updated_contacts_say_which_import(staff: GraphQLClient) -> None:
    # given a contact the file also holds
    known = await create_contact(staff, lastName="Known", email="known@example.com")
    content = csv_bytes(
        [
            HEADER,
            ["New", "Person", "new@example.com"],
            ["Now", "Known", "KNOWN@example.com"],
            ["No", "", "nameless@example.com"],  # fails: no last name
        ]
    )

    # when it is imported, updating duplicates
    done = await import_file(staff, content, {"duplicateMode": "UPDATE"}, name="team.csv")

    # then the new contact was created by the import and the known one updated by it
    assert (done["createdCount"], done["updatedCount"], done["failedCount"]) == (1, 1, 1)
    new = to_global_id("Contact", (await Contact.get(email_key="new@example.com")).id)
    assert await summaries_of(staff, new) == [("Import", "Created by the import of team.csv")]
    assert (await summaries_of(staff, known["id"]))[0] == (
        "Import",
        "Updated by the import of team.csv",
    )
    # and the events name the file and who ran the import; the failed row has none
    events = await TimelineEvent.filter(kind=TimelineKind.IMPORTED).order_by("contact_id")
    assert [(e.actor_kind, e.details) for e in events] == [
        (ActorKind.IMPORT, {"file": "team.csv", "by": "Sam Staff", "action": "updated"}),
        (ActorKind.IMPORT, {"file": "team.csv", "by": "Sam Staff", "action": "created"}),
    ]


async def test_a_skipped_duplicate_records_nothing(staff: GraphQLClient) -> None:
    # given a contact the file also holds
    known = await create_contact(staff, lastName="Known", email="known@example.com")

    # when the file is imported, skipping duplicates
    content = csv_bytes([HEADER, ["Now", "Known", "known@example.com"]])
    done = await import_file(staff, content, {"duplicateMode": "SKIP"})

    # then the known contact's timeline has no import on it
    assert done["skippedCount"] == 1
    assert await summaries_of(staff, known["id"], ["IMPORTED"]) == []


async def test_a_batch_that_fails_records_nothing(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given 5 rows a batch, and a second batch that fails once its events are written
    monkeypatch.setattr(batch, "BATCH_ROWS", 5)
    real_record = batch._record
    recorded = 0

    async def failing_second(*args: object) -> None:
        nonlocal recorded
        await real_record(*args)  # type: ignore[arg-type]
        recorded += 1
        if recorded == 2:
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(batch, "_record", failing_second)

    # when 12 names are imported
    names = [["Last name"], *([f"Name {n}"] for n in range(12))]
    done = await import_file(staff, csv_bytes(names))

    # then the first batch stays, with its events, and the failed one left neither
    assert (done["state"], done["createdCount"]) == ("FAILED", 5)
    assert await Contact.all().count() == 5
    assert await TimelineEvent.filter(kind=TimelineKind.IMPORTED).count() == 5
