"""Notes on contacts and companies: what they hold, who may change them, "last contacted"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crm.notes.models import Note
from crm.staff.models import StaffRole
from crm.timeline.models import TimelineEvent
from tests.conftest import make_staff, signed_in
from tests.contacts.helpers import CREATE
from tests.graphql_client import GraphQLClient

ADD = """
mutation ($input: AddNoteInput!) {
  addNote(input: $input) {
    note { id kind body occurredAt author canEdit }
    errors { field message code }
  }
}
"""
UPDATE = """
mutation ($input: UpdateNoteInput!) {
  updateNote(input: $input) { note { id body occurredAt } errors { field message code } }
}
"""
DELETE = """
mutation ($input: DeleteNoteInput!) {
  deleteNote(input: $input) { deletedId errors { field message code } }
}
"""
LAST_CONTACTED = "query ($id: ID!) { contact(id: $id) { lastContactedAt } }"
CONTACT_TIMELINE = """
query ($id: ID!) {
  contact(id: $id) {
    timeline(first: 20) { edges { node { kind actor summary note { body kind } } } }
  }
}
"""
COMPANY_TIMELINE = """
query ($id: ID!) {
  company(id: $id) {
    timeline(first: 20) { edges { node { kind summary contact { fullName } note { body } } } }
  }
}
"""


def iso(moment: datetime) -> str:
    return moment.isoformat()


async def contact(staff: GraphQLClient, **fields: Any) -> str:
    fields.setdefault("lastName", "Adam")
    payload = await staff.mutate("createContact", CREATE, fields)
    assert payload["errors"] == [], payload["errors"]
    return payload["contact"]["id"]


async def last_contacted(staff: GraphQLClient, contact_id: str) -> str | None:
    result = await staff.execute(LAST_CONTACTED, {"id": contact_id})
    return result.data["contact"]["lastContactedAt"]


async def test_a_logged_call_is_on_the_timeline_and_sets_last_contacted(
    staff: GraphQLClient,
) -> None:
    # given a contact never contacted
    contact_id = await contact(staff)
    assert await last_contacted(staff, contact_id) is None
    yesterday = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)

    # when a call of yesterday is logged, then a plain note of today
    call = await staff.mutate(
        "addNote",
        ADD,
        {
            "contactId": contact_id,
            "kind": "CALL",
            "body": "Spoke about\nthe renewal",
            "occurredAt": iso(yesterday),
        },
    )
    other = await staff.mutate("addNote", ADD, {"contactId": contact_id, "body": "Likes tea"})

    # then both are on the timeline, newest first, by the staff member, and only the call
    # counts as being in touch
    assert call["errors"] == [] and other["errors"] == []
    assert call["note"]["body"] == "Spoke about\nthe renewal"
    assert call["note"]["author"] == "Sam Staff" and call["note"]["canEdit"] is True
    assert datetime.fromisoformat(await last_contacted(staff, contact_id)) == yesterday  # type: ignore[arg-type]
    timeline = (await staff.execute(CONTACT_TIMELINE, {"id": contact_id})).data["contact"]
    notes = [e["node"] for e in timeline["timeline"]["edges"] if e["node"]["kind"] == "NOTE"]
    assert [(n["summary"], n["note"]["body"]) for n in notes] == [
        ("Note logged", "Likes tea"),
        ("Call logged", "Spoke about\nthe renewal"),
    ]
    assert all(n["actor"] == "Sam Staff" for n in notes)


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"body": "   "}, "body", "REQUIRED"),
        ({"body": "\u200b\ufeff"}, "body", "REQUIRED"),
        ({"body": "x" * 20_001}, "body", "INVALID"),
        ({"body": "Later", "occurredAt": "2100-01-01T00:00:00+00:00"}, "occurredAt", "INVALID"),
    ],
    ids=["blank", "invisible", "20001 characters", "year 2100"],
)
async def test_bad_notes_are_refused_naming_the_field(
    staff: GraphQLClient, fields: dict[str, Any], field: str, code: str
) -> None:
    # given a contact
    contact_id = await contact(staff)

    # when a bad note is added
    payload = await staff.mutate("addNote", ADD, {"contactId": contact_id, **fields})

    # then it is refused on its field and nothing is saved
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(["input", field], code)]
    assert await Note.all().count() == 0
    assert await TimelineEvent.filter(kind="NOTE").count() == 0


async def test_a_note_needs_a_contact_or_company_that_exists(staff: GraphQLClient) -> None:
    contact_id = await contact(staff)
    await staff.execute(
        "mutation ($id: ID!) { deleteContact(input: {id: $id}) { errors { code } } }",
        {"id": contact_id},
    )
    gone = await staff.mutate("addNote", ADD, {"contactId": contact_id, "body": "Hello"})
    neither = await staff.mutate("addNote", ADD, {"body": "Hello"})
    assert [e["code"] for e in gone["errors"]] == ["NOT_FOUND"]
    assert gone["errors"][0]["field"] == ["input", "contactId"]
    assert [e["code"] for e in neither["errors"]] == ["REQUIRED"]


async def test_only_the_author_or_an_admin_changes_a_note(
    app: Any, staff: GraphQLClient, member: GraphQLClient
) -> None:
    # given a note by a member, and another member
    contact_id = await contact(staff)
    note = (await member.mutate("addNote", ADD, {"contactId": contact_id, "body": "Mine"}))["note"]
    other = await signed_in(app, await make_staff("other@example.com", StaffRole.MEMBER))

    # when the other member edits and deletes it, then its author edits it, then an admin
    # deletes it
    refused_edit = await other.mutate("updateNote", UPDATE, {"id": note["id"], "body": "Yours"})
    refused_delete = await other.mutate("deleteNote", DELETE, {"id": note["id"]})
    edited = await member.mutate("updateNote", UPDATE, {"id": note["id"], "body": "Still mine"})
    deleted = await staff.mutate("deleteNote", DELETE, {"id": note["id"]})
    await other.http.aclose()

    # then only the author and the admin could
    assert [e["code"] for e in refused_edit["errors"]] == ["NOT_ALLOWED"]
    assert [e["code"] for e in refused_delete["errors"]] == ["NOT_ALLOWED"]
    assert edited["note"]["body"] == "Still mine"
    assert deleted["deletedId"] == note["id"]
    assert await Note.all().count() == 0
    assert await TimelineEvent.filter(kind="NOTE").count() == 0


async def test_editing_or_deleting_a_call_recomputes_last_contacted(staff: GraphQLClient) -> None:
    # given two calls, three and one days ago
    contact_id = await contact(staff)
    now = datetime.now(UTC).replace(microsecond=0)
    older = await staff.mutate(
        "addNote",
        ADD,
        {
            "contactId": contact_id,
            "kind": "CALL",
            "body": "a",
            "occurredAt": iso(now - timedelta(days=3)),
        },
    )
    newer = await staff.mutate(
        "addNote",
        ADD,
        {
            "contactId": contact_id,
            "kind": "MEETING",
            "body": "b",
            "occurredAt": iso(now - timedelta(days=1)),
        },
    )
    assert datetime.fromisoformat(await last_contacted(staff, contact_id)) == now - timedelta(
        days=1
    )  # type: ignore[arg-type]

    # when the newer moves back five days, then is deleted, then the older goes too
    await staff.mutate(
        "updateNote",
        UPDATE,
        {"id": newer["note"]["id"], "occurredAt": iso(now - timedelta(days=5))},
    )
    moved = await last_contacted(staff, contact_id)
    await staff.mutate("deleteNote", DELETE, {"id": newer["note"]["id"]})
    after_delete = await last_contacted(staff, contact_id)
    await staff.mutate("deleteNote", DELETE, {"id": older["note"]["id"]})

    # then "last contacted" follows each time
    assert datetime.fromisoformat(moved) == now - timedelta(days=3)  # type: ignore[arg-type]
    assert datetime.fromisoformat(after_delete) == now - timedelta(days=3)  # type: ignore[arg-type]
    assert await last_contacted(staff, contact_id) is None


async def test_a_company_timeline_holds_its_notes_and_its_contacts_notes(
    staff: GraphQLClient,
) -> None:
    # given a company with a contact
    company = await staff.execute(
        'mutation { createCompany(input: {name: "Acme"}) { company { id } } }'
    )
    company_id = company.data["createCompany"]["company"]["id"]
    contact_id = await contact(staff, firstName="Ann", companyId=company_id)

    # when a note is added to each
    await staff.mutate(
        "addNote", ADD, {"companyId": company_id, "kind": "MEETING", "body": "Board"}
    )
    await staff.mutate(
        "addNote", ADD, {"contactId": contact_id, "kind": "CALL", "body": "Ann called"}
    )

    # then the company's timeline has both, the contact's marked as such
    timeline = (await staff.execute(COMPANY_TIMELINE, {"id": company_id})).data["company"]
    entries = [e["node"] for e in timeline["timeline"]["edges"] if e["node"]["kind"] == "NOTE"]
    assert entries == [
        {
            "kind": "NOTE",
            "summary": "Call with Ann Adam",
            "contact": {"fullName": "Ann Adam"},
            "note": {"body": "Ann called"},
        },
        {"kind": "NOTE", "summary": "Meeting logged", "contact": None, "note": {"body": "Board"}},
    ]
