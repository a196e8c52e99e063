"""Companies import: the contacts import's machinery with the companies target (issue 16)."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl

from crm.companies.filters import CompanyFilterSpec, filtered_companies
from crm.companies.models import Company
from crm.products.models import CompanyProduct, Product
from tests.graphql_client import GraphQLClient
from tests.imports.helpers import CSRF, csv_bytes, job, preview, proposed_columns, run_import

CREATE_COMPANY = """
mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) { company { id } errors { field message code } }
}
"""


async def _upload(staff: GraphQLClient, content: bytes, name: str = "companies.csv") -> dict:
    response = await staff.http.post(
        "/import/upload",
        files={"file": (name, content)},
        data={"target": "COMPANIES"},
        headers=CSRF,
    )
    assert response.status_code == 201, response.text
    return await job(staff, response.json()["id"])


async def _import(staff: GraphQLClient, content: bytes, options: dict | None = None) -> dict:
    return await run_import(staff, await _upload(staff, content), options)


async def _company(staff: GraphQLClient, **fields: Any) -> None:
    payload = await staff.mutate("createCompany", CREATE_COMPANY, fields)
    assert payload["errors"] == [], payload


def _fields(job_data: dict) -> list[str | None]:
    return [column["field"] for column in proposed_columns(job_data)]


async def test_templates_download_and_import_as_they_are(staff) -> None:
    # given the two companies templates
    as_csv = await staff.http.get("/import/companies-template.csv")
    as_xlsx = await staff.http.get("/import/companies-template.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet.title == "Companies"

    # when the CSV one is imported as it is
    done = await _import(staff, as_csv.content)

    # then its two companies exist, with their websites, phones and countries, and search
    # finds them
    assert (done["createdCount"], done["failedCount"]) == (2, 0)
    assert await filtered_companies(CompanyFilterSpec(), "muller sohne").count() == 1
    muller = await Company.get(name="Müller & Söhne GmbH")
    assert (muller.website, muller.country, muller.phone) == (
        "https://www.mueller.example.de",
        "DE",
        "+4930901820",
    )


async def test_mixed_headers_are_proposed(staff) -> None:
    # given a file with headers as other tools write them
    headers = ["Organisation", "Web Site", "Sector", "Tel", "Street", "Town", "Zip",
               "Country", "Product/Service", "Comments", "Account owner"]  # fmt: skip

    # when uploaded as companies
    job_data = await _upload(staff, csv_bytes([headers, ["Acme"] + [""] * 10]))

    # then each column is proposed the company field it holds
    assert job_data["target"] == "COMPANIES"
    assert _fields(job_data) == [
        "COMPANY", "WEBSITE", "INDUSTRY", "PHONE", "ADDRESS_LINE1", "CITY", "POSTAL_CODE",
        "COUNTRY", "PRODUCTS", "NOTES", None,
    ]  # fmt: skip


async def test_the_same_domain_twice_in_a_file_imports_the_first(staff) -> None:
    # given a file where two rows share a domain, and two others a name without a website
    content = csv_bytes(
        [
            ["Company", "Website"],
            ["Acme", "https://www.acme.example.com/about"],
            ["ACME Europe", "acme.example.com"],
            ["Beta", ""],
            ["beta", ""],
        ]
    )

    # when checked, then imported
    checked = await preview(staff, await _upload(staff, content))
    done = await _import(staff, content)

    # then the later rows are in-file duplicates, reported on their column
    assert checked["preview"]["inFileDuplicateRows"] == 2
    assert (done["createdCount"], done["failedCount"]) == (2, 2)
    problems = [(e["row"], e["column"], e["code"]) for e in done["errors"]]
    assert problems == [(3, "Website", "DUPLICATE"), (5, "Company", "DUPLICATE")]
    assert sorted(await Company.all().values_list("name", flat=True)) == ["Acme", "Beta"]


async def test_existing_companies_match_by_domain_else_name(staff) -> None:
    # given two companies, one with a website
    await _company(staff, name="Acme Ltd", website="https://acme.example.com/")
    await _company(staff, name="Beta", industry="Retail")
    content = csv_bytes(
        [
            ["Name", "Website", "Industry"],
            ["Acme Limited", "http://www.ACME.example.com", "Mining"],
            ["BETA", "", "Farming"],
            ["Gamma", "", ""],
        ]
    )

    # when imported skipping, reporting and updating duplicates
    skipped = await _import(staff, content)
    reported = await _import(staff, content, {"duplicateMode": "ERROR"})
    updated = await _import(staff, content, {"duplicateMode": "UPDATE"})

    # then the first two rows are the existing companies each time
    assert (skipped["createdCount"], skipped["skippedCount"]) == (1, 2)
    assert [(e["row"], e["code"]) for e in reported["errors"]] == [
        (2, "DUPLICATE"),
        (3, "DUPLICATE"),
        (4, "DUPLICATE"),
    ]
    assert (updated["updatedCount"], updated["createdCount"]) == (3, 0)
    acme = await Company.get(name="Acme Limited")
    beta = await Company.get(sort_name="beta")
    assert (acme.name, acme.industry, beta.industry) == ("Acme Limited", "Mining", "Farming")
    assert await Company.all().count() == 3


async def test_errors_by_row_and_column_and_the_failed_rows_file(staff) -> None:
    # given a file with a bad website, an unknown country, a missing name and a product name
    # of 10,000 characters
    content = csv_bytes(
        [
            ["Company", "Website", "Country", "Products"],
            ["Good", "good.example.com", "Sweden", ""],
            ["Bad site", "not a site", "", ""],
            ["Bad country", "", "Atlantis", ""],
            ["", "nameless.example.com", "", ""],
            ["Long product", "", "", "x" * 10_000],
        ]
    )

    # when checked and imported
    checked = await preview(staff, await _upload(staff, content))
    done = await _import(staff, content, {"unknownProducts": "CREATE"})

    # then each problem names its row, column and company; the file lists the failed rows
    problems = [(e["row"], e["column"], e["code"], e["name"]) for e in checked["preview"]["errors"]]
    assert problems == [
        (3, "Website", "INVALID", "Bad site"),
        (4, "Country", "INVALID", "Bad country"),
        (5, "Company", "REQUIRED", None),
        (6, "Products", "INVALID", "Long product"),
    ]
    assert (done["createdCount"], done["failedCount"]) == (1, 4)
    assert not await Product.exists()
    failed = await staff.http.get(done["failedRowsUrl"])
    rows = list(csv.DictReader(io.StringIO(failed.content.decode("utf-8-sig"), newline="")))
    assert [row["Company"] for row in rows] == ["Bad site", "Bad country", "", "Long product"]


async def test_drop_field_and_products(staff) -> None:
    # given a company file with a bad website and a new product
    content = csv_bytes([["Company", "Website", "Products"], ["Acme", "nope", "Café; cafe"]])

    # when imported without invalid fields, creating products
    done = await _import(
        staff, content, {"invalidValues": "DROP_FIELD", "unknownProducts": "CREATE"}
    )

    # then the company is created without its website and uses the one product
    assert (done["createdCount"], done["partialCount"]) == (1, 1)
    acme = await Company.get(name="Acme")
    assert acme.website is None
    assert await CompanyProduct.filter(company_id=acme.id).count() == 1


async def test_an_export_imported_again_gives_the_same_companies(staff) -> None:
    # given two companies, one without a website, exported
    await _company(staff, name="Acme", website="acme.example.com", phone="+46701119906")
    await _company(staff, name="Beta", industry="Retail", notes="-5 units")
    exported = (await staff.http.get("/export/companies.csv")).content

    # when the file is imported again, updating
    job_data = await _upload(staff, exported)
    done = await run_import(staff, job_data, {"duplicateMode": "UPDATE"})

    # then the ID column was proposed, nothing was added, and the export is the same
    assert _fields(job_data)[0] == "ID"
    assert (done["createdCount"], done["updatedCount"], done["failedCount"]) == (0, 2, 0)

    def without_updated_at(body: bytes) -> list[dict[str, str]]:
        rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
        return [{k: v for k, v in row.items() if k != "Updated at"} for row in rows]

    again = (await staff.http.get("/export/companies.csv")).content
    assert without_updated_at(again) == without_updated_at(exported)


async def test_an_unknown_target_is_refused(staff) -> None:
    response = await staff.http.post(
        "/import/upload", files={"file": ("x.csv", b"a,b\r\n1,2\r\n")}, data={"target": "CATS"},
        headers=CSRF,
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["field"] == "target"
