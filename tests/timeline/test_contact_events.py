"""What happens to a contact is on its timeline, written by the change itself."""

from __future__ import annotations

import asyncio
from typing import Any

from crm.notes.models import Note
from crm.timeline.models import TimelineEvent
from tests.contacts.helpers import ARCHIVE, CREATE, RESTORE, UPDATE
from tests.graphql_client import GraphQLClient

TIMELINE = """
query ($id: ID!, $kinds: [TimelineKind!], $first: Int, $after: String) {
  contact(id: $id) {
    timeline(kinds: $kinds, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { kind actor summary changes { field before after } } }
    }
  }
}
"""
COMPANY_TIMELINE = """
query ($id: ID!) {
  company(id: $id) { timeline { edges { node { kind summary contact { fullName } } } } }
}
"""
CONVERT = """
mutation ($input: ConvertLeadInput!) {
  convertLead(input: $input) { contact { type status email } errors { field message code } }
}
"""
PRIMARY = """
mutation ($input: SetPrimaryContactInput!) { setPrimaryContact(input: $input) { errors { code } } }
"""


async def events(staff: GraphQLClient, contact_id: str, **variables: Any) -> list[dict[str, Any]]:
    result = await staff.execute(TIMELINE, {"id": contact_id, **variables})
    return [edge["node"] for edge in result.data["contact"]["timeline"]["edges"]]


async def company(staff: GraphQLClient, name: str) -> str:
    result = await staff.execute(
        "mutation ($name: String) { createCompany(input: {name: $name}) { company { id } } }",
        {"name": name},
    )
    return result.data["createCompany"]["company"]["id"]


async def test_an_edit_is_recorded_as_a_person_reads_it(staff: GraphQLClient) -> None:
    # given a contact with a job title, a phone and a company
    acme, beta = await company(staff, "Acme"), await company(staff, "Beta Ltd")
    created = await staff.mutate(
        "createContact",
        CREATE,
        {
            "lastName": "Adam",
            "jobTitle": "Buyer",
            "companyId": acme,
            "phones": [{"number": "020 7946 0018", "type": "OFFICE"}],
        },
    )
    contact_id = created["contact"]["id"]

    # when staff change the title, the phone, the company and the email consent, then save
    # again without changing anything
    await staff.mutate(
        "updateContact",
        UPDATE,
        {
            "id": contact_id,
            "jobTitle": "Head buyer",
            "phones": [{"number": "07400 123456"}],
            "companyId": beta,
            "email": "adam@beta.example",
            "preferences": {"email": True},
        },
    )
    await staff.mutate("updateContact", UPDATE, {"id": contact_id, "jobTitle": "Head buyer"})

    # then there is one UPDATED event, after CREATED, with readable before and after
    timeline = await events(staff, contact_id)
    assert [(e["kind"], e["actor"]) for e in timeline] == [
        ("UPDATED", "Sam Staff"),
        ("CREATED", "Sam Staff"),
    ]
    changes = {c["field"]: (c["before"], c["after"]) for c in timeline[0]["changes"]}
    assert changes == {
        "Email": ("", "adam@beta.example"),
        "Job title": ("Buyer", "Head buyer"),
        "Company": ("Acme", "Beta Ltd"),
        "Phones": ("+44 20 7946 0018 (office)", "+44 7400 123456 (mobile)"),
        "Email consent": ("not given", "given (staff)"),
    }
    assert timeline[0]["summary"] == "Changed email, job title, company, phones, email consent"


async def test_archive_restore_and_primary_contact_are_recorded(staff: GraphQLClient) -> None:
    # given a contact of a company
    acme = await company(staff, "Acme")
    contact_id = (
        await staff.mutate(
            "createContact", CREATE, {"firstName": "Ann", "lastName": "Adam", "companyId": acme}
        )
    )["contact"]["id"]

    # when it is made primary, archived and restored
    await staff.execute(PRIMARY, {"input": {"contactId": contact_id}})
    await staff.mutate("archiveContact", ARCHIVE, {"id": contact_id})
    await staff.mutate("archiveContact", ARCHIVE, {"id": contact_id})  # already archived
    await staff.mutate("restoreContact", RESTORE, {"id": contact_id})

    # then each is on the contact's timeline once, and the company's says who became primary
    assert [e["summary"] for e in await events(staff, contact_id)] == [
        "Restored from the archive",
        "Archived",
        "Made the primary contact of Acme",
        "Added to the CRM",
    ]
    on_company = await staff.execute(COMPANY_TIMELINE, {"id": acme})
    assert [e["node"] for e in on_company.data["company"]["timeline"]["edges"]] == [
        {
            "kind": "PRIMARY_CONTACT_SET",
            "summary": "Ann Adam became the primary contact",
            "contact": {"fullName": "Ann Adam"},
        },
        {"kind": "CREATED", "summary": "Added to the CRM", "contact": None},
    ]


async def test_a_lead_converts_in_one_step_once_it_has_an_email(staff: GraphQLClient) -> None:
    # given a lead without an email, and a client
    lead = (await staff.mutate("createContact", CREATE, {"lastName": "Lee"}))["contact"]["id"]
    client = (
        await staff.mutate(
            "createContact",
            CREATE,
            {"lastName": "Cole", "type": "CLIENT", "email": "c@x.example", "sendInvite": False},
        )
    )["contact"]["id"]

    # when the lead converts without an email, then with one; and the client converts
    missing = await staff.mutate("convertLead", CONVERT, {"contactId": lead})
    converted = await staff.mutate(
        "convertLead", CONVERT, {"contactId": lead, "email": "lee@x.example"}
    )
    refused = await staff.mutate("convertLead", CONVERT, {"contactId": client})

    # then the email is asked for by name, the lead becomes a converted client in one event,
    # and a client cannot be converted
    assert [(e["field"], e["code"]) for e in missing["errors"]] == [
        (["input", "email"], "REQUIRED")
    ]
    assert converted["contact"] == {
        "type": "CLIENT",
        "status": "CONVERTED",
        "email": "lee@x.example",
    }
    assert [e["code"] for e in refused["errors"]] == ["NOT_ALLOWED"]
    latest = (await events(staff, lead))[0]
    assert latest["kind"] == "CONVERTED"
    assert latest["summary"] == "Converted from lead to client"
    assert {c["field"] for c in latest["changes"]} >= {"Type", "Status", "Email"}


async def test_the_timeline_pages_newest_first_by_kind_in_two_statements(
    staff: GraphQLClient,
) -> None:
    # given a contact with 30 edits and a note
    contact_id = (await staff.mutate("createContact", CREATE, {"lastName": "Adam"}))["contact"][
        "id"
    ]
    for index in range(30):
        await staff.mutate(
            "updateContact", UPDATE, {"id": contact_id, "jobTitle": f"Title {index}"}
        )
    await staff.execute(
        'mutation ($id: ID) { addNote(input: {contactId: $id, body: "Hi"}) { errors { code } } }',
        {"id": contact_id},
    )

    # when it is read in pages of 12, and only its UPDATED events
    first = await staff.execute(TIMELINE, {"id": contact_id, "first": 12})
    end = first.data["contact"]["timeline"]["pageInfo"]["endCursor"]
    second = await events(staff, contact_id, first=12, after=end)
    updated = await events(staff, contact_id, kinds=["UPDATED"], first=100)

    # then pages follow each other newest first, the filter keeps its kind, and a page is
    # one statement after the session and the contact
    page = [e["node"] for e in first.data["contact"]["timeline"]["edges"]]
    assert page[0]["kind"] == "NOTE"
    assert page[1]["changes"][0]["after"] == "Title 29"
    assert second[0]["changes"][0]["after"] == "Title 18"
    assert len(updated) == 30 and {e["kind"] for e in updated} == {"UPDATED"}
    assert first.query_count == 3


async def test_two_edits_at_once_each_record_their_own_change(staff: GraphQLClient) -> None:
    # given a contact
    contact_id = (
        await staff.mutate("createContact", CREATE, {"lastName": "Adam", "jobTitle": "A"})
    )["contact"]["id"]

    # when two staff change the job title at the same moment
    await asyncio.gather(
        staff.mutate("updateContact", UPDATE, {"id": contact_id, "jobTitle": "B"}),
        staff.mutate("updateContact", UPDATE, {"id": contact_id, "jobTitle": "C"}),
    )

    # then two events chain: A to one, that one to the other
    updates = [e["changes"][0] for e in await events(staff, contact_id, kinds=["UPDATED"])]
    assert len(updates) == 2
    second, first = updates
    assert first["before"] == "A" and second["before"] == first["after"]
    assert {first["after"], second["after"]} == {"B", "C"}


async def test_erasing_a_contact_erases_its_notes_and_events(staff: GraphQLClient) -> None:
    # given a primary contact of a company, with a note and edits
    acme = await company(staff, "Acme")
    contact_id = (
        await staff.mutate("createContact", CREATE, {"lastName": "Adam", "companyId": acme})
    )["contact"]["id"]
    await staff.execute(PRIMARY, {"input": {"contactId": contact_id}})
    await staff.execute(
        'mutation ($id: ID) { addNote(input: {contactId: $id, body: "Private"}) {'
        " errors { code } } }",
        {"id": contact_id},
    )
    await staff.mutate("updateContact", UPDATE, {"id": contact_id, "jobTitle": "Buyer"})

    # when the contact is deleted
    await staff.execute(
        "mutation ($id: ID!) { deleteContact(input: {id: $id}) { errors { code } } }",
        {"id": contact_id},
    )

    # then its notes and events are gone, and the company's timeline names no one
    assert await Note.all().count() == 0
    assert await TimelineEvent.filter(contact_id__isnull=False).count() == 0
    on_company = await staff.execute(COMPANY_TIMELINE, {"id": acme})
    assert [e["node"] for e in on_company.data["company"]["timeline"]["edges"]] == [
        {
            "kind": "PRIMARY_CONTACT_SET",
            "summary": "a deleted contact became the primary contact",
            "contact": None,
        },
        {"kind": "CREATED", "summary": "Added to the CRM", "contact": None},
    ]
    assert "Adam" not in str(on_company.body)


async def test_a_company_records_its_creation_and_its_changes(staff: GraphQLClient) -> None:
    # given a company
    acme = await company(staff, "Acme")

    # when it is renamed and given a website, then saved unchanged
    update = """mutation ($input: UpdateCompanyInput!) {
      updateCompany(input: $input) { errors { code } } }"""
    await staff.execute(
        update, {"input": {"id": acme, "name": "Acme Ltd", "website": "acme.example"}}
    )
    await staff.execute(update, {"input": {"id": acme, "name": "Acme Ltd"}})

    # then its timeline has the creation and one change, readable
    timeline = await staff.execute(
        """query ($id: ID!) { company(id: $id) { timeline { edges { node {
             kind actor summary changes { field before after } } } } } }""",
        {"id": acme},
    )
    entries = [e["node"] for e in timeline.data["company"]["timeline"]["edges"]]
    assert [(e["kind"], e["actor"]) for e in entries] == [
        ("UPDATED", "Sam Staff"),
        ("CREATED", "Sam Staff"),
    ]
    assert entries[0]["changes"] == [
        {"field": "Name", "before": "Acme", "after": "Acme Ltd"},
        {"field": "Website", "before": "", "after": "https://acme.example"},
    ]
