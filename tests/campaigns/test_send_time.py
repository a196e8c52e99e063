"""What changed between queueing a campaign and sending its emails is respected when sent."""

from __future__ import annotations

from crm.campaigns.models import Campaign, CampaignRecipient
from crm.campaigns.sending import CampaignRunner
from crm.graphql.relay import from_global_id
from crm.mail.models import OutboxMessage
from crm.mail.worker import DeliveryWorker
from tests.campaigns.helpers import CAMPAIGN, SEND, contact, draft, set_audience
from tests.contacts.helpers import UPDATE
from tests.graphql_client import GraphQLClient
from tests.mail.conftest import SmtpServer, worker_settings


async def queued_campaign(staff: GraphQLClient, *people: dict) -> dict:
    """A campaign to `people`, its recipients queued in the outbox, nothing sent yet."""
    campaign = await draft(staff)
    await set_audience(staff, campaign["id"], contactIds=[person["id"] for person in people])
    assert (await staff.mutate("sendCampaign", SEND, {"campaignId": campaign["id"]}))[
        "errors"
    ] == []
    assert await CampaignRunner().run_once() == 1
    assert await OutboxMessage.filter(kind="CAMPAIGN", status="QUEUED").count() == len(people)
    return campaign


async def test_consent_withdrawn_or_an_archive_after_queueing_stops_the_email(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a campaign queued for three consenting contacts
    ann = await contact(staff, "Ash", "ann@example.com")
    bob = await contact(staff, "Birch", "bob@example.com")
    cy = await contact(staff, "Cole", "cy@example.com")
    campaign = await queued_campaign(staff, ann, bob, cy)

    # when staff withdraw Bob's email consent and archive Cy before the mail goes out
    withdrawn = await staff.mutate(
        "updateContact", UPDATE, {"id": bob["id"], "preferences": {"email": False}}
    )
    assert withdrawn["errors"] == []
    archived = await staff.execute(
        "mutation ($id: ID!) { archiveContact(input: {id: $id}) { errors { code } } }",
        {"id": cy["id"]},
    )
    assert archived.data["archiveContact"]["errors"] == []
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()
    await CampaignRunner().run_once()

    # then only Ann gets it; Bob and Cy are skipped, and why, and nothing failed
    received = [message["To"].addresses[0].addr_spec for message in smtp_server.handler.messages]
    assert received == ["ann@example.com"]
    final = (await staff.execute(CAMPAIGN, {"id": campaign["id"]})).data["campaign"]
    stats = final["stats"]
    assert (stats["sent"], stats["failed"], stats["skipped"]) == (1, 0, 2)
    assert (stats["skippedNoConsent"], stats["skippedArchived"]) == (1, 1)
    assert final["status"] == "SENT"
    assert await OutboxMessage.filter(kind="CAMPAIGN").count() == 1


async def test_mail_held_when_the_campaign_is_cancelled_is_not_sent(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a campaign queued for two people, cancelled while a worker would hold its mail
    # (the cancel takes back what waits in the queue; what a worker holds is left to it)
    people = [await contact(staff, name, f"{name.lower()}@example.com") for name in ("Dee", "Eve")]
    campaign = await queued_campaign(staff, *people)
    _, pk = from_global_id(campaign["id"])
    await Campaign.filter(id=pk).update(status="CANCELLED")

    # when the worker goes to send it
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()

    # then nothing is sent, and both are skipped as cancelled
    assert smtp_server.handler.messages == []
    reasons = await CampaignRecipient.all().values_list("status", "reason")
    assert sorted((str(s), str(r)) for s, r in reasons) == [("SKIPPED", "CANCELLED")] * 2
    assert await OutboxMessage.filter(kind="CAMPAIGN").count() == 0
