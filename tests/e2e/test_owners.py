"""Contact owners in the browser: the form's Owner, the list's "Me" filter, and giving a
deactivated colleague's contacts to someone else from the staff settings (issue 19)."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Page, expect

from tests.e2e.conftest import ADMIN_EMAIL, GraphQL, Shoot
from tests.e2e.test_app import CREATE_COMPANY, create_contact

CREATE_STAFF = """
mutation($input: CreateStaffUserInput!) {
  createStaffUser(input: $input) { user { id name } errors { field message } }
}"""
DEACTIVATE = """
mutation($input: UpdateStaffUserInput!) {
  updateStaffUser(input: $input) { user { id status } errors { field message } }
}"""
OWNERS = """
query($search: String!) {
  contacts(search: $search) { edges { node { fullName owner { name email } } } }
}"""


async def colleague(gql: GraphQL, name: str, token: str) -> dict[str, str]:
    email = f"{name.split()[0].lower()}.{token.lower()}@example.com"
    payload = (
        await gql(
            CREATE_STAFF,
            input={"email": email, "name": name, "password": "Kettle orbit 5731 lantern"},
        )
    )["createStaffUser"]
    assert payload["errors"] == []
    return payload["user"]


async def owners(gql: GraphQL, token: str) -> dict[str, str | None]:
    """Each contact found by `token`, by full name, with its owner's name."""
    found = await gql(OWNERS, search=token)
    return {
        edge["node"]["fullName"]: (edge["node"]["owner"] or {}).get("name")
        for edge in found["contacts"]["edges"]
    }


async def test_a_new_contact_is_mine_until_i_choose_a_colleague(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a colleague
    bo = await colleague(gql, f"Bo Lindqvist {token}", token)

    # when a new contact's form opens, then the colleague is chosen as its owner
    await page.goto("/contacts/new")
    owner = page.get_by_label("Owner", exact=True)
    await expect(owner.locator("option:checked")).to_have_text(ADMIN_EMAIL)
    await page.get_by_role("textbox", name="Last name", exact=True).fill(f"Owned {token}")
    await owner.select_option(label=bo["name"])
    await shoot(page, "owner-contact-form")
    await page.get_by_role("button", name="Create contact").click()

    # then the contact's page names the colleague as its owner
    details = page.get_by_role("region", name="Details")
    await expect(details.locator("dt", has_text="Owner").locator("+ dd")).to_have_text(bo["name"])
    assert await owners(gql, token) == {f"Owned {token}": bo["name"]}
    await shoot(page, "owner-contact-page")


async def test_the_me_filter_shows_only_my_contacts(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a contact of mine and one of a colleague's
    bo = await colleague(gql, f"Bo Berg {token}", token)
    await create_contact(gql, firstName="Mine", lastName=token)
    await create_contact(gql, firstName="Theirs", lastName=token, ownerId=bo["id"])
    rows = page.get_by_role("row", name=re.compile(token))
    await page.goto(f"/contacts?q={token}")
    await expect(rows).to_have_count(2)

    # when the Owner filter is set to "Me", the first choice after "Anyone"
    await page.get_by_role("button", name="Add filter").click()
    await page.get_by_role("menuitem", name=re.compile("^Owner")).click()
    dialog = page.get_by_role("dialog", name="Filter by owner")
    choices = dialog.get_by_label("Owner", exact=True).locator("option")
    await expect(choices.nth(1)).to_have_text("Me")
    await expect(choices.nth(2)).to_have_text("Nobody")
    await dialog.get_by_label("Owner", exact=True).select_option(label="Me")
    await dialog.get_by_role("button", name="Apply filter").click()

    # then only my contact is listed, under an "Owner: Me" chip kept in the address
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text("Mine")
    chips = page.get_by_role("list", name="Active filters")
    await expect(chips).to_contain_text("Owner: Me")
    assert "owner=" in page.url
    await shoot(page, "owner-filter-me")


async def test_an_admin_gives_a_deactivated_colleagues_contacts_to_another(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a colleague who owns two contacts and has left, and one who stays
    leaver = await colleague(gql, f"Lea Leaver {token}", token)
    heir = await colleague(gql, f"Hugo Heir {token}", token)
    for first in ("Anna", "Bert"):
        await create_contact(gql, firstName=first, lastName=token, ownerId=leaver["id"])
    await gql(DEACTIVATE, input={"id": leaver["id"], "active": False})

    # when the administrator gives the leaver's contacts to the other from the staff settings
    await page.goto(f"/settings/staff?q={token}")
    await page.get_by_role("button", name=re.compile(f"Change {leaver['name']}")).click()
    await page.get_by_role("menuitem", name="Give their contacts to…").click()
    dialog = page.get_by_role("dialog", name=re.compile("Give .* contacts to"))
    await dialog.get_by_label("New owner").select_option(label=heir["name"])
    await shoot(page, "owner-reassign-dialog")
    await dialog.get_by_role("button", name="Give them").click()

    # then the page says how many moved, and both contacts are the heir's
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("status")).to_contain_text(
        f"2 contacts and 0 companies of {leaver['name']} now belong to {heir['name']}"
    )
    assert await owners(gql, token) == {
        f"Anna {token}": heir["name"],
        f"Bert {token}": heir["name"],
    }
    await shoot(page, "owner-reassigned")


async def test_the_companies_list_filters_by_owner(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a company of mine and one nobody owns
    for name, owner in ((f"Mine {token}", {}), (f"Nobodys {token}", {"ownerId": None})):
        payload = (await gql(CREATE_COMPANY, input={"name": name, **owner}))["createCompany"]
        assert payload["errors"] == []
    rows = page.get_by_role("row", name=re.compile(token))
    await page.goto(f"/companies?q={token}")
    await expect(rows).to_have_count(2)

    # when the list's Owner is set to "Nobody", then to "Me"
    owner = page.get_by_label("Owner", exact=True)
    await owner.select_option(label="Nobody")
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text("Nobodys")
    await owner.select_option(label="Me")

    # then each shows its own company
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text(f"Mine {token}")
    await shoot(page, "owner-companies-filter")
