"""Unsubscribing from the link in a campaign email: a page that asks, a button that does it,
one-click requests from mail clients (RFC 8058), and nothing for a forged link."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from crm.campaigns.models import Campaign, CampaignRecipient
from crm.campaigns.sending import CampaignRunner
from crm.contacts.models import Contact
from tests.campaigns.helpers import (
    CANCEL,
    DELETE_CAMPAIGN,
    campaign_of,
    contact,
    draft,
    problems,
    recipients,
    run_campaigns_and_mail,
    send,
    set_audience,
)
from tests.contacts.helpers import GET
from tests.graphql_client import GraphQLClient
from tests.mail.conftest import SmtpServer, worker_settings
from tests.timeline.test_contact_events import events


async def campaign_to(
    staff: GraphQLClient, smtp_server: SmtpServer, people: list[dict[str, Any]]
) -> tuple[str, dict[str, str]]:
    """Send a campaign to `people`; its id and each address's unsubscribe link as received."""
    campaign = await draft(staff)
    await set_audience(staff, campaign["id"], contactIds=[person["id"] for person in people])
    await send(staff, campaign["id"])
    smtp_server.handler.messages.clear()
    await run_campaigns_and_mail(worker_settings(smtp_server.port))
    links = {}
    for message in smtp_server.handler.messages:
        links[message["To"].addresses[0].addr_spec] = message["List-Unsubscribe"].strip("<>")
        assert (
            links[message["To"].addresses[0].addr_spec]
            in message.get_body(("plain",)).get_content()
        )
    return campaign["id"], links


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


async def email_consent(staff: GraphQLClient, contact_id: str) -> tuple[bool, str | None]:
    preferences = (await staff.execute(GET, {"id": contact_id})).data["contact"]["preferences"]
    (email,) = [c for c in preferences["consents"] if c["channel"] == "EMAIL"]
    return preferences["email"], email["source"]


async def unsubscribed_events(staff: GraphQLClient, contact_id: str) -> list[dict[str, Any]]:
    return await events(staff, contact_id, kinds=["UNSUBSCRIBED"])


SAVE_SETTINGS = """
mutation ($input: UpdateSettingsInput!) { updateSettings(input: $input) { errors { code } } }
"""


@pytest.fixture
async def web(app: Any) -> Any:
    """A browser (or mail client) with no session: what follows links in emails."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_the_link_shows_a_page_that_asks_and_changes_nothing(
    staff: GraphQLClient, smtp_server: SmtpServer, web: httpx.AsyncClient
) -> None:
    # given Ann received a campaign
    ann = await contact(staff, "Ash", "ann@example.com")
    campaign_id, links = await campaign_to(staff, smtp_server, [ann])

    # when she (or a mail scanner) opens the link
    page = await web.get(
        urlsplit(links["ann@example.com"]).path,
        params={"token": token_of(links["ann@example.com"])},
    )

    # then a page with the organisation's name asks, with a button, and nothing changed
    assert page.status_code == 200
    assert "Our CRM" in page.text
    assert '<form method=post action="/unsubscribe">' in page.text
    assert "<button type=submit>Unsubscribe</button>" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert await email_consent(staff, ann["id"]) == (True, "STAFF")
    assert await unsubscribed_events(staff, ann["id"]) == []
    assert (await campaign_of(staff, campaign_id))["stats"]["unsubscribed"] == 0


async def test_the_button_unsubscribes_once_and_says_so_everywhere(
    staff: GraphQLClient, smtp_server: SmtpServer, web: httpx.AsyncClient
) -> None:
    # given Ann and Bob received a campaign
    ann = await contact(staff, "Ash", "ann@example.com")
    bob = await contact(staff, "Birch", "bob@example.com")
    campaign_id, links = await campaign_to(staff, smtp_server, [ann, bob])

    # when Ann presses the page's button (the form posts the token)
    done = await web.post("/unsubscribe", data={"token": token_of(links["ann@example.com"])})

    # then she is told, her email consent is withdrawn by the unsubscribe, on her timeline
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    assert await email_consent(staff, ann["id"]) == (False, "UNSUBSCRIBE")
    assert [e["summary"] for e in await unsubscribed_events(staff, ann["id"])] == [
        "Unsubscribed from emails"
    ]
    final = await campaign_of(staff, campaign_id)
    assert final["stats"]["unsubscribed"] == 1
    rows = {row["email"]: row for row in await recipients(staff, campaign_id)}
    assert rows["ann@example.com"]["unsubscribedAt"] is not None
    assert rows["bob@example.com"]["unsubscribedAt"] is None
    # and Bob is still subscribed
    assert await email_consent(staff, bob["id"]) == (True, "STAFF")

    # when she presses it again
    again = await web.post("/unsubscribe", data={"token": token_of(links["ann@example.com"])})

    # then it is harmless: same answer, one event, one unsubscribe counted
    assert again.status_code == 200 and "You are unsubscribed" in again.text
    assert len(await unsubscribed_events(staff, ann["id"])) == 1
    assert (await campaign_of(staff, campaign_id))["stats"]["unsubscribed"] == 1


ONE_CLICK = {
    "urlencoded": ("application/x-www-form-urlencoded", b"List-Unsubscribe=One-Click"),
    "multipart": (
        "multipart/form-data; boundary=XyZ",
        b'--XyZ\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\n'
        b"One-Click\r\n--XyZ--\r\n",
    ),
}


@pytest.mark.parametrize("encoding", list(ONE_CLICK))
async def test_a_mail_clients_one_click_request_unsubscribes(
    staff: GraphQLClient, smtp_server: SmtpServer, web: httpx.AsyncClient, encoding: str
) -> None:
    # given Ann received a campaign
    ann = await contact(staff, "Ash", "ann@example.com")
    campaign_id, links = await campaign_to(staff, smtp_server, [ann])

    # when her mail client posts to the List-Unsubscribe URL as RFC 8058 says (either way)
    link = urlsplit(links["ann@example.com"])
    content_type, body = ONE_CLICK[encoding]
    done = await web.post(
        f"{link.path}?{link.query}", content=body, headers={"content-type": content_type}
    )

    # then she is unsubscribed
    assert done.status_code == 200
    assert await email_consent(staff, ann["id"]) == (False, "UNSUBSCRIBE")
    assert (await campaign_of(staff, campaign_id))["stats"]["unsubscribed"] == 1


async def test_a_forged_or_tampered_link_gets_a_clear_refusal_and_changes_nothing(
    staff: GraphQLClient, smtp_server: SmtpServer, web: httpx.AsyncClient
) -> None:
    # given Ann and Bob received a campaign
    ann = await contact(staff, "Ash", "ann@example.com")
    bob = await contact(staff, "Birch", "bob@example.com")
    campaign_id, links = await campaign_to(staff, smtp_server, [ann, bob])
    ann_token, bob_token = token_of(links["ann@example.com"]), token_of(links["bob@example.com"])
    ann_id, ann_mac = ann_token.split(".")
    bob_id, bob_mac = bob_token.split(".")
    last = "A" if ann_mac[-1] != "A" else "B"
    forged = [
        "",
        "1",
        "1.",
        f"{ann_id}.{bob_mac}",  # Ann's id with Bob's signature
        f"{bob_id}.{ann_mac}",  # the other way round
        f"{ann_id}.{ann_mac[:-1]}{last}",  # one character changed
        f"{ann_id}.{ann_mac[:-2]}",  # cut short
        f"{int(ann_id) + 100}.{ann_mac}",
        f"{ann_id}.{ann_mac}é",
        f"{ann_id}.é{ann_mac[1:]}",
        f"\u0661.{ann_mac}",  # another script's digit one
        f"-{ann_id}.{ann_mac}",
        "x" * 5000,
    ]

    for token in forged:
        # when the page or the button is used with a forged token
        page = await web.get("/unsubscribe", params={"token": token})
        done = await web.post("/unsubscribe", data={"token": token})
        one_click = await web.post(
            "/unsubscribe",
            params={"token": token},
            content=b"List-Unsubscribe=One-Click",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )

        # then each is a 400 page saying the link is not valid
        for response in (page, done, one_click):
            assert response.status_code == 400, (token, response.status_code)
            assert "This unsubscribe link is not valid" in response.text

    # and nobody was unsubscribed
    assert await email_consent(staff, ann["id"]) == (True, "STAFF")
    assert await email_consent(staff, bob["id"]) == (True, "STAFF")
    assert await unsubscribed_events(staff, ann["id"]) == []
    assert (await campaign_of(staff, campaign_id))["stats"]["unsubscribed"] == 0
    assert await Contact.filter(email_opt_in=False).count() == 0


async def test_a_later_campaign_skips_who_unsubscribed(
    staff: GraphQLClient, smtp_server: SmtpServer, web: httpx.AsyncClient
) -> None:
    # given Ann unsubscribed from a campaign that Bob also got
    ann = await contact(staff, "Ash", "ann@example.com")
    bob = await contact(staff, "Birch", "bob@example.com")
    _, links = await campaign_to(staff, smtp_server, [ann, bob])
    await web.post("/unsubscribe", data={"token": token_of(links["ann@example.com"])})

    # when the next campaign goes to both
    campaign_id, second = await campaign_to(staff, smtp_server, [ann, bob])

    # then only Bob gets it; Ann is skipped for want of consent
    assert list(second) == ["bob@example.com"]
    rows = {
        row["email"]: (row["status"], row["reason"]) for row in await recipients(staff, campaign_id)
    }
    assert rows == {"ann@example.com": ("SKIPPED", "NO_CONSENT"), "bob@example.com": ("SENT", None)}


async def test_the_link_of_an_erased_contact_unsubscribes_nobody(
    staff: GraphQLClient, smtp_server: SmtpServer, web: httpx.AsyncClient
) -> None:
    # given Ann received a campaign, then was erased
    ann = await contact(staff, "Ash", "ann@example.com")
    _, links = await campaign_to(staff, smtp_server, [ann])
    deleted = await staff.execute(
        "mutation ($id: ID!) { deleteContact(input: {id: $id}) { errors { code } } }",
        {"id": ann["id"]},
    )
    assert deleted.data["deleteContact"]["errors"] == []

    # when her link is followed
    done = await web.post("/unsubscribe", data={"token": token_of(links["ann@example.com"])})

    # then the page says there is nothing left to unsubscribe
    assert done.status_code == 410
    assert "You are not on our list" in done.text
    assert await CampaignRecipient.all().count() == 0


async def test_a_cancelled_campaign_that_reached_people_stays_so_their_links_work(
    staff: GraphQLClient, smtp_server: SmtpServer, web: httpx.AsyncClient
) -> None:
    # given a campaign that reached Ann and was then cancelled
    ann = await contact(staff, "Ash", "ann@example.com")
    campaign_id, links = await campaign_to(staff, smtp_server, [ann])
    await Campaign.all().update(status="CANCELLED")  # cancelled once Ann's was sent

    # when it is deleted
    deleted = await staff.mutate("deleteCampaign", DELETE_CAMPAIGN, {"id": campaign_id})

    # then it is NOT_ALLOWED, and the link in her email still unsubscribes her
    assert problems(deleted) == [(("input", "id"), "NOT_ALLOWED")]
    done = await web.post("/unsubscribe", data={"token": token_of(links["ann@example.com"])})
    assert done.status_code == 200
    assert await email_consent(staff, ann["id"]) == (False, "UNSUBSCRIBE")


async def test_a_cancelled_campaign_that_reached_nobody_can_be_deleted(
    staff: GraphQLClient,
) -> None:
    ann = await contact(staff, "Ash", "ann@example.com")
    campaign = await draft(staff)
    await set_audience(staff, campaign["id"], contactIds=[ann["id"]])
    await send(staff, campaign["id"])
    await CampaignRunner().run_once()
    await staff.mutate("cancelCampaign", CANCEL, {"campaignId": campaign["id"]})
    deleted = await staff.mutate("deleteCampaign", DELETE_CAMPAIGN, {"id": campaign["id"]})
    assert deleted["errors"] == []
    assert await Campaign.all().count() == 0


async def test_the_page_and_the_email_carry_the_organisation_name_saved_in_the_app(
    staff: GraphQLClient, smtp_server: SmtpServer, web: httpx.AsyncClient
) -> None:
    # given the organisation's name saved in the app's settings
    saved = await staff.mutate("updateSettings", SAVE_SETTINGS, {"organisationName": "Zebra & Co"})
    assert saved["errors"] == []

    # when Ann receives a campaign and opens its unsubscribe link
    ann = await contact(staff, "Ash", "ann@example.com")
    _, links = await campaign_to(staff, smtp_server, [ann])
    page = await web.get("/unsubscribe", params={"token": token_of(links["ann@example.com"])})

    # then both name the organisation
    (received,) = smtp_server.handler.messages
    assert "Zebra & Co" in received.get_body(("plain",)).get_content()
    assert "Zebra &amp; Co" in page.text and "Our CRM" not in page.text


async def test_campaign_mail_waiting_for_who_unsubscribes_is_not_sent(
    staff: GraphQLClient, smtp_server: SmtpServer, web: httpx.AsyncClient
) -> None:
    # given Ann and Bob received a campaign, and a second one is queued for them, not yet sent
    ann = await contact(staff, "Ash", "ann@example.com")
    bob = await contact(staff, "Birch", "bob@example.com")
    _, links = await campaign_to(staff, smtp_server, [ann, bob])
    second = await draft(staff, name="Second")
    await set_audience(staff, second["id"], contactIds=[ann["id"], bob["id"]])
    await send(staff, second["id"])
    await CampaignRunner().run_once()

    # when Ann unsubscribes with the first one's link, and the mail worker then runs
    await web.post("/unsubscribe", data={"token": token_of(links["ann@example.com"])})
    smtp_server.handler.messages.clear()
    await run_campaigns_and_mail(worker_settings(smtp_server.port))

    # then only Bob gets the second one: Ann's is skipped, as she no longer consents
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.handler.messages] == [
        "bob@example.com"
    ]
    rows = {
        row["email"]: (row["status"], row["reason"])
        for row in await recipients(staff, second["id"])
    }
    assert rows == {"ann@example.com": ("SKIPPED", "NO_CONSENT"), "bob@example.com": ("SENT", None)}
    assert (await campaign_of(staff, second["id"]))["status"] == "SENT"
