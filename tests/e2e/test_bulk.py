"""Lists that act on a whole view: a selection kept across pages, "Select all N matching", bulk
actions with their confirmation, progress and outcome, Undo after archiving, and the primary
contact's role when archiving and restoring."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Page, Route, expect

from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, GraphQL, Shoot
from tests.e2e.test_app import create_company, create_contact
from tests.e2e.test_contact_menu import options_button

COUNT_WITH_STATUS = """
query($search: String!, $status: [ContactStatus!]) {
  contacts(search: $search, filter: { status: $status }) { totalCount }
}"""
CONTACT = """query($id: ID!) {
  contact(id: $id) { archived isPrimaryContact company { primaryContact { id } } }
}"""
SET_PRIMARY = """mutation($id: ID!) {
  setPrimaryContact(input: { contactId: $id }) { errors { message } }
}"""


def bar_count(page: Page, text: str):
    return page.locator(".bulk-bar").get_by_text(text, exact=True)


async def choose_action(page: Page, count: str, action: str) -> None:
    await page.get_by_role("button", name=f"Actions for {count}").click()
    await page.get_by_role("menuitem", name=action).click()


async def show_progress_once(page: Page) -> None:
    """Lets the first poll of a bulk operation say it is half done, as a long one would be,
    so the progress shows however quickly the server finishes the work."""
    shown = False

    async def halfway(route: Route) -> None:
        nonlocal shown
        response = await route.fetch()
        body = await response.json()
        operation = (body.get("data") or {}).get("bulkOperation")
        if operation and not shown:
            shown = True
            operation.update(state="RUNNING", processed=operation["total"] // 2)
        await route.fulfill(response=response, body=json.dumps(body))

    async def route_polls(route: Route) -> None:
        if "query BulkOperation(" in (route.request.post_data or ""):
            await halfway(route)
        else:
            await route.fallback()

    await page.route("**/graphql", route_polls)


async def test_selection_survives_paging_and_select_all_matching_sets_a_status(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given 30 leads and 5 prospects sharing a word, 25 to a page
    for number in range(30):
        await create_contact(gql, firstName=f"L{number:02d}", lastName=token)
    for number in range(5):
        await create_contact(
            gql,
            firstName=f"P{number}",
            lastName=token,
            type="PROSPECT",
            email=f"p{number}.{token.lower()}@example.com",
            sendInvite=False,
        )
    await page.goto(f"/contacts?q={token}&type=LEAD")

    # when one is ticked on each of two pages
    await page.get_by_role("checkbox", name=f"Select L00 {token}").check()
    await page.get_by_role("link", name="Next →").click()
    await page.get_by_role("checkbox", name=f"Select L27 {token}").check()

    # then both stay selected, whichever page is shown
    await expect(bar_count(page, "2 selected")).to_be_visible()
    await page.get_by_role("link", name="← Previous").click()
    await expect(page.get_by_role("checkbox", name=f"Select L00 {token}")).to_be_checked()
    await expect(bar_count(page, "2 selected")).to_be_visible()

    # when the page is ticked and then "Select all 30 matching"
    await page.get_by_role("checkbox", name="Select all contacts on this page").check()
    await expect(bar_count(page, "26 selected")).to_be_visible()
    await page.get_by_role("button", name="Select all 30 matching").click()

    # then the whole view is selected, less a row unticked on the second page
    await expect(bar_count(page, "30 selected")).to_be_visible()
    await page.get_by_role("link", name="Next →").click()
    await expect(page.get_by_role("checkbox", name=f"Select L29 {token}")).to_be_checked()
    await page.get_by_role("checkbox", name=f"Select L29 {token}").uncheck()
    await expect(bar_count(page, "29 selected")).to_be_visible()
    await shoot(page, "contacts-bulk-bar")  # -phone.png: the bar at 390 px
    await page.set_viewport_size(PHONE)
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await page.set_viewport_size(DESKTOP)

    # when their status is set to Contacted, the progress followed to its end
    await show_progress_once(page)
    await choose_action(page, "29 contacts", "Set status…")
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("Status").select_option(label="Contacted")
    await dialog.get_by_role("button", name="Continue").click()
    await expect(dialog).to_contain_text("All 29 will be set to Contacted.")
    await shoot(page, "contacts-bulk-confirm")
    await dialog.get_by_role("button", name="Change 29 contacts").click()

    # then the bar shows the progress, then the outcome, and the list has changed
    await expect(
        page.get_by_role("status").filter(has_text="Setting status… 14 of 29")
    ).to_be_visible()
    await page.screenshot(path=str(SCREENSHOTS / "contacts-bulk-progress-desktop.png"))
    # (a background job: a loaded machine may take a few seconds)
    outcome = page.get_by_text(re.compile("29 contacts changed"))
    await expect(outcome).to_be_visible(timeout=15_000)
    contacted = await gql(COUNT_WITH_STATUS, search=token, status=["CONTACTED"])
    assert contacted["contacts"]["totalCount"] == 29
    new = await gql(COUNT_WITH_STATUS, search=token, status=["NEW"])
    assert new["contacts"]["totalCount"] == 6  # the one unticked, and the prospects
    await expect(
        page.locator(".bulk-bar").get_by_role("button", name="Clear selection")
    ).to_have_count(0)

    # and another filter starts with nothing selected
    await page.get_by_role("checkbox", name=f"Select L25 {token}").check()
    await expect(bar_count(page, "1 selected")).to_be_visible()
    show = page.get_by_role("combobox", name=re.compile("^Show"))
    await show.select_option("archived")
    await show.select_option("active")
    await page.get_by_role("link", name="Next →").click()
    await expect(page.get_by_role("checkbox", name=f"Select L25 {token}")).not_to_be_checked()
    await expect(page.locator(".bulk-count")).to_have_count(0)


async def test_invitations_say_how_many_will_not_be_invited_and_why(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given three clients with an email and two leads without one
    for name in ("Ada", "Bea", "Cy"):
        await create_contact(
            gql,
            firstName=name,
            lastName=token,
            type="CLIENT",
            email=f"{name.lower()}.{token.lower()}@example.com",
            sendInvite=False,
        )
    for name in ("Dan", "Eve"):
        await create_contact(gql, firstName=name, lastName=token)
    await page.goto(f"/contacts?q={token}")

    # when all five are invited
    await page.get_by_role("checkbox", name="Select all contacts on this page").check()
    await choose_action(page, "5 contacts", "Send or resend invitations…")

    # then the confirmation says who will not be, and why
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("3 of 5 will be invited.")
    explanation = dialog.get_by_text(re.compile("will not be invited"))
    await expect(explanation).to_have_text(re.compile(r"^2 of 5 will not be invited: [a-z].*\w\.$"))
    await shoot(page, "contacts-bulk-invite")

    # when confirmed, three are invited
    await dialog.get_by_role("button", name="Invite 3 contacts").click()
    outcome = page.get_by_text(re.compile(r"Sent 3 invitations\. 2 contacts left as they were"))
    await expect(outcome).to_be_visible()


async def test_delete_asks_for_the_number_typed(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given three contacts selected on a phone, which has no header checkbox
    for name in ("Ann", "Ben", "Cal"):
        await create_contact(gql, firstName=name, lastName=token)
    await page.set_viewport_size(PHONE)
    await page.goto(f"/contacts?q={token}")
    await page.get_by_role("button", name="Select this page").click()
    await expect(bar_count(page, "3 selected")).to_be_visible()

    # when Delete is chosen, the button waits for the number
    await choose_action(page, "3 contacts", "Delete permanently…")
    dialog = page.get_by_role("dialog")
    delete = dialog.get_by_role("button", name="Delete 3 contacts")
    await expect(dialog).to_contain_text("It cannot be undone.")
    await expect(delete).to_be_disabled()
    await dialog.get_by_label("Type 3 to confirm").fill("2")
    await expect(delete).to_be_disabled()
    await dialog.get_by_label("Type 3 to confirm").fill("3")
    await shoot(page, "contacts-bulk-delete")
    await delete.click()

    # then they are gone
    await expect(page.get_by_text("Deleted 3 contacts.")).to_be_visible()
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(0)


async def test_archive_one_then_undo_by_keyboard(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a contact in the list
    contact = await create_contact(gql, firstName="Una", lastName=token)
    name = contact["fullName"]
    await page.goto(f"/contacts?q={token}")

    # when archived from its row's menu
    await options_button(page, name).click()
    await page.get_by_role("menuitem", name="Archive").click()

    # then a polite toast offers Undo, without taking the focus
    toast = page.locator(".toast-region")
    await expect(toast).to_have_attribute("aria-live", "polite")
    await expect(toast).to_contain_text(f"{name} archived.")
    undo = toast.get_by_role("button", name="Undo")
    await expect(undo).to_be_visible()
    assert not await toast.evaluate("region => region.contains(document.activeElement)")
    await expect(page.get_by_role("link", name=name)).to_have_count(0)
    await shoot(page, "contacts-undo-toast")

    # when Undo is reached by keyboard and pressed
    await undo.focus()
    await page.keyboard.press("Enter")

    # then the contact is back
    await expect(toast).to_contain_text(f"{name} restored.")
    await expect(page.get_by_role("link", name=name)).to_be_visible()
    assert (await gql(CONTACT, id=contact["id"]))["contact"]["archived"] is False


async def test_bulk_archive_of_ticked_rows_can_be_undone(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given two of three contacts ticked
    for name in ("Ari", "Bo", "Cleo"):
        await create_contact(gql, firstName=name, lastName=token)
    await page.goto(f"/contacts?q={token}")
    await page.get_by_role("checkbox", name=f"Select Ari {token}").check()
    await page.get_by_role("checkbox", name=f"Select Bo {token}").check()

    # when they are archived from the bar
    await choose_action(page, "2 contacts", "Archive…")
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("All 2 will be archived.")
    await dialog.get_by_role("button", name="Archive 2 contacts").click()
    toast = page.locator(".toast-region")
    await expect(toast).to_contain_text("Archived 2 contacts.")
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(1)

    # then Undo brings exactly those two back
    await toast.get_by_role("button", name="Undo").click()
    await expect(toast).to_contain_text("Restored 2 contacts.")
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(3)


async def test_archiving_a_primary_contact_warns_and_restoring_offers_the_role_back(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given the primary contact of a company
    company = await create_company(gql, f"{token} Freight")
    contact = await create_contact(gql, firstName="Pia", lastName=token, companyId=company["id"])
    await gql(SET_PRIMARY, id=contact["id"])
    name = contact["fullName"]
    await page.goto(f"/contacts?q={token}")

    # when archived from its row's menu, the confirmation says what the company loses
    await options_button(page, name).click()
    await page.get_by_role("menuitem", name="Archive…").click()
    dialog = page.get_by_role("dialog", name=f"Archive {name}?")
    await expect(dialog).to_contain_text(f"{name} is the primary contact of {company['name']}")
    await expect(dialog).to_contain_text("will have no primary contact")
    await shoot(page, "contacts-archive-primary")
    await dialog.get_by_role("button", name="Archive").click()
    toast = page.locator(".toast-region")
    await expect(toast).to_contain_text(f"{company['name']} has no primary contact now.")
    await toast.get_by_role("button", name="Dismiss").click()

    # when restored from the archived contacts
    await page.get_by_role("combobox", name=re.compile("^Show")).select_option("archived")
    await options_button(page, name).click()
    await page.get_by_role("menuitem", name="Restore").click()

    # then the notice offers to make them primary again, which works
    offer = page.get_by_role("button", name=f"Make {name} its primary contact")
    await expect(offer).to_be_visible()
    await offer.click()
    await expect(
        page.get_by_text(f"{name} is the primary contact of {company['name']} again.")
    ).to_be_visible()
    state = (await gql(CONTACT, id=contact["id"]))["contact"]
    assert state == {
        "archived": False,
        "isPrimaryContact": True,
        "company": {"primaryContact": {"id": contact["id"]}},
    }

    # and archiving them with the bar says the same before anything is done
    await page.get_by_role("combobox", name=re.compile("^Show")).select_option("active")
    await page.get_by_role("checkbox", name=f"Select {name}").check()
    await choose_action(page, "1 contact", "Archive…")
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text(f"{company['name']} will have no primary contact")
    await dialog.get_by_role("button", name="Cancel").click()
    assert (await gql(CONTACT, id=contact["id"]))["contact"]["isPrimaryContact"] is True


async def test_archive_from_the_contact_page_offers_undo_there_too(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given a contact's page
    contact = await create_contact(gql, firstName="Ola", lastName=token)
    name = contact["fullName"]
    await page.goto(f"/contacts?q={token}")
    await page.get_by_role("link", name=name).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(name)

    # when archived from its Actions menu
    await page.get_by_role("button", name="Actions").click()
    await page.get_by_role("menuitem", name="Archive").click()

    # then Undo is offered on the page, and brings the contact back
    toast = page.locator(".toast-region")
    await expect(toast).to_contain_text(f"{name} archived.")
    await toast.get_by_role("button", name="Undo").click()
    await expect(toast).to_contain_text(f"{name} restored.")
    assert (await gql(CONTACT, id=contact["id"]))["contact"]["archived"] is False
