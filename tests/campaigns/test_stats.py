"""What a campaign's results say: stats, recipients by status, each recipient's timeline and
when they were last contacted; and what the campaigns list costs."""

from __future__ import annotations

from typing import Any

from crm.campaigns.sending import CampaignRunner
from crm.mail.worker import DeliveryWorker
from tests.campaigns.helpers import (
    CAMPAIGN_FIELDS,
    campaign_of,
    contact,
    draft,
    recipients,
    run_campaigns_and_mail,
    send,
    set_audience,
)
from tests.graphql_client import GraphQLClient
from tests.mail.conftest import SmtpServer, worker_settings
from tests.timeline.test_contact_events import events

LAST_CONTACTED = "query ($id: ID!) { contact(id: $id) { lastContactedAt } }"
CAMPAIGN_LIST = (
    f"{{ campaigns(first: 50) {{ totalCount edges {{ node {{ {CAMPAIGN_FIELDS} }} }} }} }}"
)

RECIPIENT_LIST = """
query ($id: ID!) {
  campaign(id: $id) {
    recipients(first: 50) {
      edges { node { email status reason error contact { fullName email } } }
    }
  }
}
"""


async def last_contacted(staff: GraphQLClient, contact_id: str) -> str | None:
    return (await staff.execute(LAST_CONTACTED, {"id": contact_id})).data["contact"][
        "lastContactedAt"
    ]


async def campaign_to(
    staff: GraphQLClient, people: list[dict[str, Any]], name: str = "News"
) -> str:
    campaign = await draft(staff, name=name)
    await set_audience(staff, campaign["id"], contactIds=[person["id"] for person in people])
    await send(staff, campaign["id"])
    return campaign["id"]


async def test_sent_and_failed_recipients_are_on_their_timelines_and_in_the_stats(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a campaign to Ann, Bob, and Cy who gave no consent; the worker sends one at a time
    ann = await contact(staff, "Ash", "ann@example.com")
    bob = await contact(staff, "Birch", "bob@example.com")
    cy = await contact(staff, "Cole", "cy@example.com", consent=False)
    campaign_id = await campaign_to(staff, [ann, bob, cy], name="Winter news")
    settings = worker_settings(smtp_server.port, mail_batch_size=1)
    await CampaignRunner().run_once()

    # when Ann's email is accepted and the server refuses Bob's address for good
    worker = DeliveryWorker(settings)
    assert await worker.run_once() == 1
    smtp_server.handler.rcpt_answer = "550 5.1.1 No such user here"
    assert await worker.run_once() == 1
    await run_campaigns_and_mail(settings)

    # then the stats add up
    final = await campaign_of(staff, campaign_id)
    assert final["status"] == "SENT"
    stats = final["stats"]
    assert (stats["recipients"], stats["sent"], stats["failed"]) == (3, 1, 1)
    assert (stats["skipped"], stats["skippedNoConsent"], stats["logged"]) == (1, 1, 0)
    # and the recipients filter by status, a failure with the server's answer
    assert [r["email"] for r in await recipients(staff, campaign_id, ["SENT"])] == [
        "ann@example.com"
    ]
    (failed,) = await recipients(staff, campaign_id, ["FAILED"])
    assert (failed["email"], failed["error"]) == ("bob@example.com", "550 5.1.1 No such user here")
    (skipped,) = await recipients(staff, campaign_id, ["SKIPPED"])
    assert (skipped["contact"]["lastName"], skipped["reason"]) == ("Cole", "NO_CONSENT")
    assert len(await recipients(staff, campaign_id, ["SENT", "FAILED"])) == 2
    assert len(await recipients(staff, campaign_id)) == 3
    # and Ann's timeline says she was sent the campaign, and when she was last contacted
    kinds = ["CAMPAIGN_SENT", "EMAIL_SENT", "EMAIL_FAILED"]
    assert [e["summary"] for e in await events(staff, ann["id"], kinds=kinds)] == [
        "Sent the campaign Winter news"
    ]
    assert await last_contacted(staff, ann["id"]) is not None
    # and Bob's says why his failed, and he was not contacted
    assert [e["summary"] for e in await events(staff, bob["id"], kinds=kinds)] == [
        "Could not send the campaign email “News for you”: 550 5.1.1 No such user here"
    ]
    assert await last_contacted(staff, bob["id"]) is None
    assert await events(staff, cy["id"], kinds=kinds) == []


async def test_with_no_mail_server_a_campaign_is_logged_not_sent(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a campaign to Ann, and no mail server configured
    ann = await contact(staff, "Ash", "ann@example.com")
    campaign_id = await campaign_to(staff, [ann])

    # when the workers run
    await run_campaigns_and_mail(worker_settings(None))

    # then her email was written to the log: LOGGED, not sent, and she was not contacted
    stats = (await campaign_of(staff, campaign_id))["stats"]
    assert (stats["recipients"], stats["logged"], stats["sent"], stats["queued"]) == (1, 1, 0, 0)
    (row,) = await recipients(staff, campaign_id)
    assert row["status"] == "LOGGED"
    assert await events(staff, ann["id"], kinds=["CAMPAIGN_SENT", "EMAIL_SENT"]) == []
    assert await last_contacted(staff, ann["id"]) is None
    assert smtp_server.handler.messages == []


async def test_the_campaigns_list_costs_the_same_for_one_campaign_or_many(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given one campaign sent to two people
    people = [await contact(staff, f"P{n}", f"p{n}@example.com") for n in range(2)]
    await campaign_to(staff, people, name="First")
    await run_campaigns_and_mail(worker_settings(smtp_server.port))
    one = await staff.execute(CAMPAIGN_LIST)
    assert one.data["campaigns"]["totalCount"] == 1

    # when there are four more, sent, scheduled and drafts
    await campaign_to(staff, people, name="Second")
    await run_campaigns_and_mail(worker_settings(smtp_server.port))
    await campaign_to(staff, people[:1], name="Third")
    await draft(staff, name="Fourth")
    await draft(staff, name="Fifth")
    many = await staff.execute(CAMPAIGN_LIST)

    # then the list with its stats takes as many SQL statements
    assert many.data["campaigns"]["totalCount"] == 5
    assert many.data["campaigns"]["edges"][-1]["node"]["stats"]["sent"] == 2
    assert many.query_count == one.query_count


async def test_the_recipients_list_costs_the_same_for_few_recipients_or_many(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a campaign sent to two people, and one sent to seven
    people = [await contact(staff, f"P{n}", f"p{n}@example.com") for n in range(7)]
    few = await campaign_to(staff, people[:2], name="Few")
    many = await campaign_to(staff, people, name="Many")
    await run_campaigns_and_mail(worker_settings(smtp_server.port))

    # when each one's recipients are listed with their contacts
    listed = [await staff.execute(RECIPIENT_LIST, {"id": pk}) for pk in (few, many)]

    # then both lists take as many SQL statements
    assert [len(r.data["campaign"]["recipients"]["edges"]) for r in listed] == [2, 7]
    assert listed[0].query_count == listed[1].query_count
