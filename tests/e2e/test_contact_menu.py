"""The contact options menu: a ⋯ on every contacts-list row, the same menu as the contact page's
Actions, worked by keyboard."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Locator, Page, expect

from tests.e2e.conftest import GraphQL, Shoot
from tests.e2e.test_app import create_company, create_contact

CONTACT_STATE = """query($id: ID!) { contact(id: $id) { archived } }"""


FOCUSED_NAME = """() => {
  const item = document.activeElement;
  return (item.getAttribute("aria-label") || item.textContent).trim();
}"""
MOVED_FROM = f"before => ({FOCUSED_NAME})() !== before"


async def focused_name(page: Page) -> str:
    return await page.evaluate(FOCUSED_NAME)


async def arrow_down_to(page: Page, label: str) -> None:
    """Moves the menu's focus down, one item at a time as a person would (each press after
    the focus moved), to the item named `label`."""
    for _ in range(20):
        if await focused_name(page) == label:
            return
        before = await focused_name(page)
        await page.keyboard.press("ArrowDown")
        await page.wait_for_function(MOVED_FROM, arg=before, timeout=2000)
    pytest.fail(f"no menu item {label!r} reached with the arrow keys")


def options_button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=f"Options for {name}")


async def test_archive_a_row_from_its_options_menu_by_keyboard(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a client of a company in the contacts list
    company = await create_company(gql, f"{token} Shipping International")
    contact = await create_contact(
        gql,
        firstName="Maximiliana",
        lastName=f"Vandenberghe {token}",
        email=f"max.{token.lower()}@northwind-maritime.example",
        type="CLIENT",
        companyId=company["id"],
        sendInvite=False,
    )
    name = contact["fullName"]
    await page.goto(f"/contacts?q={token}")
    button = options_button(page, name)
    await expect(button).to_have_attribute("aria-haspopup", "menu")
    await expect(button).to_have_attribute("aria-expanded", "false")

    # when its options button is opened from the keyboard, then closed with Escape
    await button.focus()
    await page.keyboard.press("Enter")
    menu = page.get_by_role("menu")
    await expect(menu).to_be_visible()
    await expect(button).to_have_attribute("aria-expanded", "true")
    await expect(menu.get_by_role("menuitem", name="Copy link")).to_be_focused()
    await page.keyboard.press("Escape")

    # then the menu is gone and the focus is back on the button
    await expect(menu).to_have_count(0)
    await expect(button).to_be_focused()

    # when it opens again with Space, showing what this contact allows
    await page.keyboard.press(" ")
    await expect(menu.get_by_role("menuitem", name="Copy link")).to_be_focused()
    offered = ["Copy link", "Edit", "Message", "Send portal invitation", "Set as primary contact"]
    for item in offered:
        await expect(menu.get_by_role("menuitem", name=item)).to_be_visible()
    await expect(menu.get_by_role("menuitem", name="Convert to client…")).to_have_count(0)
    # the message icon is there but says why it cannot be used yet
    await arrow_down_to(page, "Message")
    await expect(menu.get_by_role("menuitem", name="Message")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(menu).to_contain_text("Message: Invite them to the portal first")
    await shoot(page, "contact-options-menu")
    # the page itself never scrolls sideways: the table scrolls in its own box
    await page.set_viewport_size({"width": 1280, "height": 800})
    assert await page.evaluate("document.documentElement.scrollWidth") <= 1280

    # when the arrow keys reach Archive and Enter chooses it
    await arrow_down_to(page, "Archive")
    await page.keyboard.press("Enter")

    # then the contact is archived and leaves the list of active contacts
    await expect(page.get_by_role("status").filter(has_text=f"{name} archived.")).to_be_visible()
    await expect(page.get_by_role("link", name=name)).to_have_count(0)
    assert (await gql(CONTACT_STATE, id=contact["id"]))["contact"]["archived"] is True

    # and under "Archived contacts" its menu offers Restore, and messaging says why not
    await page.get_by_role("combobox", name=re.compile("^Show")).select_option("archived")
    await options_button(page, name).click()
    await expect(page.get_by_role("menuitem", name="Restore")).to_be_visible()
    await expect(page.get_by_role("menuitem", name="Message")).to_have_attribute(
        "title", "Message: Archived contacts cannot be messaged: restore them first"
    )
    await expect(page.get_by_role("menuitem", name="View portal as")).to_have_attribute(
        "title", "View portal as: Archived contacts have no portal to view: restore them first"
    )
    await page.get_by_role("menuitem", name="Restore").click()
    await expect(page.get_by_role("status").filter(has_text=f"{name} restored.")).to_be_visible()
    assert (await gql(CONTACT_STATE, id=contact["id"]))["contact"]["archived"] is False


async def test_copy_the_link_to_a_contact_page(
    page: Page, gql: GraphQL, live_server: str, token: str
) -> None:
    # given a lead in the list, and a browser that lets the page use the clipboard
    contact = await create_contact(gql, firstName="Cora", lastName=token)
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    await page.goto(f"/contacts?q={token}")

    # when "Copy link" is chosen from its options menu
    await options_button(page, contact["fullName"]).click()
    await page.get_by_role("menuitem", name="Copy link").click()

    # then the page says so and the clipboard holds the address of the contact's page
    await expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    copied = await page.evaluate("navigator.clipboard.readText()")
    # (the id's padding may come percent-encoded: `=` as %3D, the same address)
    assert unquote(copied) == f"{live_server}/contacts/{contact['id']}"
    await page.goto(copied)
    await expect(page.get_by_role("heading", level=1)).to_contain_text(contact["fullName"])


async def test_the_contact_page_actions_are_the_same_menu(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given a lead's page
    contact = await create_contact(gql, firstName="Leah", lastName=token)
    await page.goto(f"/contacts/{contact['id']}")

    # when its Actions menu opens
    await page.get_by_role("button", name="Actions").click()

    # then it offers the row menu's actions and the page's own
    menu = page.get_by_role("menu")
    offered = ["Copy link", "Edit", "Message", "Log a call", "Add to group…", "Convert to client…"]
    for item in offered:
        await expect(menu.get_by_role("menuitem", name=item)).to_be_visible()
    await expect(menu.get_by_role("menuitem", name="Delete permanently…")).to_be_visible()
    # a lead cannot be invited, so cannot be messaged either
    await expect(menu.get_by_role("menuitem", name="Send portal invitation")).to_have_count(0)
    await menu.get_by_role("menuitem", name="Edit").click()
    await expect(page).to_have_url(re.compile(r"/edit$"))
