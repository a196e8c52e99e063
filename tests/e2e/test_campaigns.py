"""Email campaigns in the browser: written, sent to a real SMTP server (aiosmtpd), unsubscribed.

The sending test runs its own `crm serve` with CRM_SMTP_URL pointing at an aiosmtpd server on
loopback and CRM_PUBLIC_URL at the server itself, so the unsubscribe link in the email opens.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Browser, Locator, Page, expect

from tests.e2e.conftest import (
    DESKTOP,
    ORGANISATION,
    PHONE,
    SCREENSHOTS,
    GraphQL,
    MailCrm,
    Shoot,
    api,
    new_context,
    text_of,
)
from tests.e2e.test_app import create_contact
from tests.e2e.test_groups_segments import DELETE_GROUP, add_to_group, create_group

NEW_YORK = ZoneInfo("America/New_York")
CREATE_CAMPAIGN = """
mutation($input: CreateCampaignInput!) {
  createCampaign(input: $input) { campaign { id } errors { field message } }
}"""
SET_AUDIENCE = """
mutation($input: SetCampaignAudienceInput!) {
  setCampaignAudience(input: $input) { campaign { id } errors { field message } }
}"""
CAMPAIGN_STATUS = """query($id: ID!) { campaign(id: $id) { status scheduledAt } }"""
SEND_CAMPAIGN = """
mutation($input: SendCampaignInput!) {
  sendCampaign(input: $input) { campaign { id status } errors { field message } }
}"""
BANNER = (
    "No mail server is configured (CRM_SMTP_URL is not set): emails are written to the "
    "server's log, not sent."
)


def field_error(page: Page, label: str) -> Locator:
    """The error shown under the control labelled `label`."""
    return page.locator(".field", has=page.get_by_label(label, exact=True)).locator(".field-error")


def stat(root: Locator, label: str) -> Locator:
    """The number a stats card shows under `label`."""
    card = f'div[contains(@class, "stat")][dt[normalize-space()="{label}"]]'
    return root.locator(f"xpath=.//{card}/dd")


async def test_write_choose_send_receive_and_unsubscribe(
    admin: Page, browser: Browser, mail_crm: MailCrm, shoot: Shoot, token: str
) -> None:
    # given two contacts who agreed to email and one who did not, all in one group
    gql: GraphQL = partial(api, admin)
    people = {}
    for first, consent in (("Ada", True), ("Brook", True), ("Cato", False)):
        people[first] = await create_contact(
            gql,
            firstName=first,
            lastName=token,
            email=f"{first.lower()}.{token.lower()}@example.com",
            preferences={"email": consent},
        )
    group = await create_group(gql, f"Newsletter {token}")
    await add_to_group(gql, group["id"], [p["id"] for p in people.values()])

    # when a campaign is written with a merge field, the preview fills it in
    await admin.goto("/campaigns")
    await admin.get_by_role("button", name="New campaign").click()
    await admin.get_by_role("dialog").get_by_label("Name").fill(f"Spring {token}")
    await admin.get_by_role("button", name="Create campaign").click()
    await expect(admin.get_by_role("heading", name=f"Spring {token}")).to_be_visible()
    await admin.get_by_label("Subject", exact=True).fill("News for {{ first_name }}")
    message = admin.get_by_label("Message", exact=True)
    await message.fill("Hello {{ nickname }}")
    await expect(field_error(admin, "Message")).to_contain_text("There is no merge field")
    await message.fill(
        'Dear {{ first_name | default: "friend" }},\n\nOur **spring** offers are here.'
    )
    await expect(field_error(admin, "Message")).to_have_count(0)
    preview = admin.frame_locator('iframe[title="Email preview"]')
    await expect(preview.get_by_text("Dear friend,")).to_be_visible()
    await admin.get_by_role("searchbox", name="Preview as: find by name or email").fill(
        f"Ada {token}"
    )
    await admin.get_by_label("Preview as", exact=True).select_option(
        label=f"Ada {token} <ada.{token.lower()}@example.com>"
    )
    await expect(preview.get_by_text("Dear Ada,")).to_be_visible()
    await expect(admin.get_by_text("Subject: News for Ada")).to_be_visible()
    await admin.get_by_role("button", name="Plain text").click()
    await expect(admin.get_by_label("Email text")).to_contain_text("Our **spring** offers")
    await admin.get_by_role("button", name="Email", exact=True).click()
    await shoot(admin, "campaign-write")
    # (a frame off screen is not painted in a full-page shot: the phone's preview on its own)
    await admin.set_viewport_size(PHONE)
    await admin.get_by_role("region", name="Preview").scroll_into_view_if_needed()
    await expect(preview.get_by_text("Dear Ada,")).to_be_visible()
    await admin.get_by_role("region", name="Preview").screenshot(
        path=str(SCREENSHOTS / "campaign-preview-phone.png")
    )
    await admin.set_viewport_size(DESKTOP)

    # and a test goes to any address, filled in as the contact the preview shows
    await admin.get_by_role("button", name="Send a test…").click()
    test_dialog = admin.get_by_role("dialog", name="Send a test")
    await expect(test_dialog).to_contain_text("as Ada")
    await test_dialog.get_by_label("Send to").fill("proof@example.net")
    await test_dialog.get_by_role("button", name="Send test").click()
    await expect(admin.get_by_text("Test email queued for proof@example.net.")).to_be_visible()
    proof = await mail_crm.wait_for("proof@example.net")
    assert str(proof["Subject"]) == "[Test] News for Ada"
    assert "Dear Ada," in text_of(proof)

    # and its recipients are the group
    await admin.get_by_role("button", name="Next: recipients").click()
    await admin.get_by_role("checkbox", name=re.compile(f"Newsletter {token}")).check()
    counts = admin.get_by_role("region", name="If it were sent now")
    await expect(stat(counts, "Will receive it")).to_have_text("2")
    await shoot(admin, "campaign-audience")

    # then the confirm step counts two who receive it and one skipped for no consent
    await admin.get_by_role("button", name="Next: check and send").click()
    counts = admin.get_by_role("region", name="Who receives it")
    await expect(stat(counts, "Will receive it")).to_have_text("2")
    await expect(stat(counts, "Skipped: no email consent")).to_have_text("1")
    await expect(stat(counts, "Skipped: no email address")).to_have_text("0")
    await expect(stat(counts, "Skipped: archived")).to_have_text("0")
    await expect(admin.get_by_text(BANNER)).to_have_count(0)
    await shoot(admin, "campaign-confirm")

    # when it is sent now, the page follows it until it is sent, with its stats
    await admin.get_by_role("button", name="Send now").click()
    heading = admin.get_by_role("heading", name=f"Spring {token}")
    await expect(heading.get_by_text("Sent", exact=True)).to_be_visible(timeout=20_000)
    results = admin.get_by_role("region", name="Results")
    await expect(stat(results, "Recipients")).to_have_text("3")
    await expect(stat(results, "Sent")).to_have_text("2")
    await expect(stat(results, "Skipped")).to_have_text("1")
    await expect(admin.get_by_text("Skipped: 1 no email consent.")).to_be_visible()
    await expect(admin.get_by_role("button", name="Send now")).to_have_count(0)
    await expect(admin.get_by_label("Message", exact=True)).to_have_count(0)
    await admin.get_by_label("Status", exact=True).select_option("SKIPPED")
    rows = admin.get_by_role("table", name="Recipients").get_by_role("row")
    await expect(rows).to_have_count(2)
    await expect(rows.nth(1)).to_contain_text(f"Cato {token}")
    await expect(rows.nth(1)).to_contain_text("no email consent")
    await admin.get_by_label("Status", exact=True).select_option("")
    await expect(rows).to_have_count(4)
    await shoot(admin, "campaign-sent")

    # then both emails arrived, filled in for each, with a one-click unsubscribe
    ada = await mail_crm.wait_for(f"ada.{token.lower()}@example.com")
    brook = await mail_crm.wait_for(f"brook.{token.lower()}@example.com")
    assert not mail_crm.to(f"cato.{token.lower()}@example.com")
    assert str(ada["Subject"]) == "News for Ada"
    assert "Dear Ada," in text_of(ada) and "Dear Brook," in text_of(brook)
    assert str(ada["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    link = re.search(rf"{re.escape(mail_crm.base)}/unsubscribe\?token=\S+", text_of(ada))
    assert link, text_of(ada)
    assert str(ada["List-Unsubscribe"]) == f"<{link.group(0)}>"

    # when Ada follows the link, a page names the organisation and asks first
    reader = await new_context(browser, mail_crm.base, None)
    try:
        page = await reader.new_page()
        await page.goto(link.group(0))
        await expect(page.get_by_text(ORGANISATION)).to_be_visible()
        question = page.get_by_role("heading", name="Stop receiving these emails?")
        await expect(question).to_be_visible()
        await shoot(page, "campaign-unsubscribe")
        await page.get_by_role("button", name="Unsubscribe").click()
        await expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    finally:
        await reader.close()

    # then her email consent is withdrawn by the link, and her timeline says so
    await admin.goto(f"/contacts/{people['Ada']['id']}")
    consents = admin.get_by_role("list", name="Consent history")
    await expect(consents).to_contain_text(re.compile(r"Email: withdrawn .* by unsubscribe link"))
    timeline = admin.get_by_role("region", name="Timeline")
    await expect(timeline.get_by_text("Unsubscribed from emails")).to_be_visible()

    # and the campaign counts the unsubscribe
    await admin.goto("/campaigns")
    row = admin.get_by_role("row", name=re.compile(f"Spring {token}"))
    await expect(row.locator('td[data-label="Unsubscribed"]')).to_have_text("1")
    await expect(row.locator('td[data-label="Sent"]')).to_have_text("2")
    await shoot(admin, "campaigns-list")


async def draft_for(gql: GraphQL, token: str, name: str) -> str:
    """A draft campaign to one contact who agreed to email; its id."""
    contact = await create_contact(
        gql,
        firstName="Dora",
        lastName=token,
        email=f"{name.lower()}.{token.lower()}@example.com",
        preferences={"email": True},
    )
    created = await gql(
        CREATE_CAMPAIGN,
        input={"name": f"{name} {token}", "subject": "Hello", "body": "Hi {{ first_name }}"},
    )
    campaign_id = created["createCampaign"]["campaign"]["id"]
    await gql(SET_AUDIENCE, input={"campaignId": campaign_id, "contactIds": [contact["id"]]})
    return campaign_id


@pytest_asyncio.fixture
async def new_york_page(
    browser: Browser, live_server: str, signed_in_state: dict[str, Any]
) -> AsyncIterator[Page]:
    """A signed-in staff page whose browser is in New York, far from the server's UTC."""
    context = await browser.new_context(
        base_url=live_server,
        viewport=DESKTOP,
        storage_state=signed_in_state,
        locale="en-GB",
        timezone_id=NEW_YORK.key,
    )
    context.set_default_timeout(10_000)
    yield await context.new_page()
    await context.close()


async def test_paste_a_list_matches_creates_and_names_bad_lines(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a draft campaign to one contact who agreed to email, and a group chosen then deleted
    campaign_id = await draft_for(gql, token, "Pasted")
    group = await create_group(gql, f"Gone {token}")
    await gql(SET_AUDIENCE, input={"campaignId": campaign_id, "groupIds": [group["id"]]})
    await gql(DELETE_GROUP, input={"id": group["id"]})
    known = f"pasted.{token.lower()}@example.com"
    new = f"newcomer.{token.lower()}@example.com"

    # when a list is pasted with that contact, a new person and a line that is no email
    await page.goto(f"/campaigns/{campaign_id}?step=audience")
    await expect(page.get_by_role("alert")).to_have_text(
        f"The group “Gone {token}” was deleted: it counts no one."
    )
    chosen = page.get_by_role("list", name="Chosen contacts")
    await expect(chosen.get_by_role("listitem")).to_have_count(1)
    consent = page.get_by_role("checkbox", name="These people agreed to receive email from us")
    await expect(consent).not_to_be_checked()
    await page.get_by_label("One person a line: email, first name, last name").fill(
        f"{known}, Dora, {token}\n{new}; Nell; {token}\nnot an address, Bad, Line"
    )
    await page.get_by_role("button", name="Add these people").click()

    # then one is matched, one created, and the bad line is named by its number
    await expect(page.get_by_role("status")).to_contain_text(
        "Added 2 people from the list: 1 new contact created, 1 matched by email."
    )
    await expect(page.get_by_role("alert").filter(has_text="Line 3:")).to_be_visible()
    await expect(chosen.get_by_role("listitem")).to_have_count(2)
    await expect(chosen).to_contain_text(new)
    # and the new contact, with no consent given, would be skipped
    counts = page.get_by_role("region", name="If it were sent now")
    await expect(stat(counts, "Will receive it")).to_have_text("1")
    await expect(stat(counts, "Skipped: no email consent")).to_have_text("1")
    await shoot(page, "campaign-paste")


async def test_schedule_for_tomorrow_then_cancel(
    new_york_page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a draft campaign with a recipient
    page = new_york_page
    campaign_id = await draft_for(gql, token, "Later")

    # when it is scheduled for 09:30 tomorrow, the browser's time
    await page.goto(f"/campaigns/{campaign_id}?step=confirm")
    tomorrow = (datetime.now(NEW_YORK) + timedelta(days=1)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    await page.get_by_label(re.compile("^Send at")).fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_role("button", name="Schedule").click()

    # then it waits for that moment, with nothing left to edit
    heading = page.get_by_role("heading", name=f"Later {token}")
    await expect(heading.get_by_text("Scheduled", exact=True)).to_be_visible()
    await expect(page.get_by_text(re.compile(r"^Scheduled for .*09:30"))).to_be_visible()
    counts = page.get_by_role("region", name="If it were sent now")
    await expect(stat(counts, "Will receive it")).to_have_text("1")
    await expect(page.get_by_role("button", name="Send now")).to_have_count(0)
    await expect(page.get_by_label("Message", exact=True)).to_have_count(0)
    saved = (await gql(CAMPAIGN_STATUS, id=campaign_id))["campaign"]["scheduledAt"]
    assert datetime.fromisoformat(saved) == tomorrow
    await shoot(page, "campaign-scheduled")

    # when it is cancelled, after saying what that means
    await page.get_by_role("button", name="Cancel campaign").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("Emails not sent yet stay unsent")
    await dialog.get_by_role("button", name="Cancel campaign").click()

    # then it is cancelled and nothing went out
    await expect(heading.get_by_text("Cancelled", exact=True)).to_be_visible()
    await expect(page.get_by_text("Cancelled: what was not sent stays unsent.")).to_be_visible()
    assert (await gql(CAMPAIGN_STATUS, id=campaign_id))["campaign"]["status"] == "CANCELLED"


async def test_without_a_mail_server_the_pages_say_nothing_is_sent(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a campaign sent on a CRM with no mail server (the default serve)
    campaign_id = await draft_for(gql, token, "Logged")
    sent = await gql(SEND_CAMPAIGN, input={"campaignId": campaign_id})
    assert sent["sendCampaign"]["errors"] == []
    deadline = time.monotonic() + 20
    while (await gql(CAMPAIGN_STATUS, id=campaign_id))["campaign"]["status"] != "SENT":
        assert time.monotonic() < deadline, "the campaign was not sent within 20 s"
        await asyncio.sleep(0.3)

    # when the Outbox opens, then the banner says mail is only logged, as the message does
    await page.goto("/outbox")
    await expect(page.get_by_text(BANNER)).to_be_visible()
    row = page.get_by_role("row", name=re.compile(f"logged.{token.lower()}@example.com"))
    await expect(row.get_by_text("Not sent (logged)")).to_be_visible()
    await expect(row.locator('td[data-label="Sent"]')).to_have_text("Not sent")
    await row.get_by_role("button", name="Hello").click()
    await expect(page.get_by_role("dialog")).to_contain_text(
        "Campaign emails are written for each recipient when sent; the outbox keeps no copy."
    )
    await page.keyboard.press("Escape")
    await shoot(page, "outbox-no-mail-server")

    # and the campaign pages say it too, counting the email as not sent
    await page.goto("/campaigns")
    await expect(page.get_by_text(BANNER)).to_be_visible()
    await page.get_by_role("link", name=f"Logged {token}").click()
    await expect(page.get_by_text(BANNER)).to_be_visible()
    results = page.get_by_role("region", name="Results")
    await expect(stat(results, "Not sent (no mail server)")).to_have_text("1")
    await expect(stat(results, "Sent")).to_have_text("0")
    await shoot(page, "campaign-no-mail-server")
