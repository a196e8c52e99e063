"""Countries found by name, lists that fit a 1280 px screen, and columns kept per user."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Browser, Page, expect

from tests.e2e.conftest import GraphQL, Shoot, new_context, staff_session
from tests.e2e.test_app import create_company, create_contact

CONTACT_COUNTRY = "query($id: ID!) { contact(id: $id) { address { country } } }"
RESET_COLUMNS = """mutation($input: SetListColumnsInput!, $list: ListName!) {
  setListColumns(input: $input) { user { listColumns(list: $list) } errors { message } } }"""
CREATE = {
    "group": "mutation($i: CreateGroupInput!) { createGroup(input: $i) { errors { message } } }",
    "product": "mutation($i: CreateProductInput!) "
    "{ createProduct(input: $i) { errors { message } } }",
    "segment": "mutation($i: CreateSegmentInput!) "
    "{ createSegment(input: $i) { errors { message } } }",
    "campaign": "mutation($i: CreateCampaignInput!) "
    "{ createCampaign(input: $i) { errors { message } } }",
}
# The table's box and whether anything in it reaches past its right edge.
OVERFLOW = """() => {
  const wrap = document.querySelector('.table-wrap');
  const right = wrap.getBoundingClientRect().right;
  const past = [...wrap.querySelectorAll('thead th')]
    .filter(th => th.getBoundingClientRect().right > right + 0.5)
    .map(th => th.textContent.trim());
  return { scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, past };
}"""
# The column headers' names, without the sort arrow and the unnamed columns.
HEADERS = """() => [...document.querySelectorAll('.table thead th')]
  .map(th => th.textContent.replace(/[▲▼]/g, '').trim())
  .filter(name => name && name !== 'Options')"""


def country_box(page: Page):
    return page.get_by_role("combobox", name="Country", exact=True)


async def saved_country(gql: GraphQL, contact_id: str) -> str | None:
    address = (await gql(CONTACT_COUNTRY, id=contact_id))["contact"]["address"]
    return address["country"] if address else None


async def test_an_address_country_is_found_by_its_name_and_kept_as_its_code(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a contact without an address, open for editing
    contact = await create_contact(gql, firstName="Sven", lastName=f"Svensson {token}")
    edit = f"/contacts/{quote(contact['id'], safe='')}/edit"
    await page.goto(edit)

    # when the country's whole name is typed and the form saved
    await country_box(page).fill("Sweden")
    await page.get_by_role("button", name="Save changes").click()

    # then the page names Sweden and the API holds its code
    await expect(page.get_by_role("heading", name=contact["fullName"])).to_be_visible()
    await expect(page.locator("address")).to_contain_text("Sweden")
    assert await saved_country(gql, contact["id"]) == "SE"

    # when it is cleared, and "swe" typed and picked with the keyboard
    await page.goto(edit)
    box = country_box(page)
    await expect(box).to_have_value("Sweden")
    await page.get_by_role("button", name="Clear Sweden").click()
    await expect(box).to_have_value("")
    await box.press_sequentially("swe")
    options = page.get_by_role("listbox", name="Countries").get_by_role("option")
    await expect(options.first).to_have_text(re.compile("^Sweden"))
    await expect(box).to_have_attribute("aria-expanded", "true")
    assert await box.get_attribute("aria-activedescendant") == await options.first.get_attribute(
        "id"
    )
    await shoot(page, "country-combobox")
    await box.press("Enter")

    # then the box shows the name, and Enter did not submit the form
    await expect(box).to_have_value("Sweden")
    await expect(box).to_have_attribute("aria-expanded", "false")
    await expect(page).to_have_url(re.compile("/edit$"))

    # when the name is typed in another language and an accent left out, then saved
    await box.fill("")
    await box.press_sequentially("osterreich")
    await expect(options.first).to_have_text(re.compile("^Austria · Österreich"))
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("ArrowUp")
    await page.keyboard.press("Enter")
    await expect(box).to_have_value("Austria")
    await page.get_by_role("button", name="Save changes").click()

    # then Austria is saved as AT
    await expect(page.locator("address")).to_contain_text("Austria")
    assert await saved_country(gql, contact["id"]) == "AT"


async def test_text_naming_no_country_puts_the_saved_one_back(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given a contact in France
    contact = await create_contact(
        gql, lastName=f"Dupont {token}", address={"city": "Lyon", "country": "FR"}
    )
    await page.goto(f"/contacts/{quote(contact['id'], safe='')}/edit")
    box = country_box(page)
    await expect(box).to_have_value("France")

    # when text naming no country is typed and Escape pressed, then text naming several
    await box.fill("Sw")
    await expect(page.get_by_role("option", name=re.compile("^Switzerland"))).to_be_visible()
    await box.press("Escape")
    await box.press("Escape")
    await expect(box).to_have_value("France")
    await box.fill("qqq")
    await expect(page.get_by_role("listbox", name="Countries")).to_contain_text(
        "No country matches"
    )
    await page.get_by_label("Town or city").click()

    # then the box goes back to France, which is what is saved
    await expect(box).to_have_value("France")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.locator("address")).to_contain_text("France")
    assert await saved_country(gql, contact["id"]) == "FR"


async def test_the_contacts_country_filter_finds_a_country_by_name(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given a contact in Sweden and one in Norway
    await create_contact(gql, lastName=f"Svensson {token}", address={"country": "SE"})
    await create_contact(gql, lastName=f"Nordmann {token}", address={"country": "NO"})
    await page.goto(f"/contacts?q={token}")
    rows = page.locator(".table-wrap tbody tr")
    await expect(rows).to_have_count(2)

    # when the country filter is opened, "swe" typed, its list closed with Escape and
    # Sweden picked with the arrow key
    await page.get_by_role("button", name="Add filter").click()
    await page.get_by_role("menuitem", name=re.compile("^Country")).click()
    dialog = page.get_by_role("dialog")
    box = dialog.get_by_role("combobox", name="Country")
    await expect(box).to_be_focused()
    await box.press_sequentially("swe")
    await expect(dialog.get_by_role("option")).to_have_count(1)
    await box.press("Escape")
    await expect(box).to_have_attribute("aria-expanded", "false")
    await expect(dialog).to_be_visible()
    await box.press("ArrowDown")
    await box.press("Enter")
    await expect(box).to_have_value("Sweden")
    await dialog.get_by_role("button", name="Apply filter").click()

    # then the filter names Sweden, keeps its code in the address, and finds the one contact
    await expect(page.get_by_role("list", name="Active filters")).to_contain_text("Country: Sweden")
    await expect(page).to_have_url(re.compile("country=SE"))
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text("Svensson")


async def test_every_list_fits_a_1280_screen_and_a_phone(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given rows with long names, emails, companies and phone numbers in every list
    company = await create_company(gql, f"{token} Northwind Maritime Shipping International")
    for number in range(3):
        await create_contact(
            gql,
            firstName="Maximiliana",
            lastName=f"Vandenberghe-Oosterhuis {token}{number}",
            email=f"maximiliana.vandenberghe{number}.{token.lower()}@northwind-maritime.example",
            type="PROSPECT",
            status="UNQUALIFIED",
            companyId=company["id"],
            phones=[{"number": "+44 20 7946 0958", "country": "GB"}],
            sendInvite=number == 0,
        )
    long_name = f"{token} customers of the northern region who came through the spring fair"
    await gql(CREATE["group"], i={"name": long_name, "description": "Signed up at the stand"})
    await gql(CREATE["product"], i={"name": long_name, "code": f"PMC-ONSITE-{token}"})
    await gql(CREATE["campaign"], i={"name": long_name, "subject": "What is new this spring"})
    await gql(CREATE["segment"], i={"name": long_name, "filter": {"type": ["PROSPECT"]}})

    # when each list is opened at 1280x800
    widths = {}
    for path in (
        f"/contacts?q={token}",
        f"/companies?q={token}",
        "/groups",
        "/segments",
        "/products",
        "/campaigns",
        "/invitations",
        "/outbox",
    ):
        await page.goto(path)
        await expect(page.locator(".table-wrap tbody tr").first).to_be_visible()
        widths[path.split("?")[0]] = await page.evaluate(OVERFLOW)

    # then no table is wider than its box: every column, Portal and Last contacted too, shows
    too_wide = {
        path: width
        for path, width in widths.items()
        if width["scrollWidth"] > width["clientWidth"] or width["past"]
    }
    assert too_wide == {}
    await page.goto(f"/contacts?q={token}")
    await expect(page.locator(".table-wrap tbody tr")).to_have_count(3)
    assert {"Portal", "Last contacted"} <= set(await page.evaluate(HEADERS))

    # and on a phone the rows are cards no wider than the screen
    await shoot(page, "contacts-list-fits")
    await page.set_viewport_size({"width": 390, "height": 844})
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= 390
    card = page.locator(".table.cards tbody tr").first
    await expect(card.locator('td[data-label="Portal"]')).to_be_in_viewport()
    await expect(card.locator('td[data-label="Last contacted"]')).to_be_in_viewport()


async def test_the_chosen_columns_follow_the_user_to_another_browser(
    page: Page, gql: GraphQL, browser: Browser, live_server: str, shoot: Shoot, token: str
) -> None:
    # given contacts in the list
    await create_contact(gql, firstName="Colm", lastName=f"Columns {token}")
    await page.goto(f"/contacts?q={token}")
    await expect(page.locator(".table-wrap tbody tr")).to_have_count(1)
    try:
        # when the user hides Email, shows Added, and moves Last contacted first
        await page.get_by_role("button", name="Columns", exact=True).click()
        dialog = page.get_by_role("dialog", name="Columns of the contacts list")
        await dialog.get_by_label("Email", exact=True).uncheck()
        await dialog.get_by_label("Added", exact=True).check()
        up = dialog.get_by_role("button", name="Move Last contacted up")
        while await up.is_enabled():
            await up.click()
        await shoot(page, "column-chooser")
        await dialog.get_by_role("button", name="Save columns").click()
        await expect(dialog).to_have_count(0)

        # then the table has those columns in that order
        chosen = ["Last contacted", "Company", "Type", "Status", "Phone", "Portal", "Added"]
        headers = page.locator(".table thead th")
        await expect(headers.filter(has_text="Added")).to_have_count(1)
        assert await page.evaluate(HEADERS) == ["Name", *chosen]

        # and the Added column sorts the list (an indexed order)
        await headers.get_by_role("button", name="Added").click()
        await expect(page).to_have_url(re.compile("sort=CREATED_AT"))

        # when the same user opens the list in another browser, signed in afresh
        state = await staff_session(browser, live_server)
        other = await new_context(browser, live_server, state)
        elsewhere = await other.new_page()
        await elsewhere.goto(f"/contacts?q={token}")
        await expect(elsewhere.locator(".table thead th").filter(has_text="Added")).to_have_count(1)

        # then the choice is there too
        assert await elsewhere.evaluate(HEADERS) == ["Name", *chosen]
        await other.close()
    finally:
        # The other tests share this user: their lists have the default columns.
        await gql(RESET_COLUMNS, input={"list": "CONTACTS", "columns": None}, list="CONTACTS")
