"""Settings, staff accounts and the first run in the browser.

The first run has a CRM of its own with no staff account: `crm serve` prints the setup link
to its output (root/server.log). The invitation tests run a CRM whose mail goes to a real
SMTP server (aiosmtpd) on loopback, with CRM_PUBLIC_URL at the server, so emailed links open
(`mail_crm`, in tests/e2e/conftest.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Browser, Locator, Page, expect

from tests.e2e.conftest import (
    ADMIN_EMAIL,
    DESKTOP,
    ORGANISATION,
    PHONE,
    SCREENSHOTS,
    MailCrm,
    Shoot,
    api,
    crm_server,
    new_context,
    require_e2e,
    text_of,
)

PASSWORD = "Kettle orbit 5731 lantern"
FIRST_RUN_NOTICE = (
    "Nobody can sign in yet: the first administrator is created from the link that "
    "crm serve printed in its terminal (restart it for a new one)."
)
ONLY_ADMINS = "Only administrators can see and change the settings"
LAST_ADMIN = "There must be an active administrator"


@dataclass
class FreshCrm:
    base: str
    output: Path

    def setup_link(self) -> str:
        """The one-time link serve printed while nobody has a staff account."""
        deadline = time.monotonic() + 10
        while not (found := re.findall(r"http://\S+/setup\?token=\S+", self.output.read_text())):
            if time.monotonic() > deadline:
                pytest.fail("serve printed no setup link:\n" + self.output.read_text())
            time.sleep(0.2)
        return found[-1]


@pytest.fixture(scope="module")
def fresh_crm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshCrm]:
    """A CRM on an empty database: no staff account, CRM_PUBLIC_URL unset."""
    require_e2e()
    root = tmp_path_factory.mktemp("e2e-first-run")
    with crm_server(root, with_admin=False) as base:
        yield FreshCrm(base=base, output=root / "server.log")


def field_error(page: Page, label: str) -> Locator:
    """The error shown under the control labelled `label` (a required mark aside)."""
    return page.locator(".field", has=page.get_by_label(label)).locator(".field-error")


def brand(page: Page) -> Locator:
    """The organisation's name at the top of the navigation (sidebar at 1280 px)."""
    return page.locator(".sidebar .brand")


async def invite(page: Page, email: str, role: str) -> None:
    """Settings, Staff, Invite a colleague."""
    await page.goto("/settings/staff")
    await page.get_by_role("button", name="Invite a colleague").click()
    dialog = page.get_by_role("dialog", name="Invite a colleague")
    await dialog.get_by_label("Email").fill(email)
    await dialog.get_by_label("Role").select_option(role)
    await dialog.get_by_role("button", name="Send invitation").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("status").filter(has_text=f"Invited {email}")).to_be_visible()


async def join(browser: Browser, crm: MailCrm, email: str, name: str) -> Page:
    """The colleague invited as `email` joins from their email, in a browser of their own."""
    link = crm.link(await crm.wait_for(email), "join")
    context = await new_context(browser, crm.base, None)
    page = await context.new_page()
    await page.goto(link)
    await page.get_by_label("Your name").fill(name)
    await page.get_by_label("Choose a password").fill(PASSWORD)
    await page.get_by_role("button", name="Join and sign in").click()
    await expect(page).to_have_url(re.compile(r"/home$"))
    return page


async def test_first_run_from_a_fresh_database(
    browser: Browser, fresh_crm: FreshCrm, shoot: Shoot
) -> None:
    # given a CRM nobody can sign in to yet
    context = await new_context(browser, fresh_crm.base, None)
    page = await context.new_page()
    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"/sign-in$"))
    await expect(page.get_by_text(FIRST_RUN_NOTICE)).to_be_visible()
    await expect(page.get_by_label("Password")).to_have_count(0)
    await shoot(page, "first-run-sign-in")

    # when the newcomer opens the link serve printed
    link = fresh_crm.setup_link()
    assert link.startswith(f"{fresh_crm.base}/setup?token=")  # the port serve listens on
    await page.goto(link)
    await expect(page.get_by_role("heading", name="Set up your CRM")).to_be_visible()
    await expect(page).to_have_url(f"{fresh_crm.base}/setup")  # the token left the address bar

    # and sends it half filled in, then as it should be
    await page.get_by_label("Organisation name").fill("Kestrel Row Partners")
    await page.get_by_label("Default phone country").select_option(label="France")
    await page.get_by_label("Your email").fill("founder@kestrel.example")
    await page.get_by_label("Choose a password").fill("short")
    await page.get_by_role("button", name="Create my account and sign in").click()
    await expect(field_error(page, "Your name")).not_to_be_empty()
    await expect(field_error(page, "Choose a password")).not_to_be_empty()
    await expect(field_error(page, "Organisation name")).to_have_count(0)
    await shoot(page, "first-run-setup-errors")
    await page.get_by_label("Your name").fill("Ada Founder")
    await page.get_by_label("Choose a password").fill(PASSWORD)
    await page.get_by_role("button", name="Create my account and sign in").click()

    # then the administrator is signed in, on the contacts list, in their organisation
    await expect(page).to_have_url(re.compile(r"/contacts$"))
    await expect(page.get_by_role("heading", name="Contacts")).to_be_visible()
    await expect(brand(page)).to_have_text("Kestrel Row Partners")
    await expect(page.get_by_role("link", name="Settings")).to_be_visible()
    await shoot(page, "first-run-contacts")
    saved = await api(page, "{ settings { organisationName defaultCountry } me { __typename } }")
    assert saved["settings"] == {"organisationName": "Kestrel Row Partners", "defaultCountry": "FR"}

    # and the link works no more, while the sign-in page asks for a password again
    other = await new_context(browser, fresh_crm.base, None)
    stranger = await other.new_page()
    await stranger.goto(link)
    await expect(stranger.get_by_role("heading", name="This CRM is already set up")).to_be_visible()
    await stranger.goto("/sign-in")
    await expect(stranger.get_by_label("Password")).to_be_visible()
    await expect(stranger.get_by_text("Kestrel Row Partners")).to_be_visible()
    await other.close()
    await context.close()


async def test_invited_member_joins_from_the_email_and_finds_no_settings(
    admin: Page, browser: Browser, mail_crm: MailCrm, shoot: Shoot, token: str
) -> None:
    # given an administrator who invites a colleague as a member
    email = f"member-{token.lower()}@example.com"
    await admin.goto("/contacts")
    await admin.get_by_role("link", name="Settings").click()
    await admin.get_by_role("link", name="Staff").click()
    await admin.get_by_role("button", name="Invite a colleague").click()
    await expect(admin.get_by_role("dialog", name="Invite a colleague")).to_be_visible()
    await shoot(admin, "settings-staff-invite")
    await admin.keyboard.press("Escape")
    await invite(admin, email, "MEMBER")
    row = admin.get_by_role("row").filter(has_text=email)
    await expect(row).to_contain_text("Invited")
    await expect(row).to_contain_text("Member")

    # when the colleague opens the link in the email they received
    message = await mail_crm.wait_for(email)
    assert ORGANISATION in str(message["Subject"])
    link = mail_crm.link(message, "join")
    context = await new_context(browser, mail_crm.base, None)
    member = await context.new_page()
    await member.goto(link)
    await expect(member.get_by_text(email)).to_be_visible()
    await expect(member).to_have_url(f"{mail_crm.base}/join")
    await shoot(member, "staff-join")
    await member.get_by_label("Your name").fill(f"Mo Member {token}")
    await member.get_by_label("Choose a password").fill(PASSWORD)
    await member.get_by_role("button", name="Join and sign in").click()

    # then they are signed in as a member, on Home, with no Settings in the navigation
    await expect(member).to_have_url(re.compile(r"/home$"))
    await expect(member.get_by_text(re.compile("^Welcome to "))).to_be_visible()
    nav = member.get_by_role("navigation", name="Main")
    await expect(nav.get_by_role("link", name="Contacts")).to_be_visible()
    await expect(member.get_by_role("link", name="Settings")).to_have_count(0)
    await member.goto("/settings/staff")
    await expect(member.get_by_role("alert")).to_contain_text(ONLY_ADMINS)
    await expect(member.get_by_role("table")).to_have_count(0)
    await shoot(member, "settings-member-refused")

    # and the link they used works no more
    reuse = await browser.new_context(base_url=mail_crm.base)
    again = await reuse.new_page()
    await again.goto(link)
    await expect(
        again.get_by_role("heading", name="This invitation link no longer works")
    ).to_be_visible()
    await reuse.close()

    # when the administrator reloads the staff list: the colleague is active
    await admin.reload()
    await expect(row).to_contain_text("Active")
    await expect(row).to_contain_text(f"Mo Member {token}")
    await shoot(admin, "settings-staff")

    # and tries to deactivate themselves, the only administrator: refused, and said so
    me = admin.get_by_role("row").filter(has_text=ADMIN_EMAIL)
    await me.get_by_role("button", name=re.compile("^Change")).click()
    await admin.get_by_role("menuitem", name="Deactivate…").click()
    dialog = admin.get_by_role("dialog")
    await dialog.get_by_role("button", name="Deactivate").click()
    await expect(dialog.get_by_role("alert")).to_contain_text(LAST_ADMIN)
    await shoot(admin, "settings-staff-last-admin")
    await dialog.get_by_role("button", name="Cancel").click()

    # and deactivates the member: signed out at once, once confirmed
    await row.get_by_role("button", name=re.compile("^Change")).click()
    await admin.get_by_role("menuitem", name="Deactivate…").click()
    await admin.get_by_role("dialog").get_by_role("button", name="Deactivate").click()
    await expect(row).to_contain_text("Deactivated")
    await member.reload()
    await expect(member).to_have_url(re.compile(r"/sign-in$"))
    await context.close()


async def test_profile_name_and_password(
    admin: Page, browser: Browser, mail_crm: MailCrm, shoot: Shoot, token: str
) -> None:
    # given a member who joined, signed in in two browsers
    email = f"profile-{token.lower()}@example.com"
    await invite(admin, email, "MEMBER")
    member = await join(browser, mail_crm, email, "Pat Profile")
    elsewhere = await browser.new_context(base_url=mail_crm.base)
    await elsewhere.request.post(
        "/graphql",
        data={
            "query": "mutation($i: LoginInput!) { login(input: $i) { user { id } } }",
            "variables": {"i": {"email": email, "password": PASSWORD}},
        },
    )

    # when they rename themselves and change their password from "Your profile"
    await member.get_by_role("link", name=re.compile("Your profile")).click()
    await member.get_by_role("textbox", name="Name", exact=True).fill(f"Pat Renamed {token}")
    await member.get_by_role("button", name="Save name").click()
    await expect(member.locator(".sidebar .nav-user-email")).to_have_text(f"Pat Renamed {token}")
    await member.get_by_label("Current password").fill("not my password at all")
    await member.get_by_label("New password", exact=True).fill("Another 8126 gentle harbour")
    await member.get_by_label("New password again").fill("Another 8126 gentle harbour")
    await member.get_by_role("button", name="Change password").click()
    await expect(field_error(member, "Current password")).to_contain_text("not correct")
    await member.get_by_label("Current password").fill(PASSWORD)
    await member.get_by_role("button", name="Change password").click()

    # then they are told the other browsers were signed out, and they were
    signed_out = "Every other browser signed in to your account was signed out"
    await expect(member.get_by_role("status").filter(has_text=signed_out)).to_be_visible()
    await shoot(member, "staff-profile")
    response = await elsewhere.request.post("/graphql", data={"query": "{ me { __typename } }"})
    assert (await response.json())["data"]["me"] is None
    await member.reload()
    await expect(member.get_by_role("heading", name="Your profile")).to_be_visible()
    await elsewhere.close()
    await member.context.close()


async def test_forgot_password_from_the_sign_in_page(
    admin: Page, browser: Browser, mail_crm: MailCrm, shoot: Shoot, token: str
) -> None:
    # given a colleague who joined, then forgot their password
    email = f"forgetful-{token.lower()}@example.com"
    await invite(admin, email, "MEMBER")
    await (await join(browser, mail_crm, email, "Fran Forgetful")).context.close()
    context = await new_context(browser, mail_crm.base, None)
    page = await context.new_page()
    await page.goto("/sign-in")
    await expect(page.get_by_text(ORGANISATION)).to_be_visible()
    await shoot(page, "staff-sign-in")

    # when they ask for a link from the sign-in page
    await page.get_by_role("link", name="Forgot your password?").click()
    await expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    await page.get_by_label("Email").fill(email)
    await page.get_by_role("button", name="Email me a link").click()
    await expect(page.get_by_role("status")).to_contain_text(
        "If an account uses this address, we have emailed a link; it works for an hour"
    )
    await shoot(page, "staff-forgot-password")

    # and open it from the email to choose a new password, twice
    link = mail_crm.link(await mail_crm.wait_for(email, count=2), "reset-password")
    await page.goto(link)
    await expect(page).to_have_url(f"{mail_crm.base}/reset-password")
    await page.get_by_label("New password", exact=True).fill("Another 8126 gentle harbour")
    await page.get_by_label("New password again").fill("Another 8126 gentle harbor")
    await page.get_by_role("button", name="Save and sign in").click()
    await expect(field_error(page, "New password again")).to_contain_text("not the same")
    await page.get_by_label("New password again").fill("Another 8126 gentle harbour")
    await page.get_by_role("button", name="Save and sign in").click()

    # then they are signed in, on Home, and the link works no more
    await expect(page).to_have_url(re.compile(r"/home$"))
    await expect(page.get_by_text("Your password was changed.")).to_be_visible()
    await expect(page.locator(".sidebar .nav-user-email")).to_have_text("Fran Forgetful")
    await page.goto(link)
    await page.get_by_label("New password", exact=True).fill("Third 4471 quiet meadow")
    await page.get_by_label("New password again").fill("Third 4471 quiet meadow")
    await page.get_by_role("button", name="Save and sign in").click()
    await expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    await context.close()


async def test_organisation_name_follows_in_the_navigation_and_the_next_invitation(
    admin: Page, mail_crm: MailCrm, shoot: Shoot, token: str
) -> None:
    # given the organisation's name as the environment gives it
    await admin.goto("/settings")
    name_field = admin.get_by_label("Organisation name")
    await expect(name_field).to_have_value(ORGANISATION)
    setting = admin.locator(".setting", has=name_field)
    await expect(setting).to_contain_text("From the environment (CRM_ORGANISATION_NAME)")
    await expect(brand(admin)).to_have_text(ORGANISATION)

    # when the administrator renames it in Settings
    renamed = f"Harbour Lane {token}"
    await name_field.fill(renamed)
    await admin.get_by_label("Invitation links work for (days)").fill("120")
    await admin.get_by_role("button", name="Save").click()
    await expect(field_error(admin, "Invitation links work for (days)")).to_contain_text("1 to 90")
    await admin.get_by_label("Invitation links work for (days)").fill("14")
    await admin.get_by_role("button", name="Save").click()

    # then the navigation follows at once, and the field says it is saved in the app
    await expect(admin.get_by_role("status").filter(has_text="Organisation saved")).to_be_visible()
    await expect(brand(admin)).to_have_text(renamed)
    await expect(setting).to_contain_text("Saved in the app")
    await shoot(admin, "settings-organisation")
    await admin.set_viewport_size(PHONE)
    await admin.get_by_role("button", name="Open menu").click()
    menu = admin.get_by_role("dialog", name=renamed)
    await expect(menu.get_by_role("link", name=re.compile("Your profile"))).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await admin.screenshot(path=str(SCREENSHOTS / "settings-menu-phone.png"))
    await menu.get_by_role("link", name="Settings").click()
    await expect(menu).to_have_count(0)
    await admin.set_viewport_size(DESKTOP)

    # and the next invitation email carries the new name
    email = f"renamed-{token.lower()}@example.com"
    await invite(admin, email, "ADMIN")
    message = await mail_crm.wait_for(email)
    assert renamed in str(message["Subject"])
    assert f"{renamed}'s CRM as an administrator" in text_of(message)

    # when the administrator puts the environment's value back
    await admin.goto("/settings")
    await setting.get_by_role("button", name="Use the environment's value").click()
    await expect(brand(admin)).to_have_text(ORGANISATION)
    await expect(name_field).to_have_value(ORGANISATION)
    await expect(setting).to_contain_text("From the environment")


async def test_mail_settings_show_the_server_and_send_a_test_email(
    admin: Page, mail_crm: MailCrm, shoot: Shoot, token: str
) -> None:
    # given the Mail settings of a CRM with a mail server
    await admin.goto("/settings/mail")
    await expect(admin.locator(".mail-server-url")).to_have_text(
        re.compile(r"^smtp://127\.0\.0\.1:\d+$")
    )

    # when the administrator sends a test email
    address = f"test-{token.lower()}@example.com"
    await admin.get_by_label("Send to").fill(address)
    await admin.get_by_role("button", name="Send a test email").click()

    # then the page says the mail server took it, and it arrived
    await expect(admin.get_by_role("status").filter(has_text="Sent:")).to_contain_text(
        f"the mail server accepted the test email to {address}"
    )
    await mail_crm.wait_for(address)
    await shoot(admin, "settings-mail")


async def test_test_email_without_a_mail_server_says_it_is_only_logged(
    browser: Browser, fresh_crm: FreshCrm, shoot: Shoot
) -> None:
    # given a CRM with no mail server (its first administrator created from the setup link)
    context = await new_context(browser, fresh_crm.base, None)
    page = await context.new_page()
    await sign_in_or_set_up(page, fresh_crm)

    # when the administrator sends a test email from the Mail settings
    await page.goto("/settings/mail")
    await expect(page.get_by_text("No mail server is configured")).to_be_visible()
    await page.get_by_label("Send to").fill("someone@example.com")
    await page.get_by_role("button", name="Send a test email").click()

    # then the page says it was logged, not sent
    await expect(page.get_by_role("status")).to_contain_text(
        "Logged, not sent: with no mail server, the test email to someone@example.com"
    )
    await shoot(page, "settings-mail-no-server")
    await context.close()


async def sign_in_or_set_up(page: Page, crm: FreshCrm) -> None:
    """Signs in as the first run's administrator, creating them if the first-run test did not."""
    data = await api(page, "{ firstRun { needed } }")
    if data["firstRun"]["needed"]:
        token = crm.setup_link().split("token=", 1)[1]
        await api(
            page,
            "mutation($i: CompleteSetupInput!) { completeSetup(input: $i) { user { id } } }",
            i={
                "token": token,
                "organisationName": "Kestrel Row Partners",
                "defaultCountry": "FR",
                "name": "Ada Founder",
                "email": "founder@kestrel.example",
                "password": PASSWORD,
            },
        )
        return
    await api(
        page,
        "mutation($i: LoginInput!) { login(input: $i) { user { id } } }",
        i={"email": "founder@kestrel.example", "password": PASSWORD},
    )


async def test_the_logo_shows_in_the_navigation_the_sign_in_page_and_emails(
    admin: Page, browser: Browser, mail_crm: MailCrm, shoot: Shoot, token: str, tmp_path: Path
) -> None:
    from PIL import Image

    # given a logo file, and a text file dressed up as one
    logo = tmp_path / "logo.png"
    Image.new("RGB", (600, 200), (30, 90, 160)).save(logo)
    fake = tmp_path / "fake.png"
    fake.write_text("<script>alert(1)</script>")
    await admin.goto("/settings")
    chooser = admin.get_by_label(re.compile("Choose a logo|Replace the logo"))

    # when the administrator chooses the fake one, it is refused with the reason
    await chooser.set_input_files(str(fake))
    await expect(admin.get_by_role("alert")).to_contain_text("not a PNG")

    # when they choose the real one
    await chooser.set_input_files(str(logo))

    # then it shows in Settings and in the navigation at once
    await expect(admin.get_by_role("status").filter(has_text="The logo is saved")).to_be_visible()
    await expect(admin.get_by_alt_text("The current logo")).to_be_visible()
    nav_logo = admin.locator(".sidebar .brand-logo")
    await expect(nav_logo).to_be_visible()
    assert await nav_logo.evaluate("image => image.naturalWidth") == 512
    await shoot(admin, "settings-logo")

    # and on the sign-in page, and at the top of the next email
    context = await browser.new_context(base_url=mail_crm.base)
    visitor = await context.new_page()
    await visitor.goto("/sign-in")
    await expect(visitor.locator(".signin-logo")).to_be_visible()
    await context.close()
    email = f"logo-{token.lower()}@example.com"
    await invite(admin, email, "MEMBER")
    message = await mail_crm.wait_for(email)
    html = message.get_body(preferencelist=("html",))
    assert html is not None and "/logo.png?v=" in html.get_content()

    # when they remove it, the navigation shows the name alone again
    await admin.goto("/settings")
    await admin.get_by_role("button", name="Remove").click()
    await expect(admin.get_by_role("status").filter(has_text="The logo is removed")).to_be_visible()
    await expect(nav_logo).to_have_count(0)
