"""The browser app against a real server: sign-in, contacts, companies."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Browser, Page, expect

from tests.e2e.conftest import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    GraphQL,
    Shoot,
    crm_server,
    new_context,
    require_e2e,
    staff_session,
)

CREATE_CONTACT = """
mutation($input: CreateContactInput!) {
  createContact(input: $input) { contact { id fullName } errors { field message } }
}"""
CREATE_COMPANY = """
mutation($input: CreateCompanyInput!) {
  createCompany(input: $input) { company { id name } errors { field message } }
}"""


async def create_contact(gql: GraphQL, **fields: object) -> dict[str, str]:
    payload = (await gql(CREATE_CONTACT, input=fields))["createContact"]
    assert payload["errors"] == []
    return payload["contact"]


async def create_company(gql: GraphQL, name: str) -> dict[str, str]:
    payload = (await gql(CREATE_COMPANY, input={"name": name}))["createCompany"]
    assert payload["errors"] == []
    return payload["company"]


def field_error(page: Page, label: str):
    """The error shown beside the control named `label`."""
    control = page.get_by_label(label, exact=True).or_(page.get_by_role("textbox", name=label))
    return page.locator(".field", has=control).locator(".field-error")


async def test_sign_in_wrong_password_and_sign_out(anon_page: Page, shoot: Shoot) -> None:
    page = anon_page
    await page.goto("/contacts")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await shoot(page, "sign-in")

    await page.get_by_role("textbox", name="Email", exact=True).fill(ADMIN_EMAIL)
    await page.get_by_label("Password", exact=True).fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text(
        re.compile("password|incorrect|wrong", re.I)
    )
    await expect(page.get_by_role("textbox", name="Email", exact=True)).to_have_value(ADMIN_EMAIL)
    await shoot(page, "sign-in-error")

    await page.get_by_label("Password", exact=True).fill(ADMIN_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Contacts", exact=True)).to_be_visible()
    await expect(page).to_have_url(re.compile(r"/contacts$"))

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await page.goto("/companies")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await expect(page.get_by_text("Your session has expired")).to_have_count(0)


async def test_session_expired_sends_back_to_sign_in(page: Page, shoot: Shoot) -> None:
    await page.goto("/contacts")
    await expect(page.get_by_role("heading", name="Contacts", exact=True)).to_be_visible()
    await page.context.clear_cookies()
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Companies").click()
    await expect(page.get_by_text("Your session has expired, sign in again")).to_be_visible()
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await shoot(page, "session-expired")


async def test_create_contact_with_phones_in_two_countries(
    page: Page, shoot: Shoot, token: str
) -> None:
    await page.goto("/contacts")
    await page.get_by_role("link", name="Add contact").click()
    await expect(page.get_by_role("heading", name="New contact")).to_be_visible()
    await page.get_by_label("Title", exact=True).select_option("DR")
    await page.get_by_label("First name", exact=True).fill("Ada")
    await page.get_by_role("textbox", name="Last name", exact=True).fill(token)

    await page.get_by_label("Phone 1 country", exact=True).select_option("GB")
    await page.get_by_label("Phone 1 number", exact=True).press_sequentially("07400123456")
    await expect(page.get_by_label("Phone 1 number", exact=True)).to_have_value("07400 123456")

    await page.get_by_role("button", name="Add phone number").click()
    await page.get_by_label("Phone 2 type", exact=True).select_option("OFFICE")
    await page.get_by_label("Phone 2 country", exact=True).select_option("FR")
    await page.get_by_label("Phone 2 number", exact=True).press_sequentially("0612345678")
    await expect(page.get_by_label("Phone 2 number", exact=True)).to_have_value("06 12 34 56 78")
    # A phone ticks the phone preference by itself.
    await expect(page.get_by_role("checkbox", name="Phone")).to_be_checked()
    await expect(page.get_by_role("checkbox", name="Email")).not_to_be_checked()
    await shoot(page, "contact-form")

    await page.get_by_role("button", name="Create contact").click()
    await expect(page.get_by_role("heading", name=f"Dr Ada {token}")).to_be_visible()
    await expect(page.get_by_text("+44 7400 123456")).to_be_visible()
    await expect(page.get_by_text("+33 6 12 34 56 78")).to_be_visible()
    await expect(page.get_by_role("region", name="Portal access")).to_be_visible()
    await expect(page.get_by_role("region", name="Timeline")).to_be_visible()
    await shoot(page, "contact-page")

    await page.get_by_role("link", name="Contacts", exact=True).first.click()
    await page.get_by_role("searchbox", name="Search contacts").fill(token)
    row = page.get_by_role("row", name=re.compile(token))
    await expect(row).to_contain_text("+44 7400 123456")


@pytest.fixture(scope="session")
def sms_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A CRM of its own with SMS enabled (the shared one has it off, the default)."""
    require_e2e()
    with crm_server(
        tmp_path_factory.mktemp("e2e-sms"), env_overrides={"CRM_SMS_ENABLED": "1"}
    ) as base:
        yield base


@pytest_asyncio.fixture
async def sms_page(browser: Browser, sms_server: str) -> AsyncIterator[Page]:
    """A signed-in staff page on the CRM with SMS enabled."""
    context = await new_context(browser, sms_server, await staff_session(browser, sms_server))
    page = await context.new_page()
    yield page
    await context.close()


async def test_an_other_number_that_is_a_mobile_ticks_sms_as_the_server_does(
    sms_page: Page, token: str
) -> None:
    # given a new contact whose one phone is of type Other
    page = sms_page
    await page.goto("/contacts/new")
    await page.get_by_role("textbox", name="Last name", exact=True).fill(token)
    await page.get_by_label("Phone 1 type", exact=True).select_option("OTHER")
    await page.get_by_label("Phone 1 country", exact=True).select_option("GB")
    number = page.get_by_label("Phone 1 number", exact=True)
    sms = page.get_by_role("checkbox", name="SMS", exact=True)

    # when the number is a landline, then only the phone channel is ticked
    await number.press_sequentially("02079460018")
    await expect(page.get_by_role("checkbox", name="Phone", exact=True)).to_be_checked()
    await expect(sms).not_to_be_checked()

    # when it is a mobile, then SMS is ticked too, as the server will tick it
    await number.fill("")
    await number.press_sequentially("07400123456")
    await expect(sms).to_be_checked()
    await page.get_by_role("button", name="Create contact").click()
    await expect(page.get_by_role("heading", name=token)).to_be_visible()
    await expect(page.get_by_role("list", name="Consent history")).to_contain_text("SMS: given")


async def test_server_errors_appear_beside_the_email_field(
    page: Page, gql: GraphQL, token: str
) -> None:
    taken = f"{token.lower()}@example.com"
    await create_contact(gql, lastName=f"{token}Taken", email=taken)

    await page.goto("/contacts/new")
    await page.get_by_role("textbox", name="Last name", exact=True).fill(token)
    await expect(page.get_by_text("Required for prospects and clients.")).to_be_visible()
    await page.get_by_label("Type", exact=True).select_option("CLIENT")
    await expect(page.get_by_text("Required for a client.")).to_be_visible()
    await page.get_by_role("button", name="Create contact").click()
    await expect(field_error(page, "Email")).to_be_visible()
    await expect(page.get_by_role("textbox", name="Email", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    # Nothing typed is lost.
    await expect(page.get_by_role("textbox", name="Last name", exact=True)).to_have_value(token)

    await page.get_by_role("textbox", name="Email", exact=True).fill(taken.upper())
    await page.get_by_role("button", name="Create contact").click()
    await expect(field_error(page, "Email")).to_contain_text(re.compile("already|exists|use", re.I))
    await expect(page.get_by_label("Type", exact=True)).to_have_value("CLIENT")
    await expect(page.get_by_role("textbox", name="Last name", exact=True)).to_have_value(token)


async def test_invalid_phone_number_error_beside_that_row(page: Page, token: str) -> None:
    await page.goto("/contacts/new")
    await page.get_by_role("textbox", name="Last name", exact=True).fill(token)
    await page.get_by_label("Phone 1 country", exact=True).select_option("GB")
    await page.get_by_label("Phone 1 number", exact=True).fill("12")
    await page.get_by_role("button", name="Create contact").click()
    await expect(field_error(page, "Phone 1 number")).to_be_visible()
    await expect(page.get_by_label("Phone 1 number", exact=True)).to_have_value("12")


async def test_quick_add_company_from_the_contact_form(page: Page, token: str) -> None:
    await page.goto("/contacts/new")
    await page.get_by_role("textbox", name="Last name", exact=True).fill(token)
    await page.get_by_role("button", name="Add quick company").click()
    await page.get_by_label("New company name", exact=True).fill(f"{token} Ltd")
    await page.get_by_role("button", name="Add company", exact=True).click()
    await expect(page.get_by_label("Company", exact=True)).to_have_value(re.compile(".+"))
    await expect(page.get_by_label("Company", exact=True).locator("option:checked")).to_have_text(
        f"{token} Ltd"
    )
    await page.get_by_role("button", name="Create contact").click()
    await page.get_by_role("main").get_by_role("link", name=f"{token} Ltd").click()
    await expect(page.get_by_role("heading", name=f"{token} Ltd")).to_be_visible()
    await expect(page.get_by_role("link", name=token)).to_be_visible()


async def test_set_primary_contact_moves_the_badge(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    company = await create_company(gql, f"{token} Holdings")
    alice = await create_contact(gql, firstName="Alice", lastName=token, companyId=company["id"])
    bob = await create_contact(gql, firstName="Bob", lastName=token, companyId=company["id"])

    await page.goto("/companies")
    await page.get_by_role("searchbox", name="Search companies").fill(token)
    await page.get_by_role("link", name=f"{token} Holdings").click()
    contacts = page.get_by_role("region", name=re.compile("^Contacts"))
    alice_item = contacts.get_by_role("listitem").filter(has_text=alice["fullName"])
    bob_item = contacts.get_by_role("listitem").filter(has_text=bob["fullName"])
    await expect(alice_item.get_by_text("Primary contact")).to_have_count(0)

    await page.get_by_role("button", name=f"Set {alice['fullName']} as primary contact").click()
    await expect(alice_item.get_by_text("Primary contact")).to_be_visible()
    await expect(contacts.get_by_role("listitem").first).to_contain_text(alice["fullName"])
    await shoot(page, "company-page")

    # From the contact page's actions menu this time.
    await bob_item.get_by_role("link", name=bob["fullName"]).click()
    # (the company page has an Actions button too: wait for Bob's page)
    await expect(page.get_by_role("heading", level=1)).to_contain_text(bob["fullName"])
    await page.get_by_role("button", name="Actions").click()
    await page.get_by_role("menuitem", name="Set as primary contact").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Primary contact")
    await page.get_by_role("main").get_by_role("link", name=f"{token} Holdings").click()
    await expect(bob_item.get_by_text("Primary contact")).to_be_visible()
    await expect(alice_item.get_by_text("Primary contact")).to_have_count(0)
    await expect(contacts.get_by_role("listitem").first).to_contain_text(bob["fullName"])


async def test_add_contact_from_company_preselects_it(page: Page, gql: GraphQL, token: str) -> None:
    company = await create_company(gql, f"{token} Partners")
    await page.goto("/companies")
    await page.get_by_role("searchbox", name="Search companies").fill(token)
    await page.get_by_role("link", name=company["name"]).click()
    await page.get_by_role("link", name="Add contact").click()
    await expect(page.get_by_label("Company", exact=True).locator("option:checked")).to_have_text(
        company["name"]
    )


async def test_archive_find_under_archived_and_restore(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    await create_contact(gql, firstName="Archie", lastName=token)
    await page.goto(f"/contacts?q={token}")
    row = page.get_by_role("row", name=re.compile(token))
    await expect(row).to_have_count(1)
    await page.get_by_role("checkbox", name=f"Select Archie {token}").check()
    await shoot(page, "contacts-selection")
    await page.get_by_role("button", name="Actions for 1 contact").click()
    await page.get_by_role("menuitem", name="Archive…").click()
    await page.get_by_role("dialog").get_by_role("button", name="Archive 1 contact").click()
    await expect(page.get_by_text("Archived 1 contact.")).to_be_visible()
    await expect(row).to_have_count(0)

    await page.get_by_role("combobox", name=re.compile("^Show")).select_option("archived")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("Archived")
    await page.get_by_role("checkbox", name=f"Select Archie {token}").check()
    await page.get_by_role("button", name="Actions for 1 contact").click()
    await page.get_by_role("menuitem", name="Restore…").click()
    await page.get_by_role("dialog").get_by_role("button", name="Restore 1 contact").click()
    await expect(row).to_have_count(0)
    await page.get_by_role("combobox", name=re.compile("^Show")).select_option("active")
    await expect(row).to_have_count(1)


async def test_delete_needs_the_typed_name(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    contact = await create_contact(gql, firstName="Del", lastName=token)
    await page.goto(f"/contacts?q={token}")
    await page.get_by_role("link", name=contact["fullName"]).click()
    url = page.url
    await page.get_by_role("button", name="Actions").click()
    await shoot(page, "contact-actions-menu")
    await page.get_by_role("menuitem", name="Delete permanently…").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_be_visible()
    confirm = dialog.get_by_role("button", name="Delete permanently")
    await expect(confirm).to_be_disabled()
    await dialog.get_by_label(re.compile("to confirm")).fill("Del")
    await expect(confirm).to_be_disabled()
    await dialog.get_by_label(re.compile("to confirm")).fill(contact["fullName"])
    await shoot(page, "delete-dialog")
    await confirm.click()
    await expect(page).to_have_url(re.compile(r"/contacts$"))
    await expect(page.get_by_text(f"{contact['fullName']} was deleted.")).to_be_visible()
    await page.goto(url)
    await expect(page.get_by_role("heading", name="Contact not found")).to_be_visible()


async def test_search_narrows_the_list_as_you_type(page: Page, gql: GraphQL, token: str) -> None:
    for first in ("Marigold", "Martin", "Zed"):
        await create_contact(gql, firstName=first, lastName=token)
    await page.goto("/contacts")
    search = page.get_by_role("searchbox", name="Search contacts")
    await search.press_sequentially(token, delay=30)
    rows = page.get_by_role("row", name=re.compile(token))
    await expect(rows).to_have_count(3)
    await search.press_sequentially(" mar", delay=60)
    await expect(rows).to_have_count(2)
    await search.press_sequentially("i", delay=60)
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text("Marigold")
    await expect(page).to_have_url(re.compile(r"q=" + token))


async def test_paging_forward_and_back_keeps_its_place(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    for number in range(60):
        await create_contact(gql, firstName=f"P{number:02d}", lastName=token)
    await page.goto(f"/contacts?q={token}")
    first_cell = page.get_by_role("row").nth(1).get_by_role("rowheader")
    await expect(first_cell).to_have_text(f"P00 {token}")
    await shoot(page, "contacts-list")

    await page.get_by_role("link", name="Next →").click()
    await expect(first_cell).to_have_text(f"P25 {token}")
    await expect(page).to_have_url(re.compile("after="))
    await page.get_by_role("link", name="Next →").click()
    await expect(first_cell).to_have_text(f"P50 {token}")
    await expect(page.get_by_role("row")).to_have_count(11)
    await expect(page.get_by_text("Next →")).to_have_attribute("aria-disabled", "true")

    # Into a contact and Back: the same page again.
    await page.get_by_role("link", name=f"P55 {token}").click()
    await expect(page.get_by_role("heading", name=f"P55 {token}")).to_be_visible()
    await page.go_back()
    await expect(first_cell).to_have_text(f"P50 {token}")

    await page.get_by_role("link", name="← Previous").click()
    await expect(first_cell).to_have_text(f"P25 {token}")
    await page.go_back()
    await expect(first_cell).to_have_text(f"P50 {token}")
    await page.get_by_role("link", name="First page").click()
    await expect(first_cell).to_have_text(f"P00 {token}")

    # Sort by name the other way: the URL holds it.
    await page.get_by_role("button", name=re.compile("^Name")).click()
    await expect(first_cell).to_have_text(f"P59 {token}")
    await expect(page).to_have_url(re.compile("dir=DESC"))


async def test_companies_list_form_and_phone_menu(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    await page.goto("/companies")
    await page.get_by_role("link", name="Add company").click()
    await expect(page.get_by_role("heading", name="New company")).to_be_visible()
    await shoot(page, "company-form")
    await page.get_by_role("button", name="Create company").click()
    await expect(field_error(page, "Name")).to_be_visible()
    await page.get_by_role("textbox", name="Name", exact=True).fill(f"{token} Widgets")
    await page.get_by_label("Industry", exact=True).fill("Manufacturing")
    await page.get_by_label("Phone country", exact=True).select_option("GB")
    await page.get_by_label("Phone", exact=True).press_sequentially("02079460018")
    await expect(page.get_by_label("Phone", exact=True)).to_have_value("020 7946 0018")
    await page.get_by_role("button", name="Create company").click()
    await expect(page.get_by_role("heading", name=f"{token} Widgets")).to_be_visible()
    await expect(page.get_by_text("+44 20 7946 0018")).to_be_visible()

    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Companies").click()
    await page.get_by_role("searchbox", name="Search companies").fill(token)
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(1)
    await shoot(page, "companies-list")

    await page.set_viewport_size({"width": 390, "height": 844})
    await page.get_by_role("button", name="Open menu").click()
    menu = page.get_by_role("dialog")
    await expect(menu.get_by_role("link", name="Contacts")).to_be_visible()
    await page.screenshot(path=str(_shots() / "nav-menu-phone.png"))
    await menu.get_by_role("link", name="Contacts").click()
    await expect(page.get_by_role("dialog")).to_have_count(0)
    await expect(page.get_by_role("heading", name="Contacts", exact=True)).to_be_visible()


def _shots():
    from tests.e2e.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
