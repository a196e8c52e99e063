"""Reading uploads: encodings, delimiters, Excel quirks, header proposals, templates, limits."""

from __future__ import annotations

import dataclasses
import io

import httpx
import openpyxl
import pytest

from crm.app import create_app
from crm.contacts.models import Contact
from crm.imports.mapping import ImportField, header_key, propose
from crm.settings import get_settings
from tests.conftest import make_staff, signed_in
from tests.imports.helpers import csv_bytes, import_file, upload, uploaded_job

ROWS = [
    ["First name", "Last name", "Email", "City"],
    ["Zoë", "Müller", "zoe@example.com", "Zürich"],
    ["François", "Dupont; Sr", "francois@example.com", "Genève"],
]


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1252", b"", "cp1252"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
        ("utf-16-le", b"", "utf-16-le"),
    ],
)
async def test_each_encoding_imports_accents_intact(staff, encoding, prefix, expected) -> None:
    # given a file in the encoding a spreadsheet program may save
    content = prefix + csv_bytes(ROWS, encoding=encoding)
    # when it is uploaded and imported
    job = await uploaded_job(staff, content)
    assert job["encoding"] == expected
    done = await import_file(staff, content)
    # then every accented letter arrives as it was typed
    assert done["createdCount"] == 2
    names = {(c.first_name, c.last_name, c.city) for c in await Contact.all()}
    assert names == {("Zoë", "Müller", "Zürich"), ("François", "Dupont; Sr", "Genève")}


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
async def test_each_delimiter_is_detected(staff, delimiter) -> None:
    content = csv_bytes(ROWS, delimiter=delimiter)
    job = await uploaded_job(staff, content)
    assert job["delimiter"] == delimiter
    assert [c["header"] for c in job["columns"]] == ROWS[0]
    done = await import_file(staff, content)
    assert done["createdCount"] == 2
    assert await Contact.filter(last_name="Dupont; Sr").exists()


def xlsx_bytes(build) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    build(sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


async def test_excel_with_a_merged_title_merged_header_cells_and_empty_rows(staff) -> None:
    def build(sheet) -> None:
        sheet["A1"] = "Customer list, exported 2026"
        sheet.merge_cells("A1:E1")
        sheet.append(["Name", None, "Email", "Phone", None])
        sheet.merge_cells("A2:B2")  # "Name" spans the first and last name columns
        sheet.merge_cells("D2:E2")  # "Phone" spans two number columns
        sheet.append(["Grace", "Hopper", "grace@example.com", "020 7946 0018", 7400123456])
        sheet.append([])
        sheet.append([None, None, None, None, None])
        sheet.append(["Alan", "Turing", "alan@example.com", None, None])

    content = xlsx_bytes(build)
    job = await uploaded_job(staff, content, "people.xlsx")
    # the header is the row under the title; empty header cells get their column letter
    assert job["format"] == "xlsx"
    assert [c["header"] for c in job["columns"]] == [
        "Name", "Column B", "Email", "Phone", "Column E",
    ]  # fmt: skip
    columns = [
        {"index": 0, "field": "FIRST_NAME"},
        {"index": 1, "field": "LAST_NAME"},
        {"index": 2, "field": "EMAIL"},
        {"index": 3, "field": "OFFICE_PHONE"},
        {"index": 4, "field": "MOBILE_PHONE"},
    ]
    from tests.imports.helpers import run_import

    done = await run_import(staff, job, columns=columns)
    assert (done["createdCount"], done["failedCount"]) == (2, 0)
    grace = await Contact.get(email="grace@example.com").prefetch_related("phones")
    assert (grace.first_name, grace.last_name) == ("Grace", "Hopper")
    # the number Excel stored as a number keeps its digits
    assert sorted(p.e164 for p in grace.phones) == ["+442079460018", "+447400123456"]


async def test_five_column_and_sixty_column_files(staff) -> None:
    small = csv_bytes(
        [["Name", "E-mail", "Tel", "Organisation", "Country"]]
        + [[f"Person {n}", f"p{n}@example.com", "020 7946 0018", "Acme", "GB"] for n in range(5)]
    )
    done = await import_file(staff, small)
    assert done["createdCount"] == 5
    assert await Contact.filter(first_name="Person", company__name="Acme").count() == 5

    headers = ["Last name", "Email"] + [f"Custom {n}" for n in range(58)]
    wide = csv_bytes(
        [headers]
        + [[f"Wide{n}", f"w{n}@example.com"] + [f"x{n}-{c}" for c in range(58)] for n in range(3)]
    )
    job = await uploaded_job(staff, wide)
    assert len(job["columns"]) == 60
    assert [c["field"] for c in job["columns"][2:]] == [None] * 58
    from tests.imports.helpers import run_import

    done = await run_import(staff, job)
    assert done["createdCount"] == 3


def test_header_proposals() -> None:
    headers = [
        "E-mail", "Surname", "Given name", "Mobile", "Tel", "Organisation", "Country",
        "Email Address", "Job Title", "Zip", "Town", "Notes", "Created at (UTC)",
    ]  # fmt: skip
    assert propose(headers) == [
        ImportField.EMAIL, ImportField.LAST_NAME, ImportField.FIRST_NAME,
        ImportField.MOBILE_PHONE, ImportField.OTHER_PHONE, ImportField.COMPANY,
        ImportField.COUNTRY, None, ImportField.JOB_TITLE, ImportField.POSTAL_CODE,
        ImportField.CITY, None, None,
    ]  # fmt: skip
    assert propose(["Full name", "Email"]) == [ImportField.FULL_NAME, ImportField.EMAIL]
    # first + last win over a "Name" column
    assert propose(["Name", "First name", "Last name"]) == [
        None,
        ImportField.FIRST_NAME,
        ImportField.LAST_NAME,
    ]
    assert header_key("  E-Mail Address* ") == "e mail address"


async def test_full_name_is_split(staff) -> None:
    content = csv_bytes(
        [["Full name", "Email"], ["Dr Jane van Dijk", "jane@example.com"], ["Smith, Ann", ""]]
    )
    done = await import_file(staff, content)
    assert done["createdCount"] == 2
    jane = await Contact.get(email="jane@example.com")
    assert (jane.title, jane.first_name, jane.last_name) == ("DR", "Jane van", "Dijk")
    assert await Contact.filter(first_name="Ann", last_name="Smith").exists()


async def test_templates_download_and_import_as_they_are(staff) -> None:
    for name in ("template.csv", "template.xlsx"):
        response = await staff.http.get(f"/import/{name}")
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        done = await import_file(staff, response.content, name=name)
        assert (done["createdCount"] + done["skippedCount"], done["failedCount"]) == (2, 0), done
    ada = await Contact.get(email="ada.lovelace@example.com").prefetch_related("company", "phones")
    assert ada.company.name == "Analytical Engines Ltd"
    assert ada.type == "CLIENT" and ada.email_opt_in and not ada.sms_opt_in
    zoe = await Contact.get(email="zoe.muller@example.org")
    assert zoe.country == "DE"


async def test_upload_needs_staff_and_the_csrf_header(app, anonymous, staff) -> None:
    content = csv_bytes(ROWS)
    assert (await upload(anonymous, content)).status_code == 401
    assert (await anonymous.http.get("/import/template.csv")).status_code == 401
    refused = await upload(staff, content, headers={})
    assert refused.status_code == 415
    assert refused.json()["errors"][0]["extensions"]["code"] == "CSRF"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"   \r\n \r\n", "empty"),
        (b"PK\x03\x04not really a zip", "not an Excel"),
        (b"\x00\x01\x02\x03binary\x00\x00\xff", "binary"),
    ],
)
async def test_unreadable_files_are_refused_naming_the_file_field(staff, content, message) -> None:
    response = await upload(staff, content, name="x.csv")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert message in error["message"]
    assert error["extensions"]["field"] == "file"


async def test_an_oversize_file_is_refused_before_it_is_read_whole(db) -> None:
    settings = dataclasses.replace(get_settings(), max_upload_bytes=200_000)
    app = create_app(settings, manage_db=False)
    client = await signed_in(app, await make_staff())
    sent = 0

    async def body():
        nonlocal sent
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
        for _ in range(1000):  # 10 MB, far over the cap
            sent += 1
            yield b"Last name\r\n" + b"x" * 10_000 + b"\r\n"
        yield b"\r\n--b--\r\n"

    response = await client.http.post(
        "/import/upload",
        content=body(),
        headers={"content-type": "multipart/form-data; boundary=b", "X-CRM-CSRF": "1"},
    )
    assert response.status_code == 413
    assert "limit" in response.json()["errors"][0]["message"]
    assert sent < 100  # stopped after about 200 kB, not after 10 MB
    # a declared length over the cap is refused without reading anything
    declared = await client.http.post(
        "/import/upload",
        content=b"x" * 300_000,
        headers={"content-type": "multipart/form-data; boundary=b", "X-CRM-CSRF": "1"},
    )
    assert declared.status_code == 413
    await client.http.aclose()
    assert not isinstance(httpx, type(None))
