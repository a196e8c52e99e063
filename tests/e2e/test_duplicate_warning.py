"""Possible duplicates as they arrive: the warning under the contact form's fields, and the
rows of an import preview that look like saved contacts."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Page, expect

from tests.e2e.conftest import GraphQL, Shoot
from tests.e2e.test_app import create_company, create_contact
from tests.e2e.test_import_export import csv_bytes, stat, step_heading, upload

CONTACTS_WITH = """
query($s: String) { contacts(search: $s, first: 10) { edges { node { id fullName } } } }
"""


def mobile_number(token: str) -> tuple[str, str]:
    """A UK mobile number of this test alone: (international, national digits)."""
    digits = f"{int(token[1:], 16) % 100_000:05}"
    return f"+44 7400 1{digits}", f"074001{digits}"


def contact_href(contact_id: str) -> str:
    return f"/contacts/{quote(contact_id, safe='')}"


async def test_the_form_warns_of_a_saved_contact_with_the_number_typed(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given Alice Adam at Renard Jacquot, saved with her mobile in international form
    international, national = mobile_number(token)
    company = await create_company(gql, f"Renard Jacquot {token}")
    alice = await create_contact(
        gql,
        firstName="Alice",
        lastName="Adam",
        companyId=company["id"],
        phones=[{"number": international}],
    )

    # when the new-contact form holds Alice Adam and her number in national form
    await page.goto("/contacts/new")
    await page.get_by_role("textbox", name="First name", exact=True).fill("Alice")
    await page.get_by_role("textbox", name="Last name", exact=True).fill("Adam")
    await page.get_by_label("Phone 1 country", exact=True).select_option("GB")
    number = page.get_by_label("Phone 1 number", exact=True)
    await number.press_sequentially(national)

    # then a polite warning under the phone names her and her company, with a link to her
    phones = page.get_by_role("group", name="Phone numbers")
    warning = phones.locator("[aria-live=polite]").get_by_text(
        f"Alice Adam at Renard Jacquot {token} has this phone number"
    )
    await expect(warning).to_be_visible()
    link = phones.get_by_role("link", name="open Alice Adam in a new tab")
    await expect(link).to_have_attribute("href", contact_href(alice["id"]))
    await shoot(page, "duplicate-warning")

    # and it is never about a number no longer in the box
    await number.press("Backspace")
    await expect(warning).to_have_count(0)
    await number.press_sequentially(national[-1])
    await expect(warning).to_be_visible()

    # when the link is followed, then her page opens in a new tab, the form left as it was
    async with page.context.expect_page() as opened:
        await link.click()
    tab = await opened.value
    await expect(tab.get_by_role("heading", name="Alice Adam")).to_be_visible()
    await expect(tab).to_have_url(re.compile(re.escape(contact_href(alice["id"])) + "$"))
    await tab.close()
    await expect(page.get_by_role("textbox", name="Last name", exact=True)).to_have_value("Adam")

    # when the contact is saved anyway, then there are two Alice Adams with that number
    await page.get_by_role("button", name="Create contact").click()
    await expect(page).not_to_have_url(re.compile(r"/new$"))
    await expect(page.get_by_role("heading", name="Alice Adam")).to_be_visible()
    found = await gql(CONTACTS_WITH, s=international)
    ids = {edge["node"]["id"] for edge in found["contacts"]["edges"]}
    assert len(ids) == 2 and alice["id"] in ids
    [copy] = ids - {alice["id"]}

    # and Alice's own edit form names the copy, never herself
    await page.goto(f"/contacts/{quote(alice['id'], safe='')}/edit")
    await expect(phones.get_by_role("link", name="open Alice Adam in a new tab")).to_have_attribute(
        "href", contact_href(copy)
    )


async def test_the_form_warns_under_the_name_and_the_email(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given Zoë Ångström in Saint-Étienne, and Bob with an email
    low = token.lower()
    await create_contact(
        gql, firstName="Zoë", lastName=f"Ångström{token}", address={"city": "Saint-Étienne"}
    )
    await create_contact(gql, firstName="Bob", lastName=token, email=f"bob.{low}@example.com")

    # when the form holds her name without accents and the city in capitals
    await page.goto("/contacts/new")
    await page.get_by_role("textbox", name="First name", exact=True).fill("Zoe")
    await page.get_by_role("textbox", name="Last name", exact=True).fill(f"Angstrom{token}")
    await page.get_by_role("textbox", name="Town or city", exact=True).fill("SAINT-ETIENNE")

    # then the warning under the name says why
    await expect(
        page.get_by_text(
            f"A contact with a similar name in the same city: Zoë Ångström{token} — open"
        )
    ).to_be_visible()

    # when Bob's email is typed in capitals, then the email field warns of him
    await page.get_by_role("textbox", name="Email", exact=True).fill(f"BOB.{low}@example.com")
    await expect(page.get_by_text(f"Bob {token} has this email — open")).to_be_visible()
    await shoot(page, "duplicate-warning-name-email")


async def test_the_import_preview_lists_rows_like_saved_contacts(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given Bruno Berger at Lune Verte, saved with his work email
    low = token.lower()
    company = await create_company(gql, f"Lune Verte {token}")
    bruno = await create_contact(
        gql,
        firstName="Bruno",
        lastName="Berger",
        email=f"bruno.{low}@example.com",
        companyId=company["id"],
    )

    # when a file with Bruno at his company under another email, and a stranger, is checked
    rows = [
        ["First name", "Last name", "Email", "Company"],
        ["Bruno", "Berger", f"b.berger.{low}@example.net", f"Lune Verte {token}"],
        ["Yann", f"Stranger{token}", f"yann.{low}@example.com", ""],
    ]
    await page.goto("/contacts/import")
    await upload(page, f"look-alikes-{token}.csv", csv_bytes(rows))
    await expect(step_heading(page, "Match the columns")).to_be_visible()
    await page.get_by_role("button", name="Next: check the rows").click()
    await expect(step_heading(page, "Check the rows")).to_be_visible()

    # then the preview counts the row and lists it beside Bruno, with the reasons in words
    await expect(stat(page, "Rows in the file", "Like contacts in the CRM")).to_have_text("1")
    table = page.get_by_role("table", name="Rows that look like contacts already in the CRM")
    row = table.get_by_role("row", name=re.compile("^Row 2"))
    await expect(row).to_contain_text(f"Bruno Berger · b.berger.{low}@example.net")
    await expect(row).to_contain_text("Similar name, same company")
    await expect(row.get_by_role("link", name=re.compile("^Bruno Berger"))).to_have_attribute(
        "href", contact_href(bruno["id"])
    )
    await expect(table.get_by_role("row")).to_have_count(2)
    await shoot(page, "import-3-preview-look-alikes")

    # and it does not stop the import
    await expect(page.get_by_role("button", name="Next: options")).to_be_enabled()
