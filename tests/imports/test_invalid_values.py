"""One bad value no longer loses a whole row: "import the row without the invalid field"
(invalidValues DROP_FIELD), and the tables of problems name the contact (issue 16)."""

from __future__ import annotations

import csv
import io

from crm.contacts.models import Contact
from tests.imports.helpers import csv_bytes, import_file, preview, uploaded_job

HEADER = ["First name", "Last name", "Email", "Title", "Mobile"]
ROWS = [
    ["Ada", "Lovelace", "ada@example.com", "Sir", "07400 123456"],
    ["Bob", "Stone", "not an email", "Mr", "12"],
    ["", "x" * 300, "long@example.com", "", ""],
]


async def test_skip_row_is_the_default_and_names_the_contact(staff) -> None:
    # given a file whose rows each hold an invalid value
    content = csv_bytes([HEADER, *ROWS])

    # when checked and imported with the default options
    checked = await preview(staff, await uploaded_job(staff, content))
    done = await import_file(staff, content)

    # then every row fails, and each problem names the row's contact beside its number
    assert checked["options"]["invalidValues"] == "SKIP_ROW"
    assert checked["preview"]["invalidRows"] == 3
    first = checked["preview"]["errors"][0]
    assert (first["row"], first["name"], first["email"]) == (2, "Ada Lovelace", "ada@example.com")
    assert (done["createdCount"], done["failedCount"], done["partialCount"]) == (0, 3, 0)
    assert done["errors"][0]["name"] == "Ada Lovelace"


async def test_drop_field_imports_the_row_without_the_invalid_field(staff) -> None:
    # given the same file
    content = csv_bytes([HEADER, *ROWS])
    options = {"invalidValues": "DROP_FIELD"}

    # when checked and imported without the invalid fields
    checked = await preview(staff, await uploaded_job(staff, content), options)
    done = await import_file(staff, content, options)

    # then the two rows with a bad title, email or phone are imported without them; the row
    # whose only name is refused still fails, as it would be nameless without it
    assert (checked["preview"]["validRows"], checked["preview"]["partialRows"]) == (2, 2)
    assert (done["createdCount"], done["failedCount"], done["partialCount"]) == (2, 1, 2)
    ada = await Contact.get(last_name="Lovelace").prefetch_related("phones")
    assert ada.title is None and ada.email == "ada@example.com"
    assert [p.e164 for p in ada.phones] == ["+447400123456"]
    bob = await Contact.get(last_name="Stone").prefetch_related("phones")
    assert bob.email is None and bob.title == "MR" and list(bob.phones) == []
    dropped = [(e["row"], e["column"], e["dropped"]) for e in done["errors"] if e["dropped"]]
    assert dropped == [(2, "Title", True), (3, "Email", True), (3, "Mobile", True)]

    # and the failed-rows file lists the three rows, saying what was left out
    failed = await staff.http.get(done["failedRowsUrl"])
    rows = list(csv.DictReader(io.StringIO(failed.content.decode("utf-8-sig"), newline="")))
    assert [row["Last name"] for row in rows] == ["Lovelace", "Stone", "x" * 300]
    assert rows[0]["Error"].startswith("Imported without Title: 'Sir' is not a title")
    assert rows[1]["Error"].count("Imported without") == 2
    assert not rows[2]["Error"].startswith("Imported without")
