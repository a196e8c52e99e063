"""Duplicates: the review list with its count in the navigation, the side-by-side merge
screen, "Not a duplicate", and "Find duplicates" from a contact's Actions menu."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Page, expect

from tests.e2e.conftest import PHONE, GraphQL, Shoot
from tests.e2e.test_app import create_contact

COUNT = "{ duplicateCandidateCount }"
ADD_NOTE = """
mutation($input: AddNoteInput!) { addNote(input: $input) { errors { message } } }"""
CREATE_GROUP = """
mutation($input: CreateGroupInput!) {
  createGroup(input: $input) { group { id } errors { message } }
}"""
DELETE = """
mutation($input: ContactIdInput!) { deleteContact(input: $input) { errors { code } } }"""
ADD_TO_GROUP = """
mutation($input: GroupMembersInput!) { addContactsToGroup(input: $input) { errors { message } } }"""


def phone_for(token: str, offset: int = 0) -> str:
    """A London number (Ofcom's drama range) of this test's own."""
    return f"+44 20 7946 0{(int(token[1:], 16) + offset) % 1000:03d}"


async def pair(
    gql: GraphQL, token: str, first: str, second: str, job_titles: tuple[str, str] = ("", "")
) -> list[dict]:
    """Two contacts with one phone number and the family name `token`: a pair to review."""
    number = phone_for(token)
    return [
        await create_contact(
            gql,
            firstName=name,
            lastName=f"Okonkwo {token}",
            phones=[{"number": number}],
            jobTitle=job_title or None,
        )
        for name, job_title in zip((first, second), job_titles, strict=True)
    ]


def nav_duplicates(page: Page):
    return page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("^Duplicates")
    )


async def test_review_and_merge_a_pair_keeping_the_other(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given Margret (to merge away, with a note, a group and a job title) and Margaret (to
    # keep, another job title), sharing a phone number, their names alike
    twin, kept = await pair(gql, token, "Margret", "Margaret", ("Head of Procurement", "Buyer"))
    await gql(ADD_NOTE, input={"contactId": twin["id"], "kind": "CALL", "body": f"Call {token}"})
    group = (await gql(CREATE_GROUP, input={"name": f"Board {token}"}))["createGroup"]["group"]
    await gql(ADD_TO_GROUP, input={"groupId": group["id"], "contactIds": [twin["id"]]})
    waiting = (await gql(COUNT))["duplicateCandidateCount"]

    # when the Duplicates page opens from the navigation, which shows the count
    await page.goto("/contacts")
    await expect(nav_duplicates(page)).to_contain_text(str(waiting))
    await nav_duplicates(page).click()

    # then the pair is listed with why, and can be reviewed
    row = page.get_by_role("row").filter(has_text=twin["fullName"])
    await expect(row).to_contain_text(kept["fullName"])
    await expect(row).to_contain_text("Same phone number")
    await expect(row).to_contain_text("Similar name")
    await shoot(page, "duplicates-list")
    await row.get_by_role("link", name=re.compile("^Review and merge")).click()

    # when Margaret is kept and Margret's job title chosen
    await expect(page.get_by_role("heading", name="Merge contacts")).to_be_visible()
    keep = page.get_by_role("radiogroup", name="Contact to keep")
    await keep.get_by_role("radio", name=re.compile(f"^{kept['fullName']}")).check()
    job = page.get_by_role("radiogroup", name="Job title")
    await expect(job.get_by_role("radio", name=re.compile("^Buyer"))).to_be_checked()
    await job.get_by_role("radio", name=re.compile("^Head of Procurement")).check()
    await shoot(page, "duplicates-merge")
    await page.set_viewport_size(PHONE)
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await page.set_viewport_size({"width": 1280, "height": 800})
    assert await page.evaluate("document.documentElement.scrollWidth") <= 1280
    await page.get_by_role("button", name="Merge 2 contacts").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text(f"{twin['fullName']} is then deleted")
    await dialog.get_by_role("button", name="Merge 2 contacts").click()

    # then Margaret's page says so, with Margret's note, group and the job title chosen
    await expect(page).to_have_url(re.compile(r"/contacts/[^/]+$"))
    await expect(page.get_by_role("heading", level=1)).to_contain_text(kept["fullName"])
    await expect(page.get_by_role("status").filter(has_text="Merged")).to_contain_text(
        f"Merged {twin['fullName']} into {kept['fullName']}."
    )
    await expect(page.get_by_text(f"Call {token}")).to_be_visible()
    await expect(page.get_by_role("link", name=f"Board {token}")).to_be_visible()
    await expect(page.get_by_text("Head of Procurement").first).to_be_visible()
    assert (await gql(COUNT))["duplicateCandidateCount"] == waiting - 1


async def test_a_pair_that_is_not_one_person_leaves_the_list(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given Grace and Graham who share a phone (a family's number)
    grace, graham = await pair(gql, token, "Grace", "Graham")
    waiting = (await gql(COUNT))["duplicateCandidateCount"]

    # when "Not a duplicate" is chosen for them on the Duplicates page
    await page.goto("/duplicates")
    row = page.get_by_role("row").filter(has_text=grace["fullName"])
    await row.get_by_role("button", name=re.compile("not a duplicate$")).click()

    # then the page says so and the pair is gone, for good
    await expect(page.get_by_role("status")).to_contain_text(
        f"{grace['fullName']} and {graham['fullName']} are not duplicates"
    )
    await expect(page.get_by_role("row").filter(has_text=grace["fullName"])).to_have_count(0)
    assert (await gql(COUNT))["duplicateCandidateCount"] == waiting - 1


async def test_find_duplicates_from_a_contacts_actions_menu(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given Oscar and Oskar sharing a number, and Olive who looks like nobody
    oscar, oskar = await pair(gql, token, "Oscar", "Oskar")
    olive = await create_contact(gql, firstName="Olive", lastName=f"Alone {token}")

    # when "Find duplicates" is chosen from Oskar's Actions menu
    await page.goto(f"/contacts/{oskar['id']}")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(oskar["fullName"])
    await page.get_by_role("button", name="Actions").click()
    await page.get_by_role("menuitem", name="Find duplicates").click()

    # then his possible duplicates are listed: Oscar
    await expect(page).to_have_url(re.compile(r"/duplicates\?contact="))
    heading = page.get_by_role("heading", level=1)
    await expect(heading).to_have_text(f"Possible duplicates of {oskar['fullName']}")
    await expect(page.get_by_role("row").filter(has_text=oscar["fullName"])).to_have_count(1)
    await shoot(page, "duplicates-of-contact")

    # and a contact who looks like nobody is told so plainly
    await page.goto(f"/duplicates?contact={olive['id']}")
    await expect(
        page.get_by_text(f"{olive['fullName']} has no possible duplicates")
    ).to_be_visible()


async def test_merge_all_the_contacts_that_share_an_email(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given Nina's address typed twice, once in full-width letters (a pasted form)
    address = f"nina.{token.lower()}@renard.fr"
    wide = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in "nina")
    nina = await create_contact(gql, firstName="Nina", lastName=token, email=address)
    await create_contact(gql, firstName="N.", lastName=token, email=wide + address[4:])
    same_email = (await gql("{ sameEmailDuplicateCount }"))["sameEmailDuplicateCount"]
    assert same_email >= 1

    # when "Merge all with the same email" is confirmed on the Duplicates page
    await page.goto("/duplicates")
    await page.get_by_role("button", name=f"Merge all with the same email ({same_email})").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("an email with another?")
    await dialog.get_by_role("button", name=re.compile("^Merge ")).click()

    # then the page says how many were merged, the button is gone, Nina alone remains
    await expect(page.get_by_role("status")).to_contain_text(f"Merged {same_email} contact")
    await expect(page.get_by_role("button", name=re.compile("^Merge all"))).to_have_count(0)
    search = "query($q: String) { contacts(search: $q) { edges { node { id } } } }"
    found = (await gql(search, q=token))["contacts"]["edges"]
    assert found == [{"node": {"id": nina["id"]}}]


async def test_a_merge_refused_says_why_and_changes_nothing(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given the merge screen open for Ruth and Ruthie, and Ruthie deleted meanwhile elsewhere
    ruth, ruthie = await pair(gql, token, "Ruth", "Ruthie")
    await page.goto(f"/duplicates/merge?ids={ruth['id']},{ruthie['id']}")
    await expect(page.get_by_role("radiogroup", name="Contact to keep")).to_be_visible()
    await gql(DELETE, input={"id": ruthie["id"]})

    # when the merge is confirmed
    await page.get_by_role("button", name="Merge 2 contacts").click()
    await page.get_by_role("dialog").get_by_role("button", name="Merge 2 contacts").click()

    # then the page says plainly which contact is missing, and Ruth is as she was
    alert = page.get_by_role("alert").filter(has_text="Nothing was merged")
    await expect(alert).to_contain_text(f"{ruthie['fullName']}: No contact has this id")
    await expect(page).to_have_url(re.compile("/duplicates/merge"))
