"""The browser app's filter bar, segments and groups, against a real server."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Locator, Page, expect

from tests.e2e.conftest import PHONE, GraphQL, Shoot
from tests.e2e.test_app import create_company, create_contact

CREATE_GROUP = """
mutation($input: CreateGroupInput!) {
  createGroup(input: $input) { group { id name } errors { field message code } }
}"""
ADD_TO_GROUP = """
mutation($input: GroupMembersInput!) {
  addContactsToGroup(input: $input) { changedCount errors { message } }
}"""
DELETE_GROUP = """
mutation($input: GroupIdInput!) { deleteGroup(input: $input) { deletedId errors { message } } }"""
CREATE_SEGMENT = """
mutation($input: CreateSegmentInput!) {
  createSegment(input: $input) { segment { id name } errors { field message code } }
}"""


async def create_group(gql: GraphQL, name: str, **fields: object) -> dict[str, str]:
    payload = (await gql(CREATE_GROUP, input={"name": name, **fields}))["createGroup"]
    assert payload["errors"] == []
    return payload["group"]


async def add_to_group(gql: GraphQL, group_id: str, contact_ids: list[str]) -> None:
    payload = (await gql(ADD_TO_GROUP, input={"groupId": group_id, "contactIds": contact_ids}))[
        "addContactsToGroup"
    ]
    assert payload["errors"] == []


def field_error(root: Locator, label: str) -> Locator:
    """The error shown beside the control labelled `label` inside `root` (a dialog)."""
    return root.locator(".field", has=root.page.get_by_label(label, exact=True)).locator(
        ".field-error"
    )


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


async def add_filter(page: Page, kind: str) -> None:
    """Opens the Add filter menu and chooses `kind`; the filter's dialog is then open."""
    await page.get_by_role("button", name="Add filter").click()
    await page.get_by_role("menuitem", name=re.compile(f"^{kind}")).click()
    await expect(page.get_by_role("dialog")).to_be_visible()


async def test_filter_chips_live_in_the_url_and_back_undoes_them(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    await create_contact(
        gql,
        firstName="Ada",
        lastName=token,
        type="CLIENT",
        email=f"ada.{token.lower()}@example.com",
        address={"city": "Lyon", "country": "FR"},
    )
    await create_contact(gql, firstName="Bob", lastName=token, address={"city": "Paris"})
    await create_contact(
        gql,
        firstName="Cy",
        lastName=token,
        type="CLIENT",
        email=f"cy.{token.lower()}@example.com",
        address={"city": "Paris", "country": "FR"},
    )
    rows = page.get_by_role("row", name=re.compile(token))
    chips = page.get_by_role("list", name="Active filters")

    await page.goto(f"/contacts?q={token}")
    await expect(rows).to_have_count(3)

    await page.get_by_role("button", name="Add filter").click()
    await expect(page.get_by_role("menuitem", name="Consent")).to_be_visible()
    await shoot(page, "contacts-add-filter-menu")
    await page.get_by_role("menuitem", name=re.compile("^Type")).click()
    dialog = page.get_by_role("dialog", name="Filter by type")
    await dialog.get_by_label("Client", exact=True).check()
    await shoot(page, "contacts-filter-dialog")
    await dialog.get_by_role("button", name="Apply filter").click()
    await expect(chips.get_by_role("button", name=re.compile("^Change filter"))).to_have_text(
        ["Type: Client"]
    )
    await expect(rows).to_have_count(2)
    assert query_of(page)["type"] == ["CLIENT"]

    await add_filter(page, "City")
    await page.get_by_role("dialog").get_by_label("City", exact=True).fill("Paris")
    await page.get_by_role("dialog").get_by_role("button", name="Apply filter").click()
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text("Cy")
    await expect(chips).to_contain_text("City: Paris")
    assert query_of(page)["city"] == ["Paris"]
    # The search is kept with the filters.
    await expect(page.get_by_role("searchbox", name="Search contacts")).to_have_value(token)
    await shoot(page, "contacts-filtered")

    # Back undoes the last filter; Forward brings it back.
    await page.go_back()
    await expect(rows).to_have_count(2)
    await expect(chips).not_to_contain_text("City")
    await page.go_forward()
    await expect(rows).to_have_count(1)

    # A bookmark opens the same view.
    bookmark = page.url
    await page.goto("/contacts")
    await page.goto(bookmark)
    await expect(rows).to_have_count(1)
    await expect(chips).to_contain_text("Type: Client")
    await expect(chips).to_contain_text("City: Paris")

    # Change a chip in place, then remove one.
    await page.get_by_role("button", name="Change filter City: Paris").click()
    await page.get_by_role("dialog").get_by_label("City", exact=True).fill("Lyon")
    await page.get_by_role("dialog").get_by_role("button", name="Apply filter").click()
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text("Ada")
    await page.get_by_role("button", name="Remove filter Type: Client").click()
    await expect(rows).to_have_count(1)
    await page.get_by_role("button", name="Remove filter City: Lyon").click()
    await expect(rows).to_have_count(3)
    assert "city" not in query_of(page) and "type" not in query_of(page)

    # Has email, per-channel consent, country and a created range.
    await add_filter(page, "Has email")
    await page.get_by_role("dialog").get_by_label("Has no email address").check()
    await page.get_by_role("dialog").get_by_role("button", name="Apply filter").click()
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text("Bob")
    await page.get_by_role("button", name=re.compile("^Remove filter Has email")).click()

    await add_filter(page, "Consent")
    await page.get_by_role("dialog").get_by_label("Email consent").select_option("yes")
    await page.get_by_role("dialog").get_by_role("button", name="Apply filter").click()
    await expect(chips).to_contain_text("Email consent: given")
    await expect(rows).to_have_count(2)
    assert query_of(page)["consent"] == ["email:yes"]

    await add_filter(page, "Country")
    country = page.get_by_role("dialog").get_by_role("combobox", name="Country")
    await country.fill("1z")
    await expect(page.get_by_role("listbox", name="Countries")).to_contain_text("No country")
    await country.fill("fran")
    await expect(page.get_by_role("option").first).to_have_text(re.compile("^France"))
    await country.press("Enter")
    await expect(country).to_have_value("France")
    await page.get_by_role("dialog").get_by_role("button", name="Apply filter").click()
    await expect(chips).to_contain_text("Country: France")
    await expect(rows).to_have_count(2)

    await add_filter(page, "Created")
    today = await page.evaluate(
        "() => { const d = new Date(); return d.getFullYear() + '-' + "
        "String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0') }"
    )
    await page.get_by_role("dialog").get_by_label("From", exact=True).fill(today)
    await page.get_by_role("dialog").get_by_label("To", exact=True).fill(today)
    await page.get_by_role("dialog").get_by_role("button", name="Apply filter").click()
    await expect(chips).to_contain_text("Created: on")
    await expect(rows).to_have_count(2)
    assert query_of(page)["created"] == [f"{today}..{today}"]

    # Sorting keeps the filters; Clear filters drops them but keeps the search.
    await page.get_by_role("button", name=re.compile("^Name")).click()
    await expect(rows.first).to_contain_text("Cy")
    assert query_of(page)["dir"] == ["DESC"] and query_of(page)["consent"] == ["email:yes"]
    await page.get_by_role("button", name="Clear filters").click()
    await expect(rows).to_have_count(3)
    await expect(chips).to_have_count(0)
    assert query_of(page)["q"] == [token]


async def test_archived_and_company_are_chips_too(page: Page, gql: GraphQL, token: str) -> None:
    company = await create_company(gql, f"{token} Works")
    await create_contact(gql, firstName="Una", lastName=token, companyId=company["id"])
    await create_contact(gql, firstName="Vic", lastName=token)
    await page.goto(f"/contacts?q={token}&company={company['id']}")
    await expect(page.get_by_role("list", name="Active filters")).to_contain_text(
        f"Company: {token} Works"
    )
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(1)
    await page.get_by_role("button", name=re.compile("^Change filter Company")).click()
    await page.get_by_role("dialog").get_by_label("Company", exact=True).select_option("")
    await page.get_by_role("dialog").get_by_role("button", name="Apply filter").click()
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(2)

    await page.goto(f"/contacts?q={token}&show=all")
    chip = page.get_by_role("list", name="Active filters")
    await expect(chip).to_contain_text("Archived: active and archived")
    await page.get_by_role("button", name=re.compile("^Remove filter Archived")).click()
    await expect(page.get_by_role("combobox", name="Show")).to_have_value("active")
    await expect(chip).to_have_count(0)


async def test_save_as_segment_rename_open_and_delete(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    for first in ("Lia", "Max"):
        await create_contact(
            gql, firstName=first, lastName=token, type="PROSPECT", email=f"{first}.{token}@x.org"
        )
    await create_contact(gql, firstName="Ned", lastName=token)
    await page.goto(f"/contacts?q={token}&type=PROSPECT")
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(2)

    await page.get_by_role("button", name="Save as segment…").click()
    dialog = page.get_by_role("dialog", name="Save as segment")
    await dialog.get_by_label("Segment name").fill(f"{token} prospects")
    await shoot(page, "segment-save-dialog")
    await dialog.get_by_role("button", name="Save segment").click()
    await expect(page.get_by_role("heading", name=f"{token} prospects")).to_be_visible()
    await expect(page.get_by_text(f"Saved segment {token} prospects.")).to_be_visible()
    await expect(page.get_by_text("2 contacts match now")).to_be_visible()
    filters = page.get_by_role("list", name="Segment filters")
    await expect(filters).to_contain_text("Type: Prospect")
    await expect(filters).to_contain_text(f"Search: “{token}”")
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(2)
    await shoot(page, "segment-page")

    # The same name again: the server's DUPLICATE error beside the name field.
    await page.goto(f"/contacts?q={token}")
    await page.get_by_role("button", name="Save as segment…").click()
    dialog = page.get_by_role("dialog", name="Save as segment")
    await dialog.get_by_label("Segment name").fill(f"{token} PROSPECTS")
    await dialog.get_by_role("button", name="Save segment").click()
    await expect(field_error(dialog, "Segment name")).to_contain_text("already exists")
    await expect(dialog.get_by_label("Segment name")).to_have_attribute("aria-invalid", "true")
    await shoot(page, "segment-save-duplicate")
    await dialog.get_by_role("button", name="Cancel").click()

    # A contact that starts to match shows up in the live count.
    await create_contact(
        gql, firstName="Ola", lastName=token, type="PROSPECT", email=f"ola.{token}@x.org"
    )
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Segments").click()
    await expect(page.get_by_role("heading", name="Segments", exact=True)).to_be_visible()
    await page.get_by_role("searchbox", name="Search segments").fill(token)
    row = page.get_by_role("row", name=re.compile(f"{token} prospects"))
    await expect(row.locator('td[data-label="Contacts now"]')).to_have_text("3")
    await expect(row).to_contain_text("Type: Prospect")
    await shoot(page, "segments-list")

    await row.get_by_role("link").click()
    await page.get_by_role("button", name="Actions").click()
    await page.get_by_role("menuitem", name="Rename…").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("Segment name").fill(f"{token} warm prospects")
    await dialog.get_by_role("button", name="Rename").click()
    await expect(page.get_by_role("heading", name=f"{token} warm prospects")).to_be_visible()

    await page.get_by_role("link", name="Open in contacts list").click()
    await expect(page).to_have_url(re.compile("/contacts\\?"))
    assert query_of(page)["type"] == ["PROSPECT"] and query_of(page)["q"] == [token]
    await expect(page.get_by_role("list", name="Active filters")).to_contain_text("Type: Prospect")
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(3)
    await page.go_back()
    await expect(page.get_by_role("heading", name=f"{token} warm prospects")).to_be_visible()

    # Change the filters in the list and save them back to the segment.
    await page.get_by_role("link", name="Open in contacts list").click()
    await page.get_by_role("button", name="Remove filter Type: Prospect").click()
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(4)
    await page.get_by_role("button", name="Save changes to segment").click()
    await expect(page.get_by_text(f"Saved these filters to segment {token} warm")).to_be_visible()
    await shoot(page, "segment-edit-in-list")
    await page.get_by_role("link", name=f"Open {token} warm prospects").click()
    await expect(page.get_by_text("4 contacts match now")).to_be_visible()
    await expect(page.get_by_role("list", name="Segment filters")).not_to_contain_text("Type")

    await page.get_by_role("button", name="Actions").click()
    await page.get_by_role("menuitem", name="Delete segment…").click()
    await page.get_by_role("dialog").get_by_role("button", name="Delete segment").click()
    await expect(page).to_have_url(re.compile("/segments$"))
    await expect(page.get_by_text(f"Deleted segment {token} warm prospects.")).to_be_visible()
    await page.get_by_role("searchbox", name="Search segments").fill(token)
    await expect(page.get_by_text("No segments match this search.")).to_be_visible()


async def test_segment_warns_when_its_group_is_deleted(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    group = await create_group(gql, f"{token} Gone")
    payload = (
        await gql(
            CREATE_SEGMENT,
            input={"name": f"{token} orphan", "filter": {"groupId": group["id"]}},
        )
    )["createSegment"]
    assert payload["errors"] == []
    await gql(DELETE_GROUP, input={"id": group["id"]})

    await page.goto("/segments")
    await page.get_by_role("searchbox", name="Search segments").fill(token)
    row = page.get_by_role("row", name=re.compile(f"{token} orphan"))
    await expect(row).to_contain_text("Needs attention")
    await row.get_by_role("link").click()
    await expect(page.get_by_role("alert")).to_contain_text("group")
    await expect(page.get_by_role("alert")).to_contain_text("deleted")
    await expect(page.get_by_role("list", name="Segment filters")).to_contain_text(
        "Group: deleted group"
    )
    await shoot(page, "segment-warning")


async def test_groups_create_colour_rename_and_delete(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    await create_group(gql, f"{token} Taken")
    await page.goto("/groups")
    await page.get_by_role("button", name="New group").click()
    dialog = page.get_by_role("dialog", name="New group")
    await dialog.get_by_label("Name", exact=True).fill(f"{token} taken")
    await dialog.get_by_label("Colour", exact=True).fill("#12")
    await dialog.get_by_role("button", name="Create group").click()
    await expect(field_error(dialog, "Colour")).to_contain_text("#")
    await shoot(page, "group-form-errors")
    await dialog.get_by_label("Colour", exact=True).fill("#1F8A70")
    await dialog.get_by_role("button", name="Create group").click()
    await expect(field_error(dialog, "Name")).to_contain_text("already exists")
    await dialog.get_by_label("Name", exact=True).fill(f"{token} Newsletter")
    await dialog.get_by_label("Description").fill("Monthly news")
    await dialog.get_by_role("button", name="Create group").click()

    await expect(page.get_by_role("heading", name=f"{token} Newsletter")).to_be_visible()
    await expect(page.get_by_text(f"Created group {token} Newsletter.")).to_be_visible()
    await expect(page.get_by_text("Monthly news")).to_be_visible()
    await expect(page.get_by_text("No members yet.")).to_be_visible()
    await shoot(page, "group-page-empty")

    await page.get_by_role("button", name="Actions").click()
    await page.get_by_role("menuitem", name="Edit group…").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog.get_by_label("Colour", exact=True)).to_have_value("#1f8a70")
    await dialog.get_by_label("Name", exact=True).fill(f"{token} Monthly")
    await dialog.get_by_role("button", name="Save group").click()
    await expect(page.get_by_role("heading", name=f"{token} Monthly")).to_be_visible()

    await page.get_by_role("link", name="← Groups").click()
    await page.get_by_role("searchbox", name="Search groups").fill(token)
    rows = page.get_by_role("row", name=re.compile(token))
    await expect(rows).to_have_count(2)
    await expect(page.get_by_role("row", name=re.compile(f"{token} Monthly"))).to_contain_text(
        "Monthly news"
    )
    await shoot(page, "groups-list")

    await page.get_by_role("link", name=f"{token} Monthly").click()
    await page.get_by_role("button", name="Actions").click()
    await page.get_by_role("menuitem", name="Delete group…").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("only the membership goes")
    await shoot(page, "group-delete-dialog")
    await dialog.get_by_role("button", name="Delete group").click()
    await expect(page).to_have_url(re.compile("/groups$"))
    await expect(page.get_by_text(f"Deleted group {token} Monthly.")).to_be_visible()
    await page.get_by_role("searchbox", name="Search groups").fill(token)
    await expect(rows).to_have_count(1)


async def test_add_selected_to_group_then_remove_on_the_group_page(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    people = [
        await create_contact(gql, firstName=first, lastName=token)
        for first in ("Ann", "Ben", "Cal")
    ]
    await create_group(gql, f"{token} Other")  # so the dialog offers existing or new
    await page.goto(f"/contacts?q={token}")
    await page.get_by_role("checkbox", name=f"Select Ann {token}").check()
    await page.get_by_role("checkbox", name=f"Select Ben {token}").check()
    await page.get_by_role("button", name="Actions for 2 contacts").click()
    await page.get_by_role("menuitem", name="Add to group…").click()
    dialog = page.get_by_role("dialog", name="Add to group")
    await dialog.get_by_label("A new group").check()
    await dialog.get_by_label("New group name").fill(f"{token} Club")
    await shoot(page, "add-to-group-dialog")
    await dialog.get_by_role("button", name="Add to group").click()
    await expect(page.get_by_text(f"Added 2 contacts to {token} Club.")).to_be_visible()

    # All three into the same, existing group: only one is new.
    await page.get_by_role("checkbox", name="Select all contacts on this page").check()
    await page.get_by_role("button", name="Actions for 3 contacts").click()
    await page.get_by_role("menuitem", name="Add to group…").click()
    dialog = page.get_by_role("dialog", name="Add to group")
    await dialog.get_by_role("button", name="Add to group").click()
    await expect(field_error(dialog, "Group")).to_contain_text("Choose a group")
    await dialog.get_by_label("Group", exact=True).select_option(label=f"{token} Club (2 members)")
    await dialog.get_by_role("button", name="Add to group").click()
    await expect(
        page.get_by_text(f"Added 1 contact to {token} Club. 2 were already in it.")
    ).to_be_visible()

    await page.get_by_role("link", name=f"Open {token} Club").click()
    await expect(page.get_by_role("heading", name=f"{token} Club")).to_be_visible()
    await expect(page.get_by_text("3 members")).to_be_visible()
    members = page.get_by_role("row", name=re.compile(token))
    await expect(members).to_have_count(3)

    await page.get_by_role("searchbox", name="Search members").fill("cal")
    await expect(members).to_have_count(1)
    await page.get_by_role("searchbox", name="Search members").fill("")
    await expect(members).to_have_count(3)
    await page.get_by_role("checkbox", name=f"Select Ben {token}").check()
    await shoot(page, "group-page")
    await page.get_by_role("button", name="Remove from group").click()
    await expect(page.get_by_text(f"Removed 1 contact from {token} Club.")).to_be_visible()
    await expect(members).to_have_count(2)
    await expect(page.get_by_text("2 members")).to_be_visible()
    # Ben is still a contact, just not a member.
    await page.goto(f"/contacts?q={token}")
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(3)

    # The group's members page through, and the list filtered on the group agrees.
    more = [
        (await create_contact(gql, firstName=f"M{n:02d}", lastName=token))["id"] for n in range(25)
    ]
    found = await gql("query($s: String) { groups(search: $s) { edges { node { id } } } }", s=token)
    group_id = found["groups"]["edges"][0]["node"]["id"]
    await add_to_group(gql, group_id, [*more, people[1]["id"]])
    await page.goto(f"/groups/{group_id}")
    await expect(members).to_have_count(25)
    await page.get_by_role("link", name="Next →").click()
    await expect(members).to_have_count(3)
    await page.get_by_role("link", name="Filter in contacts list").click()
    await expect(page.get_by_role("list", name="Active filters")).to_contain_text(
        f"Group: {token} Club"
    )
    await expect(page.get_by_text("28 contacts match")).to_be_visible()


async def test_contact_page_group_chips_and_add_to_group(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    contact = await create_contact(gql, firstName="Gia", lastName=token)
    group = await create_group(gql, f"{token} Friends", colour="#c2410c")
    await add_to_group(gql, group["id"], [contact["id"]])

    await page.goto(f"/contacts/{contact['id']}")
    groups = page.get_by_role("region", name="Groups")
    await expect(groups.get_by_role("link", name=f"{token} Friends")).to_be_visible()
    await expect(page.get_by_role("region", name="Portal access")).to_be_visible()

    await page.get_by_role("button", name="Actions").click()
    await page.get_by_role("menuitem", name="Add to group…").click()
    dialog = page.get_by_role("dialog", name="Add to group")
    await dialog.get_by_label("A new group").check()
    await dialog.get_by_label("New group name").fill(f"{token} Family")
    await dialog.get_by_role("button", name="Add to group").click()
    await expect(page.get_by_text(f"Added 1 contact to {token} Family.")).to_be_visible()
    await expect(groups.get_by_role("link", name=f"{token} Family")).to_be_visible()
    await shoot(page, "contact-page-groups")

    await groups.get_by_role("button", name=f"Remove from group {token} Family").click()
    await expect(groups.get_by_role("link", name=f"{token} Family")).to_have_count(0)

    await groups.get_by_role("link", name=f"{token} Friends").click()
    await expect(page.get_by_role("heading", name=f"{token} Friends")).to_be_visible()
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(1)


async def test_navigation_has_groups_and_segments(page: Page, shoot: Shoot) -> None:
    await page.goto("/contacts")
    nav = page.get_by_role("navigation", name="Main")
    await nav.get_by_role("link", name="Groups").click()
    await expect(page.get_by_role("heading", name="Groups", exact=True)).to_be_visible()
    await nav.get_by_role("link", name="Segments").click()
    await expect(page.get_by_role("heading", name="Segments", exact=True)).to_be_visible()

    await page.set_viewport_size(PHONE)
    await page.get_by_role("button", name="Open menu").click()
    menu = page.get_by_role("dialog")
    await expect(menu.get_by_role("link", name="Segments")).to_be_visible()
    await shoot_menu(page)
    await menu.get_by_role("link", name="Groups").click()
    await expect(page.get_by_role("dialog")).to_have_count(0)
    await expect(page.get_by_role("heading", name="Groups", exact=True)).to_be_visible()


async def shoot_menu(page: Page) -> None:
    from tests.e2e.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / "nav-menu-groups-phone.png"))


async def test_phone_country_and_sms_follow_app_settings(page: Page, gql: GraphQL) -> None:
    settings = (await gql("{ appSettings { defaultCountry smsEnabled } }"))["appSettings"]
    await page.goto("/contacts/new")
    await expect(page.get_by_label("Phone 1 country", exact=True)).to_have_value(
        settings["defaultCountry"]
    )
    sms = page.get_by_role("checkbox", name="SMS", exact=True)
    await expect(sms).to_have_count(1 if settings["smsEnabled"] else 0)
    await page.goto("/companies/new")
    await expect(page.get_by_label("Phone country", exact=True)).to_have_value(
        settings["defaultCountry"]
    )
