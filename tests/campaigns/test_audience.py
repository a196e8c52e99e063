"""Who a campaign goes to: groups, segments, single contacts and pasted lines, each address
once, counted before sending as it is then queued."""

from __future__ import annotations

from typing import Any

import pytest

from crm.campaigns import sending
from crm.campaigns.models import Campaign, CampaignRecipient
from crm.campaigns.sending import CampaignRunner
from crm.contacts.models import Contact
from tests.campaigns.helpers import (
    AUDIENCE,
    PASTE,
    PREVIEW,
    campaign_of,
    contact,
    draft,
    group,
    recipients,
    segment,
    send,
    set_audience,
)
from tests.contacts.helpers import ARCHIVE, CREATE, UPDATE
from tests.graphql_client import GraphQLClient


async def preview(staff: GraphQLClient, campaign_id: str) -> dict[str, Any]:
    return (await staff.execute(PREVIEW, {"id": campaign_id})).data["campaignPreview"]


async def queue_all() -> None:
    runner = CampaignRunner()
    while await runner.run_once():
        pass


async def test_every_kind_of_part_together_reaches_each_address_once(
    staff: GraphQLClient,
) -> None:
    # given a group, a segment of clients, single contacts and a pasted list that overlap
    ann = await contact(staff, "Ash", "ann@example.com", type="CLIENT")
    bob = await contact(staff, "Birch", "bob@example.com")
    await contact(staff, "Cole", "cy@example.com", type="CLIENT")
    dee = await contact(staff, "Dunn", "dee@example.com", consent=False)
    eve = await contact(staff, "Eve", None)
    old = await contact(staff, "Old", "old@example.com")
    await staff.mutate("archiveContact", ARCHIVE, {"id": old["id"]})
    campaign = await draft(staff)
    regulars = await group(staff, "Regulars", [ann, bob, dee, old])
    clients = await segment(staff, "Clients", filter={"type": ["CLIENT"]})
    chosen = await set_audience(
        staff,
        campaign["id"],
        groupIds=[regulars],
        segmentIds=[clients],
        contactIds=[ann["id"], eve["id"], bob["id"]],
    )
    assert chosen["errors"] == []
    pasted = await staff.mutate(
        "addPastedRecipients",
        PASTE,
        {"campaignId": campaign["id"], "text": "ANN@example.com\nfay@example.com, Fay, Fox"},
    )
    assert (pasted["matched"], pasted["created"], pasted["errors"]) == (1, 1, [])

    # when the confirmation step counts it
    counts = await preview(staff, campaign["id"])

    # then everyone is counted once: Ann, Bob and Cy receive it; Fay (pasted, no consent
    # given), Dee, Eve and the archived contact are skipped
    assert counts == {
        "willReceive": 3,
        "skippedNoConsent": 2,
        "skippedNoEmail": 1,
        "skippedArchived": 1,
        "warnings": [],
    }
    audience = (await staff.execute(AUDIENCE, {"id": campaign["id"]})).data["campaign"]["audience"]
    assert audience["groups"] == [{"name": "Regulars"}]
    assert audience["segments"] == [{"name": "Clients"}]
    assert [c["lastName"] for c in audience["contacts"]] == ["Ash", "Birch", "Eve", "Fox"]

    # when it is sent and its audience queued
    await send(staff, campaign["id"])
    await queue_all()

    # then what was queued is what was counted, one row per person
    stats = (await campaign_of(staff, campaign["id"]))["stats"]
    assert (stats["queued"], stats["skippedNoConsent"]) == (3, 2)
    assert (stats["skippedNoEmail"], stats["skippedArchived"], stats["recipients"]) == (1, 1, 7)
    rows = await recipients(staff, campaign["id"], ["QUEUED"])
    assert sorted(row["email"] for row in rows) == [
        "ann@example.com",
        "bob@example.com",
        "cy@example.com",
    ]
    assert await CampaignRecipient.all().count() == 7


async def test_two_contacts_never_share_an_address(staff: GraphQLClient) -> None:
    """Why one row per contact is one per address: the contacts' own rule."""
    await contact(staff, "Ash", "ann@example.com")
    payload = await staff.mutate(
        "createContact", CREATE, {"lastName": "Twin", "email": "Ann@Example.com"}
    )
    assert [error["field"] for error in payload["errors"]] == [["input", "email"]]


async def test_a_segment_is_evaluated_when_the_campaign_is_sent(staff: GraphQLClient) -> None:
    # given a campaign to the segment of clients, chosen when it had one member
    await contact(staff, "Ash", "ann@example.com", type="CLIENT")
    clients = await segment(staff, "Clients", filter={"type": ["CLIENT"]})
    campaign = await draft(staff)
    await set_audience(staff, campaign["id"], segmentIds=[clients])
    assert (await preview(staff, campaign["id"]))["willReceive"] == 1

    # when a client joins the segment after it was chosen, and a lead is converted to one
    await contact(staff, "Birch", "bob@example.com", type="CLIENT")
    cy = await contact(staff, "Cole", "cy@example.com")
    await staff.mutate("updateContact", UPDATE, {"id": cy["id"], "type": "CLIENT"})
    await send(staff, campaign["id"])
    await queue_all()

    # then both newcomers receive it
    assert (await preview(staff, campaign["id"]))["willReceive"] == 3
    rows = await recipients(staff, campaign["id"])
    assert sorted(row["email"] for row in rows) == [
        "ann@example.com",
        "bob@example.com",
        "cy@example.com",
    ]


@pytest.mark.parametrize("deleted", ["group", "segment"])
async def test_a_part_deleted_after_it_was_chosen_is_reported_and_the_rest_is_sent(
    staff: GraphQLClient, deleted: str
) -> None:
    # given a campaign to a group, a segment and a contact
    ann = await contact(staff, "Ash", "ann@example.com")
    bob = await contact(staff, "Birch", "bob@example.com", type="CLIENT")
    cy = await contact(staff, "Cole", "cy@example.com")
    fans = await group(staff, "Fans", [ann])
    clients = await segment(staff, "Clients", filter={"type": ["CLIENT"]})
    campaign = await draft(staff)
    await set_audience(
        staff, campaign["id"], groupIds=[fans], segmentIds=[clients], contactIds=[cy["id"]]
    )

    # when the group or the segment is deleted
    gone = fans if deleted == "group" else clients
    name = "Fans" if deleted == "group" else "Clients"
    mutation = "deleteGroup" if deleted == "group" else "deleteSegment"
    removed = await staff.execute(
        f"mutation ($id: ID!) {{ {mutation}(input: {{id: $id}}) {{ errors {{ code }} }} }}",
        {"id": gone},
    )
    assert removed.data[mutation]["errors"] == []

    # then the confirmation step says so, and counts the others
    counts = await preview(staff, campaign["id"])
    assert counts["willReceive"] == 2
    assert counts["warnings"] == [f"The {deleted} “{name}” was deleted"]
    audience = (await staff.execute(AUDIENCE, {"id": campaign["id"]})).data["campaign"]["audience"]
    assert audience["missing"] == counts["warnings"]

    # and sending reaches the rest
    await send(staff, campaign["id"])
    await queue_all()
    rows = await recipients(staff, campaign["id"])
    survivor = "bob@example.com" if deleted == "group" else "ann@example.com"
    assert sorted(row["email"] for row in rows) == sorted([survivor, "cy@example.com"])
    assert (await campaign_of(staff, campaign["id"]))["stats"]["queued"] == 2
    del bob


async def test_an_address_moved_to_another_contact_meanwhile_gets_the_campaign_once(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a campaign to a group (Ann) and then a single contact (Bob), queued a batch at a time
    ann = await contact(staff, "Ash", "ann@example.com")
    bob = await contact(staff, "Birch", "bob@example.com")
    campaign = await draft(staff)
    await set_audience(
        staff, campaign["id"], groupIds=[await group(staff, "Fans", [ann])], contactIds=[bob["id"]]
    )
    queue_batch = sending._queue_batch
    batches = 0

    async def then_move_the_address(*args: Any) -> None:
        nonlocal batches
        await queue_batch(*args)
        batches += 1
        if batches == 1:
            # when, once Ann has been queued, her address moves to Bob
            await Contact.filter(id=_pk(ann)).update(
                email="ann2@example.com", email_key="ann2@example.com"
            )
            await Contact.filter(id=_pk(bob)).update(
                email="ann@example.com", email_key="ann@example.com"
            )

    monkeypatch.setattr(sending, "_queue_batch", then_move_the_address)
    await send(staff, campaign["id"])
    await queue_all()

    # then the address is queued once, and the campaign is fully queued all the same
    rows = await recipients(staff, campaign["id"], ["QUEUED"])
    assert [row["email"] for row in rows] == ["ann@example.com"]
    assert (await campaign_of(staff, campaign["id"]))["status"] == "SENDING"
    assert await Campaign.filter(queued_at__isnull=False).count() == 1


def _pk(node: dict[str, Any]) -> int:
    from crm.graphql.relay import decode_id

    return decode_id(node["id"], "Contact", ("id",))


async def test_overlapping_parts_queued_a_few_at_a_time_queue_what_was_counted(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given 24 people, every third without consent and every fifth archived, in two
    # overlapping groups, a segment of clients and a few chosen one by one
    people = []
    for n in range(24):
        person = await contact(
            staff,
            f"Person {n}",
            f"person{n}@example.com",
            consent=n % 3 != 0,
            type="CLIENT" if n % 4 == 0 else "LEAD",
        )
        if n % 5 == 0:
            await staff.mutate("archiveContact", ARCHIVE, {"id": person["id"]})
        people.append(person)
    campaign = await draft(staff)
    await set_audience(
        staff,
        campaign["id"],
        groupIds=[await group(staff, "A", people[:14]), await group(staff, "B", people[8:20])],
        segmentIds=[await segment(staff, "Clients", filter={"type": ["CLIENT"]})],
        contactIds=[people[1]["id"], people[21]["id"], people[23]["id"]],
    )
    counts = await preview(staff, campaign["id"])

    # when it is queued 4 contacts at a time
    monkeypatch.setattr(sending, "BATCH", 4)
    await send(staff, campaign["id"])
    await queue_all()

    # then each named person has one row, as counted
    named = set(range(20)) | {1, 21, 23} | {n for n in range(24) if n % 4 == 0}
    stats = (await campaign_of(staff, campaign["id"]))["stats"]
    assert stats["recipients"] == len(named) == await CampaignRecipient.all().count()
    assert (stats["queued"], stats["skippedNoConsent"], stats["skippedArchived"]) == (
        counts["willReceive"],
        counts["skippedNoConsent"],
        counts["skippedArchived"],
    )
    assert stats["queued"] == len([n for n in named if n % 3 and n % 5])


async def test_a_segment_with_a_search_sends_to_what_it_finds(staff: GraphQLClient) -> None:
    # given a segment of the clients found by a word, some of them found by their company
    company = await staff.execute(
        'mutation { createCompany(input: {name: "Zimmer Holz AG"}) { company { id } } }'
    )
    holz = company.data["createCompany"]["company"]["id"]
    await contact(staff, "Zimmermann", "z1@example.com", type="CLIENT")
    await contact(staff, "Ash", "z2@example.com", type="CLIENT", companyId=holz)
    await contact(staff, "Zimmer", "z3@example.com", type="LEAD")
    await contact(staff, "Birch", "b@example.com", type="CLIENT")
    found = await segment(staff, "Zimmer clients", search="zimmer", filter={"type": ["CLIENT"]})
    campaign = await draft(staff)
    await set_audience(staff, campaign["id"], segmentIds=[found])

    # when it is counted and sent
    counts = await preview(staff, campaign["id"])
    await send(staff, campaign["id"])
    await queue_all()

    # then the same two are counted and queued
    assert counts["willReceive"] == 2
    rows = await recipients(staff, campaign["id"])
    assert sorted(row["email"] for row in rows) == ["z1@example.com", "z2@example.com"]
