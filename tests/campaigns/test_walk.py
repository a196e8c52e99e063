"""How the runner walks an audience: a segment that filters on a group walks the group's
members a batch at a time and keeps those the rest of the filter matches."""

from __future__ import annotations

import pytest

from crm.campaigns import sending
from crm.campaigns.models import CampaignRecipient
from crm.campaigns.sending import CampaignRunner
from tests.campaigns.helpers import PREVIEW, contact, draft, group, segment, send, set_audience
from tests.graphql_client import GraphQLClient


async def test_a_segment_of_a_groups_clients_reaches_exactly_them_a_few_at_a_time(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a group of 12 whose clients are its first two and last two, and a client outside
    people = [
        await contact(
            staff, f"Person {n}", f"p{n}@example.com", type="CLIENT" if n < 2 or n > 9 else "LEAD"
        )
        for n in range(12)
    ]
    await contact(staff, "Outsider", "outsider@example.com", type="CLIENT")
    members = await group(staff, "Members", people)
    clients = await segment(
        staff, "Member clients", filter={"groupId": members, "type": ["CLIENT"]}
    )
    campaign = await draft(staff)
    await set_audience(staff, campaign["id"], segmentIds=[clients])
    counted = (await staff.execute(PREVIEW, {"id": campaign["id"]})).data["campaignPreview"]

    # when it is queued 3 members at a time (two batches in the middle match nobody)
    monkeypatch.setattr(sending, "BATCH", 3)
    await send(staff, campaign["id"])
    runner = CampaignRunner()
    while await runner.run_once():
        pass

    # then the group's clients, and only they, are its recipients, as counted
    emails = await CampaignRecipient.all().values_list("email", flat=True)
    assert sorted(emails) == [
        "p0@example.com",
        "p10@example.com",
        "p11@example.com",
        "p1@example.com",
    ]
    assert counted["willReceive"] == 4
