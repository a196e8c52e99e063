"""Pasted recipients: lines of `email, first name, last name` matched to contacts or made into
new ones, bad lines answered by number."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from crm.campaigns import pasted
from crm.campaigns.models import CampaignPart
from crm.contacts.models import Contact
from tests.campaigns.helpers import AUDIENCE, PASTE, PREVIEW, contact, draft, problems
from tests.contacts.helpers import GET
from tests.graphql_client import GraphQLClient
from tests.timeline.test_contact_events import events


async def paste(staff: GraphQLClient, campaign_id: str, text: str, **more: Any) -> dict[str, Any]:
    return await staff.mutate(
        "addPastedRecipients", PASTE, {"campaignId": campaign_id, "text": text, **more}
    )


async def audience_contacts(staff: GraphQLClient, campaign_id: str) -> list[dict[str, Any]]:
    result = await staff.execute(AUDIENCE, {"id": campaign_id})
    return result.data["campaign"]["audience"]["contacts"]


async def test_commas_semicolons_and_tabs_all_separate_the_cells(staff: GraphQLClient) -> None:
    # given a draft
    campaign = await draft(staff)

    # when lines separated each way are pasted (blank lines, quotes and spaces around)
    text = (
        "ann@example.com, Ann, Ash\n"
        "\n"
        "bob@example.com;Bob;Birch\r\n"
        "cy@example.com\tCy\tCole\n"
        '"dee@example.com" , "Dee" , "Dunn"\n'
        "eve@example.com\n"
    )
    payload = await paste(staff, campaign["id"], text)

    # then each line is a contact with its names (a bare address is named after it)
    assert (payload["created"], payload["matched"], payload["errors"]) == (5, 0, [])
    people = await audience_contacts(staff, campaign["id"])
    assert sorted((p["email"], p["firstName"], p["lastName"]) for p in people) == [
        ("ann@example.com", "Ann", "Ash"),
        ("bob@example.com", "Bob", "Birch"),
        ("cy@example.com", "Cy", "Cole"),
        ("dee@example.com", "Dee", "Dunn"),
        ("eve@example.com", "", "eve"),
    ]


async def test_existing_contacts_are_matched_by_email_whatever_its_case(
    staff: GraphQLClient,
) -> None:
    # given a contact who declined email, and a draft
    ann = await contact(staff, "Ash", "ann@example.com", consent=False, firstName="Ann")
    campaign = await draft(staff)

    # when her address is pasted in capitals with other names, twice, said to have consented
    payload = await paste(
        staff, campaign["id"], "ANN@Example.COM, Annie, Other\nann@example.com", consented=True
    )

    # then she is matched once and stays as she was: names and her choice not to get email
    assert (payload["created"], payload["matched"], payload["errors"]) == (0, 1, [])
    people = await audience_contacts(staff, campaign["id"])
    assert [(p["id"], p["firstName"], p["lastName"]) for p in people] == [(ann["id"], "Ann", "Ash")]
    assert await Contact.all().count() == 1
    saved = (await staff.execute(GET, {"id": ann["id"]})).data["contact"]
    assert saved["preferences"]["email"] is False


@pytest.mark.parametrize("consented", [False, True])
async def test_new_contacts_are_recorded_as_created_by_the_campaign(
    staff: GraphQLClient, consented: bool
) -> None:
    # given a draft
    campaign = await draft(staff, name="Spring sale")

    # when a new address is pasted, said or not said to have agreed to email
    payload = await paste(staff, campaign["id"], "fay@example.com, Fay, Fox", consented=consented)
    assert payload["created"] == 1
    (fay,) = await audience_contacts(staff, campaign["id"])

    # then their timeline says the campaign added them, by whom
    created = await events(staff, fay["id"], kinds=["CREATED"])
    assert [(e["actor"], e["summary"]) for e in created] == [
        ("Sam Staff", "Added to the CRM by the campaign “Spring sale”")
    ]
    # and they have email consent only if the staff member said so (from staff), nothing else
    preferences = (await staff.execute(GET, {"id": fay["id"]})).data["contact"]["preferences"]
    assert preferences["email"] is consented
    assert (preferences["sms"], preferences["phone"], preferences["post"]) == (False, False, False)
    granted = [(c["channel"], c["source"]) for c in preferences["consents"] if c["granted"]]
    assert granted == ([("EMAIL", "STAFF")] if consented else [])
    counts = (await staff.execute(PREVIEW, {"id": campaign["id"]})).data["campaignPreview"]
    assert (counts["willReceive"], counts["skippedNoConsent"]) == (
        int(consented),
        int(not consented),
    )


async def test_bad_lines_are_answered_by_line_number_and_the_good_ones_added(
    staff: GraphQLClient,
) -> None:
    # given a draft
    campaign = await draft(staff)

    # when a list with bad lines is pasted
    text = "\n".join(
        [
            "ann@example.com, Ann, Ash",  # 1
            "not an address, Bob, Birch",  # 2
            "",  # 3
            "cy@example.com, Cy, Cole, extra",  # 4
            "dee@example.com, Dee, " + "D" * 300,  # 5
            ", Eve, Eve",  # 6
            "fay@example.com",  # 7
        ]
    )
    payload = await paste(staff, campaign["id"], text)

    # then each bad line is named by its number, and the good ones are in the audience
    assert problems(payload) == [
        (("input", "text", "2"), "INVALID"),
        (("input", "text", "4"), "INVALID"),
        (("input", "text", "5"), "INVALID"),
        (("input", "text", "6"), "INVALID"),
    ]
    assert all(e["message"].startswith(f"Line {e['field'][2]}:") for e in payload["errors"])
    assert (payload["created"], payload["matched"]) == (2, 0)
    people = await audience_contacts(staff, campaign["id"])
    assert sorted(p["email"] for p in people) == ["ann@example.com", "fay@example.com"]


async def test_ten_thousand_lines_with_bad_ones_and_pasting_them_again(
    staff: GraphQLClient,
) -> None:
    # given a draft, and a contact already known
    await contact(staff, "Known", "person5@example.com")
    campaign = await draft(staff)
    lines = [f"person{n}@example.com, Person, Number {n}" for n in range(10_000)]
    for bad in (17, 4_242, 9_999):
        lines[bad] = f"person{bad}-at-example.com, Person, Bad"

    # when the 10,000 lines are pasted
    payload = await paste(staff, campaign["id"], "\n".join(lines))

    # then the three bad lines are named (numbered from 1), the rest are in the audience
    assert [e["field"][2] for e in payload["errors"]] == ["18", "4243", "10000"]
    assert (payload["created"], payload["matched"]) == (9_996, 1)
    assert await CampaignPart.filter(kind="CONTACT").count() == 9_997
    assert await Contact.all().count() == 9_997

    # when the list is pasted again, the bad lines corrected
    for bad in (17, 4_242, 9_999):
        lines[bad] = f"person{bad}@example.com, Person, Fixed"
    again = await paste(staff, campaign["id"], "\n".join(lines))

    # then only the corrected lines are new, and nobody is in the audience twice
    assert (again["created"], again["matched"], again["errors"]) == (3, 9_997, [])
    assert await CampaignPart.filter(kind="CONTACT").count() == 10_000
    counts = (await staff.execute(PREVIEW, {"id": campaign["id"]})).data["campaignPreview"]
    assert counts["willReceive"] + counts["skippedNoConsent"] == 10_000


async def test_a_list_too_long_saves_nothing(staff: GraphQLClient) -> None:
    campaign = await draft(staff)
    text = "\n".join(f"person{n}@example.com" for n in range(10_001))
    payload = await paste(staff, campaign["id"], text)
    assert problems(payload) == [(("input", "text"), "TOO_MANY")]
    assert await Contact.all().count() == 0
    assert await CampaignPart.all().count() == 0


async def test_a_paste_that_fails_part_way_saves_nothing(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a draft, and a database that fails after the new contacts are written
    campaign = await draft(staff)

    async def failing(*args: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(pasted, "record_many", failing)

    # when a list is pasted
    result = await staff.execute(
        PASTE, {"input": {"campaignId": campaign["id"], "text": "ann@example.com\nbob@example.com"}}
    )

    # then it is an error and no contact or audience part is left half-saved
    assert result.errors
    assert await Contact.all().count() == 0
    assert await CampaignPart.all().count() == 0


async def test_two_pastes_of_the_same_new_people_at_once_make_each_of_them_once(
    staff: GraphQLClient,
) -> None:
    # given two drafts
    first, second = await draft(staff, name="First"), await draft(staff, name="Second")
    text = "\n".join(f"person{n}@example.com, Person, {n}" for n in range(200))

    # when the same new people are pasted into both at the same moment
    results = await asyncio.gather(
        paste(staff, first["id"], text), paste(staff, second["id"], text)
    )

    # then both pastes worked, and each person was made once
    assert [result["errors"] for result in results] == [[], []]
    assert sorted(result["created"] for result in results) in ([0, 200], [200, 200])
    assert sum(result["created"] for result in results) == 200
    assert await Contact.all().count() == 200
    assert await CampaignPart.filter(kind="CONTACT").count() == 400
