"""An export imported again: the same contacts, no new rows (issue 16)."""

from __future__ import annotations

import csv
import io

from crm.contacts.models import Contact
from crm.core.spreadsheet import escape_formula
from tests.contacts.helpers import create_contact
from tests.graphql_client import GraphQLClient
from tests.imports.helpers import import_file, proposed_columns, uploaded_job

# Columns an import cannot give back as they were: when the contact was last written.
_MOVING = {"Updated at"}


async def _people(staff: GraphQLClient) -> None:
    await create_contact(
        staff,
        firstName="Sven",
        lastName="Ek",
        email="sven.ek@example.se",
        phones=[{"number": "+46701119906", "type": "MOBILE", "isPrimary": True}],
        address={"line1": "-12.50", "city": "Uppsala", "country": "SE"},
    )
    # No email: only the ID can tell that the row is this contact.
    await create_contact(staff, firstName="Nils", lastName="Holm", jobTitle="'+1 strange")


def _rows(body: bytes) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    return [{k: v for k, v in row.items() if k not in _MOVING} for row in rows]


def test_the_formula_guard_leaves_numbers_alone() -> None:
    assert escape_formula("+46701119906") == "+46701119906"
    assert escape_formula("-12.50") == "-12.50"
    assert escape_formula("-1,234.50") == "-1,234.50"
    assert escape_formula("-2+3") == "'-2+3"
    assert escape_formula("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert escape_formula("=1") == "'=1"
    assert escape_formula("@SUM(A1)") == "'@SUM(A1)"
    assert escape_formula("'+1 strange") == "''+1 strange"
    assert escape_formula("-") == "'-"


async def test_plain_csv_keeps_phone_numbers_and_negative_amounts(staff) -> None:
    # given a contact with a Swedish mobile and an address line that is a negative amount
    await _people(staff)

    # when exported as plain CSV
    rows = _rows((await staff.http.get("/export/contacts.csv")).content)

    # then the number and the amount are written as they are
    sven = next(row for row in rows if row["Last name"] == "Ek")
    assert sven["Mobile phone"] == "+46701119906"
    assert sven["Primary phone"] == "+46701119906"
    assert sven["Address line 1"] == "-12.50"


async def test_an_export_imported_again_gives_the_same_contacts(staff) -> None:
    # given two contacts, one without an email, exported as CSV
    await _people(staff)
    exported = (await staff.http.get("/export/contacts.csv")).content

    # when the file is imported again as it is, with the proposed mapping, updating
    job_data = await uploaded_job(staff, exported)
    assert {"index": 0, "field": "ID"} in proposed_columns(job_data)
    skipped = await import_file(staff, exported)
    updated = await import_file(staff, exported, {"duplicateMode": "UPDATE"})

    # then no contact is added and a new export has the same values
    assert (skipped["createdCount"], skipped["skippedCount"], skipped["failedCount"]) == (0, 2, 0)
    assert (updated["createdCount"], updated["updatedCount"], updated["failedCount"]) == (0, 2, 0)
    assert await Contact.all().count() == 2
    again = (await staff.http.get("/export/contacts.csv")).content
    assert _rows(again) == _rows(exported)


async def test_an_id_column_of_another_tool_is_not_proposed(staff) -> None:
    # given a file whose ID column holds another tool's record numbers
    content = b"ID,Last name\r\n1001,Holm\r\n1002,Ek\r\n"

    # when uploaded
    job_data = await uploaded_job(staff, content)

    # then the column is left out of the proposal, and the rows import as new contacts
    assert proposed_columns(job_data)[0] == {"index": 0, "field": None}
    done = await import_file(staff, content)
    assert done["createdCount"] == 2
