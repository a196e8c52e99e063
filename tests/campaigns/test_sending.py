"""Sending a campaign for real: the runner queues it, the mail worker delivers it to aiosmtpd."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import Any

import pytest

from crm.campaigns import sending
from crm.campaigns.models import Campaign, CampaignRecipient
from crm.campaigns.sending import CampaignRunner
from crm.mail.models import OutboxMessage
from crm.mail.worker import DeliveryWorker
from tests.campaigns.helpers import (
    CAMPAIGN,
    CANCEL,
    PREVIEW,
    SEND,
    SEND_TEST,
    campaign_of,
    contact,
    draft,
    problems,
    recipients,
    run_campaigns_and_mail,
    send,
    set_audience,
)
from tests.graphql_client import GraphQLClient
from tests.mail.conftest import SmtpServer, make_due, worker_settings
from tests.portal.helpers import invited_client


async def test_a_campaign_reaches_each_consenting_address_once_with_its_merge_fields(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given three contacts with consent (one named twice), one without, one without an email
    ann = await contact(staff, "Ash", "ann@example.com", firstName="Ann")
    bob = await contact(staff, "Birch", "bob@example.com", firstName="Bob")
    cy = await contact(staff, "Cole", "cy@example.com")
    no_consent = await contact(staff, "Dunn", "dee@example.com", consent=False)
    no_email = await contact(staff, "Eve", None)
    campaign = await draft(staff)
    ids = [ann["id"], bob["id"], cy["id"], no_consent["id"], no_email["id"], ann["id"]]
    assert (await set_audience(staff, campaign["id"], contactIds=ids))["errors"] == []

    # when the confirmation step counts the audience
    counts = (await staff.execute(PREVIEW, {"id": campaign["id"]})).data["campaignPreview"]
    # then it says who will receive it and who is skipped, and why
    assert counts == {
        "willReceive": 3,
        "skippedNoConsent": 1,
        "skippedNoEmail": 1,
        "skippedArchived": 0,
        "warnings": [],
    }

    # when it is sent and the workers run
    sent = await staff.mutate("sendCampaign", SEND, {"campaignId": campaign["id"]})
    assert sent["errors"] == [] and sent["campaign"]["status"] == "SCHEDULED"
    await run_campaigns_and_mail(worker_settings(smtp_server.port))

    # then each consenting address got one email, with its own merge fields and unsubscribe link
    by_address = {
        message["To"].addresses[0].addr_spec: message for message in smtp_server.handler.messages
    }
    assert sorted(by_address) == ["ann@example.com", "bob@example.com", "cy@example.com"]
    assert len(smtp_server.handler.messages) == 3
    ann_mail = by_address["ann@example.com"]
    assert ann_mail["Subject"] == "News for Ann"
    assert by_address["cy@example.com"]["Subject"] == "News for you"
    text = ann_mail.get_body(("plain",)).get_content()
    assert "Hello **Ann Ash**" in text  # Markdown reads well as plain text
    assert "/unsubscribe?token=" in text
    assert ann_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ann_mail["List-Unsubscribe"].startswith("<http")
    html = ann_mail.get_body(("html",)).get_content()
    assert "<strong>Ann Ash</strong>" in html

    # and the campaign is SENT with stats that add up
    final = (await staff.execute(CAMPAIGN, {"id": campaign["id"]})).data["campaign"]
    assert final["status"] == "SENT" and final["sentAt"] is not None
    stats = final["stats"]
    assert (stats["recipients"], stats["sent"], stats["skipped"]) == (5, 3, 2)
    assert (stats["skippedNoConsent"], stats["skippedNoEmail"], stats["queued"]) == (1, 1, 0)
    assert await CampaignRecipient.filter(status="SENT").count() == 3


async def sent_campaign(
    staff: GraphQLClient, people: int, *, body: str = "Hello {{ first_name }}", **more: Any
) -> dict[str, Any]:
    """A campaign sent (or scheduled, with `scheduledAt`) to `people` consenting contacts."""
    contacts = [
        await contact(staff, f"Person {n}", f"person{n}@example.com", firstName=f"P{n}")
        for n in range(people)
    ]
    campaign = await draft(staff, body=body)
    await set_audience(staff, campaign["id"], contactIds=[c["id"] for c in contacts])
    return await send(staff, campaign["id"], **more)


class Tags(HTMLParser):
    """The tags of an HTML document, with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def addresses(server: SmtpServer) -> list[str]:
    return [message["To"].addresses[0].addr_spec for message in server.handler.messages]


async def test_html_and_scripts_in_the_markdown_never_reach_the_email_as_html(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a campaign whose Markdown holds HTML, a script and a javascript: link, to a
    # contact whose name is markup
    ann = await contact(
        staff, "<b>Ash</b>", "ann@example.com", firstName="<img src=x onerror=alert(1)>"
    )
    body = (
        "# Hello {{ first_name }}\n\n<script>alert('x')</script>\n\n"
        '<a href="https://evil.example" onclick="steal()">click</a> '
        "[also](javascript:alert(1)) and [a real link](https://acme.example/offers)\n"
    )
    campaign = await draft(staff, body=body)
    await set_audience(staff, campaign["id"], contactIds=[ann["id"]])

    # when it is sent
    await send(staff, campaign["id"])
    await run_campaigns_and_mail(worker_settings(smtp_server.port))

    # then the HTML part has no live markup of theirs, and keeps the real link
    (received,) = smtp_server.handler.messages
    html = received.get_body(("html",)).get_content()
    tags = Tags()
    tags.feed(html)
    assert not {"script", "img", "iframe", "style"} & {tag for tag, _ in tags.found}
    attributes = [(name, value or "") for _, attrs in tags.found for name, value in attrs]
    assert not [name for name, _ in attributes if name.startswith("on")]
    links = [value for name, value in attributes if name == "href"]
    assert links[0] == "https://acme.example/offers"
    assert links[1].startswith("http://127.0.0.1:8000/unsubscribe?token=")
    assert len(links) == 2
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the name, shown as text
    assert "h1" in {tag for tag, _ in tags.found}
    # and the text part reads as written
    text = received.get_body(("plain",)).get_content()
    assert "# Hello <img src=x onerror=alert(1)>" in text


async def test_a_scheduled_campaign_waits_for_its_time(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a campaign scheduled an hour from now, the time given with a -05:00 offset
    later = (datetime.now(UTC) + timedelta(hours=1)).astimezone(timezone(timedelta(hours=-5)))
    campaign = await sent_campaign(staff, 2, scheduledAt=later.isoformat())
    assert campaign["status"] == "SCHEDULED"
    assert datetime.fromisoformat(campaign["scheduledAt"]) == later

    # when the workers run before its time
    await run_campaigns_and_mail(worker_settings(smtp_server.port))

    # then nothing is queued or sent
    assert (await campaign_of(staff, campaign["id"]))["status"] == "SCHEDULED"
    assert await OutboxMessage.all().count() == 0
    assert smtp_server.handler.messages == []

    # when its time has come
    await Campaign.all().update(scheduled_at=datetime.now(UTC) - timedelta(seconds=1))
    await run_campaigns_and_mail(worker_settings(smtp_server.port))

    # then it is sent
    assert (await campaign_of(staff, campaign["id"]))["status"] == "SENT"
    assert sorted(addresses(smtp_server)) == ["person0@example.com", "person1@example.com"]


async def test_a_time_in_the_past_with_an_offset_sends_at_once(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    earlier = (datetime.now(UTC) - timedelta(minutes=1)).astimezone(timezone(timedelta(hours=9)))
    campaign = await sent_campaign(staff, 1, scheduledAt=earlier.isoformat())
    await run_campaigns_and_mail(worker_settings(smtp_server.port))
    assert (await campaign_of(staff, campaign["id"]))["status"] == "SENT"


async def test_a_test_send_reaches_any_address_marked_as_a_test(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a draft and a contact whose merge fields to use
    ann = await contact(staff, "Ash", "ann@example.com", firstName="Ann")
    campaign = await draft(
        staff, subject="News for {{ first_name }}", body="Hi **{{ first_name }}**"
    )

    # when a test is sent to an address that is no contact
    payload = await staff.mutate(
        "sendCampaignTest",
        SEND_TEST,
        {"campaignId": campaign["id"], "to": "boss@example.com", "contactId": ann["id"]},
    )
    assert payload["errors"] == []
    await run_campaigns_and_mail(worker_settings(smtp_server.port))

    # then it arrives marked [Test], filled in as Ann would get it, and the campaign is a draft
    (received,) = smtp_server.handler.messages
    assert received["To"].addresses[0].addr_spec == "boss@example.com"
    assert received["Subject"] == "[Test] News for Ann"
    assert "<strong>Ann</strong>" in received.get_body(("html",)).get_content()
    assert (await campaign_of(staff, campaign["id"]))["status"] == "DRAFT"
    assert await CampaignRecipient.all().count() == 0

    # and a bad address is an error on `to`
    bad = await staff.mutate(
        "sendCampaignTest", SEND_TEST, {"campaignId": campaign["id"], "to": "not an address"}
    )
    assert problems(bad) == [(("input", "to"), "INVALID")]


async def test_cancelled_while_scheduled_nothing_is_sent(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a campaign scheduled for tomorrow
    campaign = await sent_campaign(staff, 3, scheduledAt="2099-01-01T09:00:00Z")

    # when it is cancelled, and its time comes
    cancelled = await staff.mutate("cancelCampaign", CANCEL, {"campaignId": campaign["id"]})
    await Campaign.all().update(scheduled_at=datetime.now(UTC))
    await run_campaigns_and_mail(worker_settings(smtp_server.port))

    # then it is CANCELLED and nobody got it
    assert cancelled["errors"] == [] and cancelled["campaign"]["status"] == "CANCELLED"
    assert (await campaign_of(staff, campaign["id"]))["status"] == "CANCELLED"
    assert smtp_server.handler.messages == []
    assert await OutboxMessage.all().count() == 0

    # and cancelling again, or a draft, is NOT_ALLOWED
    again = await staff.mutate("cancelCampaign", CANCEL, {"campaignId": campaign["id"]})
    assert problems(again) == [(("input", "campaignId"), "NOT_ALLOWED")]


async def test_cancelled_while_sending_what_was_not_sent_stays_unsent(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a campaign to 6 people, queued, of which the worker has sent 2
    campaign = await sent_campaign(staff, 6)
    await CampaignRunner().run_once()
    settings = worker_settings(smtp_server.port, mail_batch_size=2)
    assert await DeliveryWorker(settings).run_once() == 2

    # when it is cancelled
    cancelled = await staff.mutate("cancelCampaign", CANCEL, {"campaignId": campaign["id"]})
    assert cancelled["errors"] == []
    await run_campaigns_and_mail(settings)

    # then nobody else gets it, and its stats and recipients say so
    assert len(smtp_server.handler.messages) == 2
    final = await campaign_of(staff, campaign["id"])
    assert final["status"] == "CANCELLED"
    stats = final["stats"]
    assert (stats["recipients"], stats["sent"], stats["queued"]) == (6, 2, 0)
    assert (stats["skipped"], stats["skippedCancelled"]) == (4, 4)
    skipped = await recipients(staff, campaign["id"], ["SKIPPED"])
    assert {(row["status"], row["reason"]) for row in skipped} == {("SKIPPED", "CANCELLED")}
    assert await OutboxMessage.filter(kind="CAMPAIGN").count() == 2


async def test_cancelled_while_its_audience_is_queued_it_stops(
    staff: GraphQLClient, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a campaign to 6 people, queued 2 at a time
    campaign = await sent_campaign(staff, 6)
    monkeypatch.setattr(sending, "BATCH", 2)
    queue_batch = sending._queue_batch

    async def then_cancel(*args: Any) -> None:
        await queue_batch(*args)
        if await CampaignRecipient.all().count() == 2:
            # when it is cancelled after the first batch
            await staff.mutate("cancelCampaign", CANCEL, {"campaignId": campaign["id"]})

    monkeypatch.setattr(sending, "_queue_batch", then_cancel)
    await run_campaigns_and_mail(worker_settings(smtp_server.port))

    # then the runner stops: those queued are skipped as cancelled, nobody gets it
    final = await campaign_of(staff, campaign["id"])
    assert final["status"] == "CANCELLED"
    assert (final["stats"]["recipients"], final["stats"]["skippedCancelled"]) == (2, 2)
    assert smtp_server.handler.messages == []


async def test_transactional_mail_goes_before_the_campaign_mail_queued_earlier(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a campaign to 6 people queued, the worker taking 3 messages at a time, and its
    # first batch sent
    await sent_campaign(staff, 6)
    await CampaignRunner().run_once()
    worker = DeliveryWorker(worker_settings(smtp_server.port, mail_batch_size=3))
    await worker.run_once()

    # when a portal invitation is queued after them
    await invited_client(staff, lastName="Newcomer", email="new@example.com")

    # then the worker's next batch delivers the invitation before the rest of the campaign
    await worker.run_once()
    delivered = addresses(smtp_server)
    assert delivered[3] == "new@example.com", delivered
    while await worker.run_once():
        pass
    assert len(smtp_server.handler.messages) == 7


async def test_mail_in_a_workers_hands_when_cancelled_is_not_retried_later(
    staff: GraphQLClient, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a campaign to 3 people queued, and a worker that has just claimed their messages
    campaign = await sent_campaign(staff, 3)
    await CampaignRunner().run_once()
    connect = DeliveryWorker._connect

    async def cancelled_meanwhile(worker: DeliveryWorker) -> Any:
        # when the campaign is cancelled while the worker holds them
        await staff.mutate("cancelCampaign", CANCEL, {"campaignId": campaign["id"]})
        return await connect(worker)

    monkeypatch.setattr(DeliveryWorker, "_connect", cancelled_meanwhile)
    # and the server says "try later" to each of them
    smtp_server.handler.data_answers = ["421 4.3.0 Busy, try again later"] * 3
    settings = worker_settings(smtp_server.port)
    assert await DeliveryWorker(settings).run_once() == 3
    monkeypatch.setattr(DeliveryWorker, "_connect", connect)

    # then when their retries come due, none is sent: they are skipped as cancelled
    await make_due()
    await run_campaigns_and_mail(settings)
    assert smtp_server.handler.messages == []
    stats = (await campaign_of(staff, campaign["id"]))["stats"]
    assert (stats["skippedCancelled"], stats["queued"], stats["sent"]) == (3, 0, 0)
    assert await OutboxMessage.all().count() == 0
