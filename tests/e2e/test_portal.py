"""Portal invitations end to end: a real SMTP server (aiosmtpd) receives what the CRM sends.

These tests run on `mail_app` (tests/e2e/conftest.py): a `crm serve` of their own, with
CRM_SMTP_URL pointing at an aiosmtpd server on loopback and CRM_PUBLIC_URL at the server
itself, so the links in the emails open.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import (
    ADMIN_PASSWORD,
    CLIENT_PASSWORD,
    MailCrm,
    Shoot,
    api,
    create_client,
    new_context,
    text_of,
)


def portal_box(page: Page):
    return page.get_by_role("region", name="Portal access")


def rule(page: Page, text: str):
    return (
        page.get_by_role("list", name="Password rules")
        .get_by_role("listitem")
        .filter(has_text=text)
    )


async def test_invite_activate_and_edit_preferences(
    staff: Page, client_context: BrowserContext, mail_app: MailCrm, shoot: Shoot, token: str
) -> None:
    address = f"{token.lower()}@example.com"
    await staff.goto("/contacts/new")
    await staff.get_by_label("First name", exact=True).fill("Ada")
    await staff.get_by_role("textbox", name="Last name", exact=True).fill(token)
    invite = staff.get_by_role("checkbox", name="Send portal invitation")
    # Only a prospect or client with an email can be invited.
    await staff.get_by_role("textbox", name="Email", exact=True).fill(address)
    await expect(invite).to_have_count(0)
    await staff.get_by_label("Type", exact=True).select_option("CLIENT")
    await expect(invite).to_be_checked()
    await staff.get_by_role("textbox", name="Email", exact=True).fill("")
    await expect(invite).to_have_count(0)
    await staff.get_by_role("textbox", name="Email", exact=True).fill(address)
    await expect(invite).to_be_checked()
    await shoot(staff, "contact-form-invite")
    await staff.get_by_role("button", name="Create contact").click()

    await expect(staff.get_by_role("heading", name=f"Ada {token}")).to_be_visible()
    await expect(staff.get_by_text("Portal invitation sent")).to_be_visible()
    box = portal_box(staff)
    await expect(box).to_contain_text("Invited")
    message = await mail_app.wait_for(address)
    assert "Harbour Lane Advisers" in str(message["Subject"])
    # The page follows the delivery by itself.
    await expect(box.get_by_text("Sent", exact=True)).to_be_visible(timeout=15_000)
    await expect(box.get_by_role("button", name="Resend invitation")).to_be_visible()
    await expect(box.get_by_role("button", name=re.compile("Revoke invitation"))).to_be_visible()
    await shoot(staff, "contact-portal-invited")

    client = await client_context.new_page()
    await client.goto(mail_app.link(message, "portal/activate"))
    await expect(client.get_by_role("heading", name="Welcome, Ada")).to_be_visible()
    # The token leaves the address bar (and so the history) once the page has read it.
    await expect(client).to_have_url(re.compile(r"/portal/activate$"))
    await expect(client.get_by_text(address)).to_be_visible()
    brand = client.get_by_role("link", name=re.compile("Harbour Lane Advisers"))
    await expect(brand).to_be_visible()
    password = client.get_by_label("Choose a password", exact=True)
    await password.press_sequentially("short")
    await expect(rule(client, "At least 10 characters")).to_have_attribute("data-met", "false")
    await shoot(client, "portal-activate")
    await password.press_sequentially(" and then longer")
    await expect(rule(client, "At least 10 characters")).to_have_attribute("data-met", "true")
    await password.fill(address)
    await expect(rule(client, "Not your email address")).to_have_attribute("data-met", "false")
    await password.fill(CLIENT_PASSWORD)
    await expect(rule(client, "Not your email address")).to_have_attribute("data-met", "true")
    await client.get_by_role("button", name="Activate my account").click()

    await expect(client).to_have_url(re.compile(r"/portal$"))
    await expect(client.get_by_role("heading", name="Hello, Ada")).to_be_visible()
    await expect(client.get_by_text("Your account is ready")).to_be_visible()
    await expect(client.get_by_role("checkbox", name=re.compile("^Email"))).to_be_checked()
    await expect(client.get_by_role("checkbox", name=re.compile("^Post"))).not_to_be_checked()
    await shoot(client, "portal-profile")

    await client.get_by_role("checkbox", name=re.compile("^Email")).uncheck()
    await client.get_by_role("checkbox", name=re.compile("^Post")).check()
    await client.get_by_label("Address line 1", exact=True).fill("1 Quay Street")
    await client.get_by_label("Town or city", exact=True).fill("Bristol")
    await client.get_by_label("Phone 1 number", exact=True).press_sequentially("07400123456")
    await client.get_by_role("button", name="Save my details").click()
    await expect(client.get_by_text("Your details were saved.")).to_be_visible()

    # A portal session never sees the staff app, not even for a moment.
    await client.goto("/contacts")
    await expect(client).to_have_url(re.compile(r"/portal$"))
    await expect(client.get_by_role("heading", name="Hello, Ada")).to_be_visible()
    assert await client.evaluate("window.__sawStaffLayout") is False
    await expect(client.get_by_role("checkbox", name=re.compile("^Post"))).to_be_checked()
    await expect(client.get_by_label("Phone 1 number", exact=True)).to_have_value("07400 123456")

    await staff.reload()
    await expect(box).to_contain_text("Active")
    consents = staff.get_by_role("list", name="Consent history")
    await expect(consents).to_contain_text(
        re.compile(r"Email: withdrawn .* by the contact, in the portal")
    )
    await expect(consents).to_contain_text(
        re.compile(r"Post: given .* by the contact, in the portal")
    )
    reach = staff.get_by_role("region", name="Phone and address")
    await expect(reach.get_by_text("1 Quay Street")).to_be_visible()
    await expect(box.get_by_role("button", name=re.compile("Revoke portal access"))).to_be_visible()
    await shoot(staff, "contact-portal-active")

    # Sign out, then back in with the new password.
    await client.get_by_role("button", name="Sign out").click()
    await expect(client.get_by_role("heading", name="Sign in")).to_be_visible()
    await client.get_by_role("textbox", name="Email").fill(address)
    await client.get_by_label("Password", exact=True).fill("not the password at all")
    await client.get_by_role("button", name="Sign in").click()
    await expect(client.get_by_role("alert")).to_contain_text(re.compile("not correct", re.I))
    await shoot(client, "portal-login")
    await client.get_by_label("Password", exact=True).fill(CLIENT_PASSWORD)
    await client.get_by_role("button", name="Sign in").click()
    await expect(client.get_by_role("heading", name="Hello, Ada")).to_be_visible()

    # Revoking access ends the session.
    await box.get_by_role("button", name=re.compile("Revoke portal access")).click()
    dialog = staff.get_by_role("dialog")
    await expect(dialog).to_contain_text("can no longer sign in")
    await dialog.get_by_role("button", name="Revoke portal access").click()
    await expect(box).to_contain_text("Not invited")
    await client.reload()
    await expect(client.get_by_role("heading", name="Sign in")).to_be_visible()


async def test_resend_replaces_the_link_and_revoke_ends_it(
    staff: Page, client_context: BrowserContext, mail_app: MailCrm, shoot: Shoot, token: str
) -> None:
    address = f"{token.lower()}@example.com"
    contact_id = await create_client(staff, token, address)
    first = await mail_app.wait_for(address)

    await staff.goto(f"/contacts/{contact_id}")
    box = portal_box(staff)
    await box.get_by_role("button", name="Resend invitation").click()
    await expect(box.get_by_text("the earlier link no longer works")).to_be_visible()
    second = await mail_app.wait_for(address, count=2)
    assert mail_app.link(first, "portal/activate") != mail_app.link(second, "portal/activate")

    client = await client_context.new_page()
    await client.goto(mail_app.link(first, "portal/activate"))
    await expect(
        client.get_by_role("heading", name="This link has expired or was replaced")
    ).to_be_visible()
    await shoot(client, "portal-activate-invalid")
    await client.goto(mail_app.link(second, "portal/activate"))
    await expect(client.get_by_role("heading", name="Welcome, Cleo")).to_be_visible()

    # The replaced invitation is listed, and links to its contact.
    await (
        staff.get_by_role("navigation", name="Main").get_by_role("link", name="Invitations").click()
    )
    await expect(staff.get_by_role("heading", name="Invitations", exact=True)).to_be_visible()
    await staff.get_by_label("Status", exact=True).select_option("SUPERSEDED")
    await expect(staff).to_have_url(re.compile(r"status=SUPERSEDED"))
    row = staff.get_by_role("row", name=re.compile(token))
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("Replaced")
    await staff.get_by_label("Status", exact=True).select_option("")
    await staff.get_by_label("Delivery", exact=True).select_option("SENT")
    await expect(staff.get_by_role("row", name=re.compile(token)).first).to_be_visible()
    await shoot(staff, "invitations")
    await staff.get_by_label("Delivery", exact=True).select_option("FAILED")
    await expect(staff.get_by_text("No invitations match these filters.")).to_be_visible()
    await staff.get_by_label("Delivery", exact=True).select_option("")
    await staff.get_by_role("row", name=re.compile(token)).first.get_by_role("link").click()
    await expect(staff).to_have_url(re.compile(re.escape(f"/contacts/{contact_id}")))

    await box.get_by_role("button", name=re.compile("Revoke invitation")).click()
    dialog = staff.get_by_role("dialog")
    await expect(dialog).to_contain_text("link stops working")
    await shoot(staff, "contact-portal-revoke")
    await dialog.get_by_role("button", name="Revoke invitation").click()
    await expect(dialog).to_have_count(0)
    await expect(box).to_contain_text("Not invited")
    await expect(box.get_by_text("Invitation revoked.")).to_be_visible()
    await expect(box.get_by_role("button", name="Send invitation")).to_be_visible()

    await client.goto(mail_app.link(second, "portal/activate"))
    await expect(
        client.get_by_role("heading", name="This link has expired or was replaced")
    ).to_be_visible()

    # And a fresh invitation from the contact page.
    await box.get_by_role("button", name="Send invitation").click()
    await expect(box.get_by_text("Invitation sent.")).to_be_visible()
    await expect(box).to_contain_text("Invited")
    await mail_app.wait_for(address, count=3)


async def test_expired_link_says_so(
    staff: Page, client_context: BrowserContext, mail_app: MailCrm, token: str
) -> None:
    address = f"{token.lower()}@example.com"
    await create_client(staff, token, address)
    message = await mail_app.wait_for(address)
    mail_app.sql(
        "UPDATE invitation SET expires_at = '2000-01-01 00:00:00+00:00' WHERE email = ?", address
    )
    client = await client_context.new_page()
    await client.goto(mail_app.link(message, "portal/activate"))
    await expect(
        client.get_by_role("heading", name="This link has expired or was replaced")
    ).to_be_visible()

    await staff.goto("/invitations?status=EXPIRED")
    await expect(staff.get_by_role("row", name=re.compile(token))).to_contain_text("Expired")


async def test_forgot_password_and_reset(
    staff: Page, client_context: BrowserContext, mail_app: MailCrm, shoot: Shoot, token: str
) -> None:
    address = f"{token.lower()}@example.com"
    await create_client(staff, token, address)
    invitation = await mail_app.wait_for(address)
    client = await client_context.new_page()
    activate_token = mail_app.link(invitation, "portal/activate").split("token=")[1]
    await api(
        client,
        """mutation($input: ActivatePortalAccountInput!) {
          activatePortalAccount(input: $input) { contact { id } errors { message } }
        }""",
        input={"token": activate_token, "password": CLIENT_PASSWORD},
    )
    await client.context.clear_cookies()

    await client.goto("/portal/login")
    await client.get_by_role("link", name="Forgot your password?").click()
    await expect(client.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    await shoot(client, "portal-forgot")
    # The same answer for an unknown address.
    await client.get_by_role("textbox", name="Email").fill(f"nobody-{token.lower()}@example.com")
    await client.get_by_role("button", name="Send me a link").click()
    await expect(client.get_by_text("If an account exists")).to_be_visible()
    await shoot(client, "portal-forgot-sent")

    await client.goto("/portal/forgot")
    await client.get_by_role("textbox", name="Email").fill(address.upper())
    await client.get_by_role("button", name="Send me a link").click()
    await expect(client.get_by_text("If an account exists")).to_be_visible()
    reset = await mail_app.wait_for(address, count=2)

    await client.goto(mail_app.link(reset, "portal/reset"))
    await expect(client.get_by_role("heading", name="Choose a new password")).to_be_visible()
    await expect(client).to_have_url(re.compile(r"/portal/reset$"))
    await client.get_by_label("New password", exact=True).fill("password123")
    await client.get_by_role("button", name="Save and sign in").click()
    await expect(client.get_by_text(re.compile("too common", re.I))).to_be_visible()
    await shoot(client, "portal-reset")
    await client.get_by_label("New password", exact=True).fill("Another long passphrase 42")
    await client.get_by_role("button", name="Save and sign in").click()
    await expect(client.get_by_role("heading", name="Hello, Cleo")).to_be_visible()
    await expect(client.get_by_text("Your password was changed.")).to_be_visible()

    # The link worked once.
    await client.goto(mail_app.link(reset, "portal/reset"))
    await client.get_by_label("New password", exact=True).fill("Yet another passphrase 43")
    await client.get_by_role("button", name="Save and sign in").click()
    await expect(
        client.get_by_role("heading", name="This link has expired or was replaced")
    ).to_be_visible()

    # Change the password from the profile.
    await client.goto("/portal")
    section = client.get_by_role("form", name="Change password")
    await section.get_by_label("Current password", exact=True).fill("wrong password here")
    await section.get_by_label("New password", exact=True).fill("Third passphrase for me 44")
    await section.get_by_role("button", name="Change password").click()
    await expect(section.get_by_text("Your current password is not correct")).to_be_visible()
    await section.get_by_label("Current password", exact=True).fill("Another long passphrase 42")
    await section.get_by_role("button", name="Change password").click()
    await expect(section.get_by_text("Your password was changed.")).to_be_visible()


async def test_outbox_lists_mail_and_sends_a_test_email(
    staff: Page, browser: Browser, mail_app: MailCrm, shoot: Shoot, token: str
) -> None:
    address = f"{token.lower()}@example.com"
    await staff.goto("/contacts")
    await staff.get_by_role("navigation", name="Main").get_by_role("link", name="Outbox").click()
    await expect(staff.get_by_role("heading", name="Outbox", exact=True)).to_be_visible()
    await staff.get_by_label("Send to", exact=True).fill("not an address")
    await staff.get_by_role("button", name="Send test email").click()
    problem = staff.locator(".test-email .field-error, .test-email .notice-error")
    await expect(problem).to_be_visible()
    await staff.get_by_label("Send to", exact=True).fill(address)
    await staff.get_by_role("button", name="Send test email").click()
    await expect(staff.get_by_text(f"Test email queued for {address}")).to_be_visible()
    received = await mail_app.wait_for(address)

    await staff.get_by_label("Kind", exact=True).select_option("TEST")
    await expect(staff).to_have_url(re.compile(r"kind=TEST"))
    row = staff.get_by_role("row", name=re.compile(re.escape(address)))
    await expect(row).to_have_count(1)
    for _ in range(20):
        if "Sent" in await row.inner_text():
            break
        await staff.get_by_role("button", name="Refresh").click()
        await staff.wait_for_timeout(300)
    await expect(row).to_contain_text("Sent")
    await shoot(staff, "outbox")
    await row.get_by_role("button").click()
    dialog = staff.get_by_role("dialog")
    await expect(dialog.get_by_label("Message text")).to_contain_text(
        text_of(received).strip().splitlines()[0]
    )
    await shoot(staff, "outbox-message")
    await dialog.get_by_role("button", name="Close").click()

    await staff.get_by_label("Status", exact=True).select_option("FAILED")
    await expect(staff.get_by_role("row", name=re.compile(re.escape(address)))).to_have_count(0)

    # Members do not see the outbox.
    member = f"member-{token.lower()}@example.com"
    created = await api(
        staff,
        """mutation($input: CreateStaffUserInput!) {
          createStaffUser(input: $input) { user { id } errors { message } }
        }""",
        input={"email": member, "password": ADMIN_PASSWORD, "role": "MEMBER"},
    )
    assert created["createStaffUser"]["errors"] == []
    context = await new_context(browser, mail_app.base, None)
    try:
        page = await context.new_page()
        await api(
            page,
            "mutation($i: LoginInput!) { login(input: $i) { user { id } } }",
            i={"email": member, "password": ADMIN_PASSWORD},
        )
        await page.goto("/contacts")
        nav = page.get_by_role("navigation", name="Main")
        await expect(nav.get_by_role("link", name="Invitations")).to_be_visible()
        await expect(nav.get_by_role("link", name="Outbox")).to_have_count(0)
        await page.goto("/outbox")
        await expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    finally:
        await context.close()
