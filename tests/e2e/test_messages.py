"""Secure messages in the browser: staff write from the contact page, the contact is told by
email (from a real SMTP server, aiosmtpd) without the message, reads and replies in the portal
inbox, and the staff see the reply and the unread badges."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from email.message import EmailMessage
from typing import Any

import pytest
import pytest_asyncio

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Browser, Page, expect

from tests.e2e.conftest import (
    CLIENT_PASSWORD,
    DESKTOP,
    ORGANISATION,
    PHONE,
    MailCrm,
    Shoot,
    accept_invitation,
    api,
    new_context,
)

CREATE_CONTACT = """
mutation($input: CreateContactInput!) {
  createContact(input: $input) { contact { id fullName } errors { message } }
}"""


@pytest_asyncio.fixture
async def client(browser: Browser, mail_crm: MailCrm) -> AsyncIterator[Page]:
    """A browser with no session: the contact reading their email."""
    context = await new_context(browser, mail_crm.base, None)
    page = await context.new_page()
    yield page
    await context.close()


def everything_in(message: EmailMessage) -> str:
    """Every text part of an email, and its subject."""
    parts = [str(message["Subject"])]
    parts += [
        part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
    ]
    return "\n".join(parts)


def link_in(message: EmailMessage, path: str) -> str:
    found = re.search(rf"https?://\S+{re.escape(path)}\S*", everything_in(message))
    assert found, everything_in(message)
    return found.group(0)


async def create_contact(page: Page, **fields: Any) -> dict[str, str]:
    payload = (await api(page, CREATE_CONTACT, input=fields))["createContact"]
    assert payload["errors"] == []
    return payload["contact"]


async def active_client(
    browser: Browser,
    admin: Page,
    mail_crm: MailCrm,
    token: str,
) -> tuple[dict[str, str], str]:
    """A client who accepted the portal invitation emailed to them, and their address."""
    address = f"mia.{token.lower()}@example.com"
    contact = await create_contact(
        admin, firstName="Mia", lastName=f"Sage {token}", email=address, type="CLIENT"
    )
    await accept_invitation(browser, mail_crm, address)
    return contact, address


async def secure_message_notice(mail_crm: MailCrm, address: str) -> EmailMessage:
    """The "new secure message" email to `address`; the worker delivers in the background."""
    for _ in range(75):
        found = [m for m in mail_crm.to(address) if "secure message" in str(m["Subject"])]
        if found:
            return found[0]
        await asyncio.sleep(0.2)
    subjects = [str(m["Subject"]) for m in mail_crm.to(address)]
    pytest.fail(f"no secure message notice to {address}: {subjects}")


def messages_panel(page: Page):
    return page.get_by_role("region", name="Messages")


async def test_staff_message_email_notice_portal_reply_and_badges(
    browser: Browser,
    admin: Page,
    client: Page,
    mail_crm: MailCrm,
    shoot: Shoot,
    token: str,
) -> None:
    # given a client with portal access, and the invitation out of the mailbox
    contact, address = await active_client(browser, admin, mail_crm, token)
    name = contact["fullName"]
    secret = f"Your mortgage offer {token} is ready: 4.1% fixed for five years."

    # when a staff member writes to them from the contact page
    await admin.goto(f"/contacts/{contact['id']}")
    panel = messages_panel(admin)
    await expect(panel.get_by_text(f"No messages with {name} yet.")).to_be_visible()
    box = panel.get_by_role("textbox", name=f"Message to {name}")
    # an empty message is refused, and the API's words show on the field
    await panel.get_by_role("button", name="Send").click()
    await expect(panel.locator(".field-error")).to_be_visible()
    await expect(box).to_have_attribute("aria-invalid", "true")
    await box.fill(secret)
    await expect(panel.get_by_text(f"{len(secret)} / 20,000 characters")).to_be_visible()
    await panel.get_by_role("button", name="Send").click()

    # then it is sent, said so only then, and waits unread in the conversation
    await expect(panel.get_by_role("status")).to_have_text(
        "Sent — Mia gets an email that a message waits."
    )
    sent = panel.get_by_role("listitem").filter(has_text=secret)
    await expect(sent).to_contain_text("Not read yet")
    await expect(box).to_have_value("")
    await shoot(admin, "messages-staff-sent")
    # and a second message straight after says that it emailed nobody: one email per burst
    await box.fill("One more thing: the offer holds until Friday.")
    await panel.get_by_role("button", name="Send").click()
    await expect(panel.get_by_role("status")).to_have_text(
        "Sent — no new email: Mia was emailed about a message less than a minute ago."
    )
    await shoot(admin, "messages-staff-sent-again")

    # and the contact's email says a message waits, without the message
    email = await secure_message_notice(mail_crm, address)
    assert str(email["Subject"]) == f"You have a new secure message from {ORGANISATION}"
    assert secret not in everything_in(email)
    assert "mortgage" not in everything_in(email)
    inbox_link = link_in(email, "/portal/messages")

    # when the contact follows the link and signs in
    await client.goto(inbox_link)
    await client.get_by_role("textbox", name="Email").fill(address)
    await client.get_by_label("Password", exact=True).fill(CLIENT_PASSWORD)
    await client.get_by_role("button", name="Sign in").click()

    # then the inbox opens, with the message marked new, and it is marked read
    await expect(client.get_by_role("heading", name="Inbox")).to_be_visible()
    received = client.get_by_role("listitem").filter(has_text=secret)
    await expect(received).to_contain_text("New")
    nav = client.get_by_role("navigation", name="Portal")
    await expect(nav.get_by_role("link", name=re.compile("^Inbox"))).to_have_text("Inbox")

    # when they reply
    reply = f"Thank you {token}, I accept the offer."
    await client.get_by_role("textbox", name=f"Write to {ORGANISATION}").fill(reply)
    await client.get_by_role("button", name="Send").click()
    await expect(client.get_by_role("status")).to_have_text(f"Sent to {ORGANISATION}.")
    await expect(client.get_by_role("listitem").filter(has_text=reply)).to_contain_text(
        "Not read yet"
    )
    await shoot(client, "messages-portal-inbox")

    # then the staff see an unread badge in the navigation and on the contact's row
    await admin.goto(f"/contacts?q={token}")
    main_nav = admin.get_by_role("navigation", name="Main")
    messages_link = main_nav.get_by_role("link", name=re.compile("^Messages"))
    await expect(messages_link).to_contain_text("1 unread message")
    row_badge = admin.get_by_role("link", name="1 unread message", exact=True)
    await expect(row_badge).to_be_visible()
    await shoot(admin, "messages-unread-badges")
    # on a phone, where the navigation is behind Menu, the count is on that button
    await admin.set_viewport_size(PHONE)
    await expect(admin.get_by_role("button", name="Open menu")).to_contain_text("1 unread message")
    assert await admin.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await admin.set_viewport_size(DESKTOP)

    # and the navigation's badge leads to the contacts waiting for an answer
    await messages_link.click()
    await expect(admin.get_by_role("heading", name="Unread messages")).to_be_visible()
    waiting = admin.get_by_role("row", name=re.compile(name))
    await expect(waiting).to_contain_text("1 message")
    await shoot(admin, "messages-unread-conversations")

    # and the row opens the conversation: the reply is there, new, and their message read
    await waiting.get_by_role("link", name=name).click()
    panel = messages_panel(admin)
    await expect(panel.get_by_role("listitem").filter(has_text=reply)).to_contain_text("New")
    await expect(panel.get_by_role("listitem").filter(has_text=secret)).to_contain_text("Read ")
    await expect(panel.get_by_role("textbox", name=f"Message to {name}")).to_be_focused()
    await shoot(admin, "messages-staff-reply")
    # opening it marked the reply read: the navigation's badge is gone
    await expect(main_nav.get_by_text("unread message")).to_have_count(0)

    # and an administrator can open the portal as Mia from the Actions menu, in a new tab
    await admin.get_by_role("button", name="Actions").click()
    async with admin.context.expect_page() as opening:
        await admin.get_by_role("menuitem", name="View portal as").click()
    viewing = await opening.value
    await viewing.wait_for_url(re.compile(r"/portal/view-as\?"))
    await viewing.close()


async def test_a_contact_not_invited_cannot_be_messaged(
    admin: Page,
    mail_crm: MailCrm,
    token: str,
) -> None:
    # given a prospect who was never invited to the portal
    contact = await create_contact(
        admin,
        firstName="Noor",
        lastName=token,
        email=f"noor.{token.lower()}@example.com",
        type="PROSPECT",
        sendInvite=False,
    )

    # when their page opens
    await admin.goto(f"/contacts/{contact['id']}")

    # then the Messages panel says why there is no box to write in
    panel = messages_panel(admin)
    await expect(panel).to_contain_text(
        f"{contact['fullName']} cannot be sent secure messages: invite them to the portal first."
    )
    await expect(panel.get_by_role("textbox")).to_have_count(0)
