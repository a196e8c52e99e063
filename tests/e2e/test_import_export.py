"""The contacts list's Export menu and the import wizard, against a real server."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from playwright.async_api import Download, Page, expect

from tests.e2e.conftest import GraphQL, Shoot
from tests.e2e.test_app import create_contact

BOM = "\ufeff"


async def download_text(download: Download) -> str:
    path = await download.path()
    assert path is not None
    return (await asyncio.to_thread(Path(path).read_bytes)).decode("utf-8")


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))


async def export(page: Page, format_label: str, scope: str | None = None) -> Download:
    """Opens Export, picks the scope (if given) and downloads `format_label`."""
    await page.get_by_role("button", name="Export").click()
    menu = page.get_by_role("menu")
    await expect(menu).to_be_visible()
    if scope:
        await menu.get_by_role("menuitemradio", name=re.compile(scope)).click()
        await expect(menu.get_by_role("menuitemradio", name=re.compile(scope))).to_have_attribute(
            "aria-checked", "true"
        )
    async with page.expect_download() as info:
        await menu.get_by_role("menuitem", name=format_label, exact=True).click()
    return await info.value


async def test_export_menu_downloads_the_filtered_view_and_the_selected_rows(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    await create_contact(
        gql,
        firstName="Ada",
        lastName=token,
        type="CLIENT",
        email=f"ada.{token.lower()}@example.com",
    )
    await create_contact(gql, firstName="Bea", lastName=token, type="LEAD")
    await create_contact(
        gql,
        firstName="Cyd",
        lastName=token,
        type="CLIENT",
        email=f"cyd.{token.lower()}@example.com",
    )
    await create_contact(
        gql,
        firstName="Dov",
        lastName=token,
        type="CLIENT",
        email=f"dov.{token.lower()}@example.com",
    )
    rows = page.get_by_role("row", name=re.compile(token))

    # The view: a search, a filter (clients) and newest first.
    await page.goto(f"/contacts?q={token}&type=CLIENT&sort=CREATED_AT&dir=DESC")
    await expect(rows).to_have_count(3)

    await page.get_by_role("button", name="Export").click()
    menu = page.get_by_role("menu")
    await expect(menu.get_by_role("menuitemradio", name="Whole view (3)")).to_be_checked()
    await expect(menu.get_by_role("menuitemradio", name=re.compile("Selected"))).to_have_count(0)
    await expect(menu.get_by_role("menuitem")).to_have_text(
        [
            re.compile(r"^CSV"),
            re.compile("^CSV for Excel"),
            re.compile("^Excel"),
            re.compile("^vCard"),
        ]
    )
    await shoot(page, "contacts-export-menu")
    await page.keyboard.press("Escape")
    await expect(menu).to_have_count(0)

    download = await export(page, "CSV")
    assert re.fullmatch(r"contacts-\d{8}\.csv", download.suggested_filename)
    text = await download_text(download)
    assert not text.startswith(BOM)
    exported = csv_rows(text)
    # Only the clients, newest first, as the list shows them.
    assert [r["First name"] for r in exported] == ["Dov", "Cyd", "Ada"]
    assert {r["Type"] for r in exported} == {"CLIENT"}
    assert exported[2]["Email"] == f"ada.{token.lower()}@example.com"

    # CSV for Excel: the same rows behind a byte order mark.
    text = await download_text(await export(page, "CSV for Excel"))
    assert text.startswith(BOM)
    assert [r["First name"] for r in csv_rows(text)] == ["Dov", "Cyd", "Ada"]

    # The download addresses carry the view (and the right extension per format).
    await page.get_by_role("button", name="Export").click()
    hrefs = {
        name: await page.get_by_role("menuitem", name=name, exact=True).get_attribute("href")
        for name in ("CSV", "Excel (.xlsx)", "vCard (.vcf)")
    }
    await page.keyboard.press("Escape")
    assert urlparse(hrefs["Excel (.xlsx)"]).path == "/export/contacts.xlsx"
    assert urlparse(hrefs["vCard (.vcf)"]).path == "/export/contacts.vcf"
    query = parse_qs(urlparse(hrefs["CSV"]).query)
    assert query["search"] == [token]
    assert query["orderBy"] == ["CREATED_AT"] and query["direction"] == ["DESC"]
    assert '"CLIENT"' in query["filter"][0]

    # Selected rows: only those two, whatever the filter says.
    await page.get_by_role("checkbox", name="Select Ada " + token).check()
    await page.get_by_role("checkbox", name="Select Dov " + token).check()
    await page.get_by_role("button", name="Export").click()
    menu = page.get_by_role("menu")
    await expect(menu.get_by_role("menuitemradio", name="Selected rows (2)")).to_be_checked()
    await shoot(page, "contacts-export-menu-selected")
    await page.keyboard.press("Escape")
    exported = csv_rows(await download_text(await export(page, "CSV", scope="Selected rows")))
    assert [r["First name"] for r in exported] == ["Dov", "Ada"]

    # With rows selected, the whole view is still one choice away.
    exported = csv_rows(await download_text(await export(page, "CSV", scope="Whole view")))
    assert [r["First name"] for r in exported] == ["Dov", "Cyd", "Ada"]

    # vCard of the selection.
    vcards = await download_text(await export(page, "vCard (.vcf)", scope="Selected rows"))
    assert vcards.count("BEGIN:VCARD") == 2
    assert f"FN:Ada {token}" in vcards


# --- import --------------------------------------------------------------------------------


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


async def upload(page: Page, name: str, content: bytes, mime: str = "text/csv") -> None:
    await page.get_by_label("File", exact=True).set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    await page.get_by_role("button", name="Upload and continue").click()


def step_heading(page: Page, title: str):
    return page.get_by_role("heading", name=re.compile(f"^Step \\d of 6: {title}$"))


def stat(page: Page, region: str, label: str):
    """The number shown under `label` in the statistics list `region`."""
    term = page.locator("dt").filter(has_text=re.compile(f"^{re.escape(label)}( \\(|$)"))
    return page.get_by_label(region).locator(".stat", has=term).locator("dd")


async def test_import_wizard_end_to_end(page: Page, gql: GraphQL, shoot: Shoot, token: str) -> None:
    low = token.lower()
    rows = [
        ["First name", "Last name", "Email", "Company", "Notes"],
        ["Ann", f"Imp{token}", f"ann.{low}@example.com", f"Acme {token}", "first"],
        ["Ben", f"Imp{token}", "not an email", "", "bad row"],
        ["Cat", f"Imp{token}", f"cat.{low}@example.com", "", ""],
        ["Ann again", f"Imp{token}", f"ann.{low}@example.com", "", "repeat"],
        ["Dee", f"Imp{token}", "", "", ""],
    ]
    await page.goto("/contacts")
    await page.get_by_role("link", name="Import", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/contacts/import$"))
    await expect(step_heading(page, "Choose a file")).to_be_visible()
    # Templates are offered on the first step.
    template = page.get_by_role("link", name="Template (CSV)")
    await expect(template).to_have_attribute("href", "/import/template.csv")
    await expect(page.get_by_role("link", name="Template (Excel)")).to_have_attribute(
        "href", "/import/template.xlsx"
    )
    async with page.expect_download() as info:
        await template.click()
    header = next(
        csv.reader(io.StringIO((await download_text(await info.value)).removeprefix(BOM)))
    )
    assert header[:4] == ["Title", "First name", "Last name", "Email"]
    steps = page.get_by_role("list", name="Import steps")
    await expect(steps.locator("[aria-current=step]")).to_contain_text("Upload")
    await shoot(page, "import-1-upload")

    # Mapping: one row per column, samples, and the server's proposal chosen.
    await upload(page, f"people-{token}.csv", csv_bytes(rows))
    await expect(step_heading(page, "Match the columns")).to_be_visible()
    await expect(page).to_have_url(re.compile(r"/contacts/import\?job="))
    expected = {
        "First name": "FIRST_NAME",
        "Last name": "LAST_NAME",
        "Email": "EMAIL",
        "Company": "COMPANY",
        "Notes": "",
    }
    for header_name, field in expected.items():
        await expect(page.get_by_label(f"Import column {header_name} as")).to_have_value(field)
    table = page.get_by_role("table", name=re.compile("Columns of"))
    await expect(table.get_by_role("row")).to_have_count(1 + len(expected))
    first_name_row = table.get_by_role("row", name=re.compile("^First name"))
    await expect(first_name_row.get_by_role("listitem")).to_have_text(
        ["Ann", "Ben", "Cat", "Ann again", "Dee"]
    )
    await shoot(page, "import-2-mapping")

    # Mistakes in the mapping: the server's refusals are shown, beside the column they name.
    last_name = page.get_by_label("Import column Last name as")
    notes = page.get_by_label("Import column Notes as")
    await last_name.select_option("")
    await expect(page.get_by_text("every contact needs a name")).to_be_visible()
    await notes.select_option(label="Email")
    await expect(page.get_by_text("Another column also goes to Email")).to_have_count(2)
    await page.get_by_role("button", name="Next: check the rows").click()
    await expect(page.get_by_role("alert")).to_contain_text("last name")
    await expect(notes).to_have_attribute("aria-invalid", "true")
    await shoot(page, "import-2-mapping-errors")
    await last_name.select_option("LAST_NAME")
    await notes.select_option("")

    # Preview: counts and the bad row's error.
    await page.get_by_role("button", name="Next: check the rows").click()
    await expect(step_heading(page, "Check the rows")).to_be_visible()
    await expect(stat(page, "Rows in the file", "Rows")).to_have_text("5")
    await expect(stat(page, "Rows in the file", "Valid")).to_have_text("3")
    await expect(stat(page, "Rows in the file", "New contacts")).to_have_text("3")
    # The bad email and the repeated email.
    await expect(stat(page, "Rows in the file", "With errors")).to_have_text("2")
    await expect(stat(page, "Rows in the file", "Repeated in the file")).to_have_text("1")
    await expect(stat(page, "Rows in the file", "Already in the CRM")).to_have_text("0")
    errors = page.get_by_role("table", name="Rows with errors")
    bad = errors.get_by_role("row", name=re.compile("^Row 3"))
    await expect(bad).to_contain_text("Email")
    await expect(bad).to_contain_text("not a valid email")
    await expect(errors.get_by_role("row", name=re.compile("^Row 5"))).to_contain_text(
        "earlier row"
    )
    await shoot(page, "import-3-preview")

    # Options: a new group, defaults for rows that say nothing.
    await page.get_by_role("button", name="Next: options").click()
    await expect(step_heading(page, "Options")).to_be_visible()
    await expect(page.get_by_role("radio", name="Skip")).to_be_checked()
    await expect(page.get_by_text("only from mapped columns that are not empty")).to_be_visible()
    await page.get_by_role("radio", name="A new group").check()
    await page.get_by_label("New group name").fill(f"Imported {token}")
    await page.get_by_label("Default status").select_option(label="Contacted")
    # Consent: nothing ticked unless the user says everyone in the file agreed.
    agreed = page.get_by_role("group", name="The people in this file agreed to")
    for channel in ("Email", "Phone", "Post"):
        await expect(agreed.get_by_role("checkbox", name=channel, exact=True)).not_to_be_checked()
    await agreed.get_by_role("checkbox", name="Email", exact=True).check()
    await shoot(page, "import-4-options")

    # A prospect needs an email: the check ran with Lead, so the wizard offers to run it again.
    await page.get_by_label("Default type").select_option(label="Prospect")
    recheck = page.get_by_role("button", name="Check the rows again")
    await expect(
        page.get_by_text(re.compile("The rows were checked with “Lead” as the default type"))
    ).to_be_visible()
    await shoot(page, "import-4-options-recheck")
    await recheck.click()
    await expect(step_heading(page, "Check the rows")).to_be_visible()
    await expect(stat(page, "Rows in the file", "With errors")).to_have_text("3")
    await expect(errors.get_by_role("row", name=re.compile("^Row 6"))).to_contain_text(
        "required for a prospect"
    )
    await page.get_by_role("button", name="Next: options").click()
    # The choices are kept, and now match the check.
    await expect(page.get_by_label("Default type")).to_have_value("PROSPECT")
    await expect(page.get_by_label("Default status")).to_have_value("CONTACTED")
    await expect(page.get_by_label("New group name")).to_have_value(f"Imported {token}")
    await expect(agreed.get_by_role("checkbox", name="Email", exact=True)).to_be_checked()
    await expect(recheck).to_have_count(0)

    # Run to the end.
    await page.get_by_role("button", name="Start the import").click()
    await expect(step_heading(page, "Result")).to_be_visible(timeout=30_000)
    result = "Import result"
    await expect(stat(page, result, "Created")).to_have_text("2")
    await expect(stat(page, result, "Failed")).to_have_text("3")
    await expect(page.get_by_role("status").filter(has_text="finished")).to_be_visible()
    await shoot(page, "import-6-result")

    # The failed rows: the original columns and an Error column.
    async with page.expect_download() as info:
        await page.get_by_role("link", name="Download failed rows").click()
    failed = csv_rows(await download_text(await info.value))
    assert list(failed[0])[:5] == rows[0]
    assert list(failed[0])[-1] == "Error"
    assert [r["First name"] for r in failed] == ["Ben", "Ann again", "Dee"]
    assert "email" in failed[0]["Error"].lower()
    assert all(r["Error"] for r in failed)

    # The contacts are in the list, in the new group, with the default type.
    await page.get_by_role("link", name="Go to contacts").click()
    await page.get_by_role("searchbox", name="Search contacts").fill(f"Imp{token}")
    listed = page.get_by_role("row", name=re.compile(f"Imp{token}"))
    await expect(listed).to_have_count(2)
    ann = page.get_by_role("row", name=re.compile(f"Ann Imp{token}"))
    await expect(ann).to_contain_text("Prospect")
    await expect(ann).to_contain_text("Contacted")
    await expect(ann).to_contain_text(f"Acme {token}")
    data = await gql(
        "query($s: String) { groups(search: $s, first: 5) "
        "{ edges { node { name memberCount } } } }",
        s=f"Imported {token}",
    )
    assert [e["node"] for e in data["groups"]["edges"]] == [
        {"name": f"Imported {token}", "memberCount": 2}
    ]
    # Email consent, given by the import, as ticked; nothing else.
    data = await gql(
        "query($s: String) { contacts(search: $s) { edges { node "
        "{ preferences { consents { channel granted source } } } } } }",
        s=f"ann.{low}@example.com",
    )
    [edge] = data["contacts"]["edges"]
    consents = {
        c["channel"]: (c["granted"], c["source"]) for c in edge["node"]["preferences"]["consents"]
    }
    assert {k: v for k, v in consents.items() if v != (False, None)} == {"EMAIL": (True, "IMPORT")}


async def test_import_upload_shows_the_servers_error(page: Page, shoot: Shoot) -> None:
    await page.goto("/contacts/import")
    await page.get_by_role("button", name="Upload and continue").click()
    await expect(page.get_by_role("alert")).to_have_text("Choose a CSV or Excel file first.")
    await upload(page, "empty.csv", b"")
    error = page.locator(".field-error")
    await expect(error).to_be_visible()
    await expect(error).not_to_have_text("Choose a CSV or Excel file first.")
    await expect(page.get_by_label("File", exact=True)).to_have_attribute("aria-invalid", "true")
    await shoot(page, "import-upload-error")


async def test_cancel_a_running_import(page: Page, shoot: Shoot, token: str) -> None:
    count = 20_000
    rows = [["First name", "Last name", "Email"]] + [
        [f"N{i}", f"Big{token}", f"big{i}.{token.lower()}@example.com"] for i in range(count)
    ]
    await page.goto("/contacts/import")
    await upload(page, "big.csv", csv_bytes(rows))
    await expect(step_heading(page, "Match the columns")).to_be_visible()
    await page.get_by_role("button", name="Next: check the rows").click()
    await expect(stat(page, "Rows in the file", "Rows")).to_have_text(f"{count:,}", timeout=60_000)
    await page.get_by_role("button", name="Next: options").click()
    await page.get_by_role("button", name="Start the import").click()
    await expect(step_heading(page, "Importing")).to_be_visible()
    bar = page.get_by_role("progressbar", name="Import progress")
    await expect(bar).to_have_attribute("aria-valuemax", str(count))
    # At least one batch written, the import not finished.
    await expect(bar).to_have_attribute("aria-valuenow", re.compile(r"^[1-9]\d*$"), timeout=30_000)
    await shoot(page, "import-5-run")
    await page.get_by_role("button", name="Cancel the import").click()
    await expect(step_heading(page, "Result")).to_be_visible(timeout=30_000)
    await expect(page.get_by_role("status").filter(has_text="cancelled")).to_be_visible()
    created = int((await stat(page, "Import result", "Created").inner_text()).replace(",", ""))
    assert 0 < created < count
    await shoot(page, "import-6-result-cancelled")


async def test_companies_import_from_a_file_with_mixed_headers(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    # given a file of 20 companies with headers as another tool names them, one website twice
    low = token.lower()
    rows = [["Organisation", "Web site", "Sector", "Tel", "Town", "Country", "Products"]]
    for n in range(20):
        rows.append(
            [
                f"Firm {n:02d} {token}",
                f"https://www.firm{n:02d}-{low}.example.org/about",
                "Retail" if n % 2 else "Logistics",
                f"+44 20 7946 {n:04d}",
                "Leeds",
                "GB",
                f"Support {token}; Hosting {token}" if n < 5 else "",
            ]
        )
    rows.append([f"Firm 00 again {token}", f"firm00-{low}.example.org", "", "", "", "", ""])

    # when it is uploaded from the companies list's Import
    await page.goto("/companies")
    await page.get_by_role("link", name="Import", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/companies/import$"))
    await upload(page, f"firms-{token}.csv", csv_bytes(rows))

    # then the columns are matched to company fields
    await expect(step_heading(page, "Match the columns")).to_be_visible()
    for header_name, field in {
        "Organisation": "COMPANY",
        "Web site": "WEBSITE",
        "Sector": "INDUSTRY",
        "Tel": "PHONE",
        "Town": "CITY",
        "Country": "COUNTRY",
        "Products": "PRODUCTS",
    }.items():
        await expect(page.get_by_label(f"Import column {header_name} as")).to_have_value(field)
    await shoot(page, "import-companies-mapping")

    # and the check reports the products the catalogue does not have yet (5 rows)
    await page.get_by_role("button", name="Next: check the rows").click()
    await expect(step_heading(page, "Check the rows")).to_be_visible()
    await expect(stat(page, "Rows in the file", "Rows")).to_have_text("21")
    await expect(stat(page, "Rows in the file", "With errors")).to_have_text("5")

    # when the products are to be created as they come, and the rows checked again
    await page.get_by_role("button", name="Next: options").click()
    await page.get_by_role("radio", name=re.compile("Create the product")).check()
    recheck = page.get_by_role("button", name="Check the rows again")
    if await recheck.count():
        await recheck.click()
        await expect(step_heading(page, "Check the rows")).to_be_visible()
        # then only the repeated domain is left
        await expect(stat(page, "Rows in the file", "Repeated in the file")).to_have_text("1")
        await page.get_by_role("button", name="Next: options").click()
    await page.get_by_role("button", name="Start the import").click()

    # then 20 companies are created and the repeated one is reported
    await expect(step_heading(page, "Result")).to_be_visible(timeout=30_000)
    await expect(stat(page, "Import result", "Created")).to_have_text("20")
    await expect(stat(page, "Import result", "Failed")).to_have_text("1")
    await shoot(page, "import-companies-result")
    data = await gql(
        "query ($s: String) { companies(search: $s, first: 50) { totalCount edges { node "
        "{ name website industry phone { number } products { name } } } } }",
        s=token,
    )
    assert data["companies"]["totalCount"] == 20
    first = next(
        e["node"] for e in data["companies"]["edges"] if e["node"]["name"].startswith("Firm 00")
    )
    assert first["industry"] == "Logistics"
    assert first["phone"]["number"] == "+442079460000"
    assert sorted(p["name"] for p in first["products"]) == [f"Hosting {token}", f"Support {token}"]
