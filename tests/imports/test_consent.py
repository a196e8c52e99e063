"""An import records consent only when someone gave it: a consent column, or the Options
step's "the people in this file agreed to". Filled-in emails, phones and addresses tick
nothing (unlike the contact form, where the user sees the tick)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crm.settings import reset_settings
from tests.contacts.helpers import create_contact
from tests.graphql_client import GraphQLClient
from tests.imports.helpers import START, csv_bytes, import_file, proposed_columns, uploaded_job

CONSENTS = """
query ($search: String) {
  contacts(search: $search) {
    edges { node { email preferences { consents { channel granted source changedAt } } } }
  }
}
"""
UPDATE_CONSENT = """
mutation ($input: UpdateContactInput!) { updateContact(input: $input) { errors { code } } }
"""
HEADER = ["First name", "Last name", "Email", "Mobile", "City"]
ADA = ["Ada", "Lovelace", "ada@example.com", "07400 123456", "London"]


async def consents_of(staff: GraphQLClient, email: str) -> dict[str, tuple[bool, str | None]]:
    """Each channel's consent: (granted, source)."""
    result = await staff.execute(CONSENTS, {"search": email})
    [edge] = result.data["contacts"]["edges"]
    return {
        c["channel"]: (c["granted"], c["source"]) for c in edge["node"]["preferences"]["consents"]
    }


NONE = {"EMAIL": (False, None), "SMS": (False, None), "PHONE": (False, None), "POST": (False, None)}


async def test_an_email_a_phone_and_a_city_record_no_consent(staff: GraphQLClient) -> None:
    # given a file whose row has an email, a mobile and a city, and no consent column
    content = csv_bytes([HEADER, ADA])
    # when it is imported with the default options
    done = await import_file(staff, content)
    # then the contact is there, with no consent on any channel
    assert done["createdCount"] == 1
    assert done["options"]["consents"] == []
    assert await consents_of(staff, "ada@example.com") == NONE


async def test_a_city_alone_ticks_nothing(staff: GraphQLClient) -> None:
    # given a row with a name and a city only
    content = csv_bytes([["Last name", "City"], ["Lovelace", "London"]])
    # when imported
    await import_file(staff, content)
    # then post is not ticked
    assert await consents_of(staff, "lovelace") == NONE


async def test_the_option_records_consent_with_source_import(staff: GraphQLClient) -> None:
    # given the same row, and "the people in this file agreed to: email"
    content = csv_bytes([HEADER, ADA, ["Bob", "Jones", "", "", ""]])
    # when imported
    done = await import_file(staff, content, {"consents": ["EMAIL"]})
    # then email consent is recorded from the import, and nothing else
    assert done["options"]["consents"] == ["EMAIL"]
    assert await consents_of(staff, "ada@example.com") == NONE | {"EMAIL": (True, "IMPORT")}
    # (for every row, as everyone in the file agreed)
    assert await consents_of(staff, "jones") == NONE | {"EMAIL": (True, "IMPORT")}


async def test_a_consent_column_wins_over_the_option(staff: GraphQLClient) -> None:
    # given a consent column saying no, yes, or nothing
    content = csv_bytes(
        [
            ["Last name", "Email", "Email consent", "Post consent"],
            ["No", "no@example.com", "no", ""],
            ["Yes", "yes@example.com", "yes", "yes"],
            ["Blank", "blank@example.com", "", "no"],
        ]
    )
    # when imported with "agreed to: email and post"
    await import_file(staff, content, {"consents": ["EMAIL", "POST"]})
    # then a cell that says wins; an empty cell takes the option
    assert await consents_of(staff, "no@example.com") == NONE | {
        "EMAIL": (False, "IMPORT"),
        "POST": (True, "IMPORT"),
    }
    assert await consents_of(staff, "yes@example.com") == NONE | {
        "EMAIL": (True, "IMPORT"),
        "POST": (True, "IMPORT"),
    }
    assert await consents_of(staff, "blank@example.com") == NONE | {
        "EMAIL": (True, "IMPORT"),
        "POST": (False, "IMPORT"),
    }


async def test_an_update_keeps_a_recorded_choice_and_ticks_only_what_was_agreed(
    staff: GraphQLClient,
) -> None:
    # given a contact who withdrew email consent, and one imported earlier who never chose
    withdrawn = await create_contact(staff, lastName="Withdrawn", email="w@example.com")
    await staff.execute(
        UPDATE_CONSENT, {"input": {"id": withdrawn["id"], "preferences": {"email": False}}}
    )
    await import_file(staff, csv_bytes([["Last name", "Email"], ["Fresh", "f@example.com"]]))
    content = csv_bytes(
        [
            ["Last name", "Email", "City"],
            ["Withdrawn", "w@example.com", "Leeds"],
            ["Fresh", "f@example.com", "York"],
        ]
    )
    # when a file updating them says everyone agreed to email
    done = await import_file(staff, content, {"duplicateMode": "UPDATE", "consents": ["EMAIL"]})
    # then the withdrawal stands (only a consent column could change it), the other is
    # ticked, and the cities the import filled in tick no post
    assert done["updatedCount"] == 2
    assert await consents_of(staff, "w@example.com") == NONE | {"EMAIL": (False, "STAFF")}
    assert await consents_of(staff, "f@example.com") == NONE | {"EMAIL": (True, "IMPORT")}


async def test_sms_consent_needs_sms_enabled(staff: GraphQLClient) -> None:
    # given an uploaded file (SMS is disabled in the test settings)
    job_data = await uploaded_job(staff, csv_bytes([HEADER, ADA]))
    # when started with consent to SMS
    payload = await staff.mutate(
        "startImport",
        START,
        {
            "jobId": job_data["id"],
            "columns": proposed_columns(job_data),
            "options": {"consents": ["SMS"]},
        },
    )
    # then it is refused on that option, and nothing is imported
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        (["input", "options", "consents"], "NOT_ALLOWED")
    ]
    assert payload["job"] is None


@pytest.fixture
def sms_enabled(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CRM_SMS_ENABLED", "1")
    reset_settings()
    yield
    monkeypatch.delenv("CRM_SMS_ENABLED")
    reset_settings()


async def test_sms_consent_from_the_option_when_sms_is_enabled(
    staff: GraphQLClient, sms_enabled: None
) -> None:
    # when a file is imported with "agreed to: SMS" while SMS is enabled
    await import_file(staff, csv_bytes([HEADER, ADA]), {"consents": ["SMS"]})
    # then SMS consent is recorded, and only that
    assert await consents_of(staff, "ada@example.com") == NONE | {"SMS": (True, "IMPORT")}
