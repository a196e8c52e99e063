"""The global search: Ctrl+K (or "/" outside text fields, or the Search button) opens a palette
that finds contacts, companies, groups, segments and products, worked by keyboard."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Locator, Page, expect

from tests.e2e.conftest import PHONE, SCREENSHOTS, GraphQL, Shoot
from tests.e2e.test_app import create_contact

CREATE_COMPANY = """
mutation($input: CreateCompanyInput!) {
  createCompany(input: $input) { company { id name } errors { field message } }
}"""


async def shipping_company_with_two_clients(gql: GraphQL, token: str) -> dict[str, str]:
    """A company named after the test's token in Rotterdam, and two of its people."""
    created = await gql(
        CREATE_COMPANY, input={"name": f"{token} Shipping", "address": {"city": "Rotterdam"}}
    )
    company = created["createCompany"]["company"]
    for first, last in [("Maja", "Jansen"), ("Pieter", "de Vries")]:
        await create_contact(
            gql,
            firstName=first,
            lastName=f"{last} {token}",
            email=f"{first.lower()}@{token.lower()}-shipping.example",
            companyId=company["id"],
            sendInvite=False,
        )
    return company


def palette(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Search")


def option(page: Page, name: str | re.Pattern[str]) -> Locator:
    return palette(page).get_by_role("option", name=name)


# Presses Ctrl+K the instant the Search button is put on the page (before the browser paints it).
PRESS_CTRL_K_AS_THE_SEARCH_BUTTON_SHOWS = """
new MutationObserver((changes, observer) => {
  if (!document.querySelector('button[aria-label="Search"]')) return;
  observer.disconnect();
  const press = { key: "k", ctrlKey: true, bubbles: true, cancelable: true };
  document.body.dispatchEvent(new KeyboardEvent("keydown", press));
}).observe(document, { childList: true, subtree: true });
"""


async def test_ctrl_k_pressed_the_instant_the_navigation_shows_opens_the_search(
    page: Page,
) -> None:
    # given a key press waiting for the navigation to show
    await page.add_init_script(PRESS_CTRL_K_AS_THE_SEARCH_BUTTON_SHOWS)

    # when the Home page opens
    await page.goto("/home")

    # then the search opened
    await expect(palette(page).get_by_role("combobox")).to_be_focused()


async def test_ctrl_k_finds_a_company_and_its_people_and_enter_opens_it(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a company and two of its people
    company = await shipping_company_with_two_clients(gql, token)
    await page.goto("/home")
    # the page drawn, as a user sees it before reaching for the keyboard
    await expect(page.get_by_role("heading", name="Home", level=1)).to_be_visible()
    search_button = page.get_by_role("complementary").get_by_role("button", name="Search")
    await expect(search_button).to_contain_text(re.compile(r"Ctrl K|⌘K"))

    # when Ctrl+K is pressed and part of the company's name typed
    await page.keyboard.press("Control+k")
    box = palette(page).get_by_role("combobox")
    await expect(box).to_be_focused()
    await box.press_sequentially(token[:7].lower())

    # then its people and the company are listed, each under its kind
    contacts = palette(page).get_by_role("group", name="Contacts")
    await expect(contacts.get_by_role("option")).to_have_text(
        [
            re.compile(f"Pieter de Vries {token}pieter@.*{token} Shipping"),
            re.compile(f"Maja Jansen {token}maja@"),
            f"See all 2 contacts matching “{token[:7].lower()}”",
        ]
    )
    companies = palette(page).get_by_role("group", name="Companies")
    await expect(companies.get_by_role("option")).to_have_text([f"{token} ShippingRotterdam"])
    await expect(option(page, re.compile("Pieter de Vries"))).to_have_attribute(
        "aria-selected", "true"
    )
    await shoot(page, "global-search")

    # when the arrow keys move down to the company and Enter is pressed
    for _ in range(3):
        await box.press("ArrowDown")
    await expect(option(page, f"{token} Shipping Rotterdam")).to_have_attribute(
        "aria-selected", "true"
    )
    await expect(box).to_have_attribute(
        "aria-activedescendant", await companies.get_by_role("option").get_attribute("id") or ""
    )
    await box.press("Enter")

    # then the company's page is open and the palette gone
    await expect(page).to_have_url(re.compile(f"/companies/{re.escape(company['id'])}"))
    await expect(page.get_by_role("heading", name=company["name"], level=1)).to_be_visible()
    await expect(palette(page)).to_have_count(0)


async def test_slash_opens_it_from_the_contacts_list_and_escape_gives_the_focus_back(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given the contacts list, the focus on a link in it
    await shipping_company_with_two_clients(gql, token)
    await page.goto(f"/contacts?q={token}")
    link = page.get_by_role("link", name=f"Maja Jansen {token}")
    await link.focus()

    # when "/" is pressed, then Escape
    await page.keyboard.press("/")
    await expect(palette(page).get_by_role("combobox")).to_be_focused()
    await page.keyboard.press("Escape")

    # then the palette is gone and the focus is back on the link
    await expect(palette(page)).to_have_count(0)
    await expect(link).to_be_focused()

    # and "/" typed in the list's search box is text, not the shortcut
    list_search = page.get_by_role("searchbox", name="Search contacts")
    await list_search.focus()
    await page.keyboard.press("/")
    await expect(palette(page)).to_have_count(0)


async def test_only_results_for_the_text_in_the_box_open_and_see_all_opens_the_list(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given the palette showing the company's people
    await shipping_company_with_two_clients(gql, token)
    await page.goto("/home")
    await expect(page.get_by_role("heading", name="Home", level=1)).to_be_visible()
    await expect(
        page.get_by_role("complementary").get_by_role("button", name="Search")
    ).to_be_visible()
    await page.keyboard.press("Control+k")
    box = palette(page).get_by_role("combobox")
    await box.press_sequentially(token)
    await expect(option(page, re.compile("Maja Jansen"))).to_be_visible()

    # when a letter is added and Enter pressed at once
    await box.press("q")
    await box.press("Enter")

    # then nothing opens: the results were for other text, and the new text finds nothing
    await expect(palette(page).get_by_role("status")).to_have_text(f"Nothing matches “{token}q”.")
    await expect(page).to_have_url(re.compile("/home$"))

    # when the letter is taken back and "See all" chosen with the arrow keys
    await box.press("Backspace")
    see_all = option(page, f"See all 2 contacts matching “{token}”")
    await expect(see_all).to_be_visible()
    await box.press("ArrowDown")
    await box.press("ArrowDown")
    await expect(see_all).to_have_attribute("aria-selected", "true")
    await box.press("Enter")

    # then the contacts list is searched for the same text
    await expect(page).to_have_url(re.compile(rf"/contacts\?q={token}$"))
    await expect(page.get_by_role("link", name=f"Pieter de Vries {token}")).to_be_visible()


async def test_on_a_phone_it_fills_the_screen_and_opens_from_the_top_bar(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given a phone-sized screen
    await shipping_company_with_two_clients(gql, token)
    await page.set_viewport_size(PHONE)
    await page.goto("/home")

    search_button = page.get_by_role("banner").get_by_role("button", name="Search")
    await expect(page.get_by_role("heading", name="Home", level=1)).to_be_visible()
    await expect(search_button).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / "global-search-button-390.png"))

    # when the top bar's search button is tapped and a name typed
    await search_button.click()
    await palette(page).get_by_role("combobox").press_sequentially(f"Pieter de Vries {token}")
    await expect(option(page, re.compile("^Pieter de Vries"))).to_be_visible()

    # then the palette fills the screen, and Close puts it away
    box = await palette(page).bounding_box()
    assert box is not None
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 844)
    await page.screenshot(path=str(SCREENSHOTS / "global-search-390.png"))
    await palette(page).get_by_role("button", name="Close").click()
    await expect(palette(page)).to_have_count(0)
