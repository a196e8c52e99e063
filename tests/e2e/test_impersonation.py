"""An ADMIN views the portal as a contact in a new tab of the same browser: a banner says so,
every save is refused, Exit leaves, and the staff tab beside it stays signed in."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Browser, Page, expect

from tests.e2e.conftest import (
    CLIENT_PASSWORD,
    MailCrm,
    Shoot,
    accept_invitation,
    api,
    create_client,
)

TIMELINE = """
query ($id: ID!) {
  contact(id: $id) { firstName timeline(kinds: [IMPERSONATED]) { edges { node { actor } } } }
}
"""


async def active_portal_contact(
    staff: Page,
    browser: Browser,
    mail_app: MailCrm,
    token: str,
) -> dict[str, Any]:
    """A client who accepted their emailed invitation (in a browser of their own)."""
    address = f"cleo.{token.lower()}@example.com"
    await create_client(staff, f"Sage {token}", address)
    return await accept_invitation(browser, mail_app, address)


async def test_an_admin_views_the_portal_as_a_contact_read_only_and_exits(
    staff: Page,
    browser: Browser,
    mail_app: MailCrm,
    token: str,
    shoot: Shoot,
) -> None:
    # given an ADMIN on the page of a contact with portal access
    page = staff
    contact = await active_portal_contact(staff, browser, mail_app, token)
    name = contact["fullName"]
    await page.goto(f"/contacts/{contact['id']}")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(name)

    # when the ADMIN chooses "View portal as" in the contact's Actions
    await page.get_by_role("button", name="Actions").click()
    async with page.context.expect_page() as opened:
        await page.get_by_role("menuitem", name="View portal as").click()
    portal = await opened.value
    portal.set_default_timeout(10_000)

    # then a new tab shows the portal as the contact, with the banner, and no token in the
    # address bar
    banner = portal.get_by_role("region", name="Viewing the portal as a contact")
    await expect(banner).to_contain_text(f"You are viewing the portal as {name} (read-only)")
    await expect(portal.get_by_label("First name")).to_have_value("Cleo")
    assert portal.url.endswith("/portal")
    await expect(portal.get_by_role("button", name="Sign out")).to_have_count(0)

    # when the view tries to save the contact's details
    await portal.get_by_label("First name").fill("Changed")
    await portal.get_by_role("button", name="Save my details").click()

    # then the save is refused, clearly, and nothing changed
    refusal = f"Read-only: you are viewing the portal as {name}"
    await expect(banner.get_by_role("alert")).to_have_text(f"Not saved. {refusal}")
    await expect(portal.get_by_text(refusal, exact=True)).to_be_visible()
    await shoot(portal, "portal-viewed-as-contact")

    # when the view tries to change the password and to reply in the inbox
    await portal.get_by_label("Current password").fill(CLIENT_PASSWORD)
    await portal.get_by_label("New password").fill("Another fine passphrase 42")
    await portal.get_by_role("button", name="Change password").click()
    password_refused = portal.locator("form", has_text="Change password").get_by_text(refusal)
    await expect(password_refused).to_be_visible()
    await portal.get_by_role("link", name=re.compile("^Inbox")).click()
    await portal.get_by_role("textbox", name=re.compile("^Write to")).fill("Hello from the admin")
    await portal.get_by_role("button", name="Send", exact=True).click()
    await expect(banner.get_by_role("alert")).to_have_text(f"Not saved. {refusal}")
    await shoot(portal, "portal-viewed-as-contact-inbox")

    # and the staff tab beside it is still the ADMIN's, saves included
    await page.bring_to_front()
    await page.reload()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    state = (await api(page, TIMELINE, id=contact["id"]))["contact"]
    assert state["firstName"] == "Cleo"
    assert [edge["node"]["actor"] for edge in state["timeline"]["edges"]] != []

    # when the view exits
    await portal.bring_to_front()
    async with portal.expect_event("close"):
        await banner.get_by_role("button", name="Exit").click()

    # then the tab closes, the view is over, and the staff tab still works
    assert portal.is_closed()
    refused = await page.request.post(
        "/graphql",
        data={"query": "{ me { __typename } }"},
        headers={"Content-Type": "application/json", "X-CRM-View-As": contact["id"]},
    )
    assert (await refused.json())["data"]["me"] is None
    await page.goto("/contacts")
    await expect(page.get_by_role("link", name=name)).to_be_visible()
    await shoot(page, "staff-tab-after-viewing-as")
