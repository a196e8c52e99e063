"""Company export: CSV and xlsx of the company list view or of selected rows (issue 16)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl

from crm.exports.companies import COMPANY_HEADERS, CompanyExportRequest, company_pages
from crm.exports.xlsx import xlsx_headers
from tests.graphql_client import GraphQLClient

CREATE_COMPANY = """
mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) { company { id name } errors { field message code } }
}
"""
CREATE_PRODUCT = """
mutation ($input: CreateProductInput!) {
  createProduct(input: $input) { product { id } errors { field code } }
}
"""


async def _company(staff: GraphQLClient, name: str, **fields: Any) -> str:
    payload = await staff.mutate("createCompany", CREATE_COMPANY, {"name": name, **fields})
    assert payload["errors"] == [], payload
    return payload["company"]["id"]


async def _product(staff: GraphQLClient, name: str) -> str:
    return (await staff.mutate("createProduct", CREATE_PRODUCT, {"name": name}))["product"]["id"]


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


async def _acme(staff: GraphQLClient) -> str:
    products = [await _product(staff, "Support"), await _product(staff, "Café machines")]
    return await _company(
        staff,
        "Acme, Ltd",
        website="https://acme.example.com",
        industry="Retail",
        phone="+46701119906",
        phoneCountry="SE",
        address={"line1": "1 Main Street", "city": "Uppsala", "country": "SE"},
        notes="=1+1",
        productIds=products,
    )


async def test_csv_has_every_field_and_the_products(staff: GraphQLClient) -> None:
    # given a company with an address, a phone, notes that look like a formula and products
    acme = await _acme(staff)

    # when exported as CSV
    response = await staff.http.get("/export/companies.csv")

    # then the file is an attachment with one row in the headers' order
    assert response.status_code == 200
    assert 'filename="companies-' in response.headers["content-disposition"]
    [row] = _csv(response.content)
    assert list(row) == COMPANY_HEADERS
    assert row["ID"] == acme
    assert row["Name"] == "Acme, Ltd"
    assert row["Website"] == "https://acme.example.com"
    assert row["Industry"] == "Retail"
    assert row["Phone"] == "+46701119906"
    assert (row["Address line 1"], row["City"], row["Country"]) == (
        "1 Main Street",
        "Uppsala",
        "SE",
    )
    assert row["Products"] == "Café machines; Support"
    assert row["Notes"] == "'=1+1"
    assert row["Created at"].endswith("+00:00")


async def test_xlsx_has_the_same_row(staff: GraphQLClient) -> None:
    # given the same company
    await _acme(staff)

    # when exported as xlsx
    response = await staff.http.get("/export/companies.xlsx")

    # then the sheet holds the same cells, datetimes as UTC, and no formula
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Companies" and list(rows[0]) == xlsx_headers(COMPANY_HEADERS)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Products"] == "Café machines; Support" and row["Notes"] == "'=1+1"
    assert row["Created at (UTC)"] is not None
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


async def test_the_view_or_the_selection_is_exported(staff: GraphQLClient) -> None:
    # given three companies in two industries
    await _company(staff, "Beta", industry="Retail")
    alpha = await _company(staff, "Alpha", industry="Retail")
    gamma = await _company(staff, "Gamma", industry="Mining")

    # when exporting a filter in descending name order, a search, and a selection
    def names(body: bytes) -> list[str]:
        return [row["Name"] for row in _csv(body)]

    view = await staff.http.get(
        "/export/companies.csv",
        params={
            "filter": json.dumps({"industry": "retail"}),
            "orderBy": "NAME",
            "direction": "DESC",
        },
    )
    found = await staff.http.get("/export/companies.csv", params={"search": "gam"})
    chosen = await staff.http.get("/export/companies.csv", params={"ids": f"{gamma},{alpha}"})

    # then each file holds what the list shows
    assert names(view.content) == ["Beta", "Alpha"]
    assert names(found.content) == ["Gamma"]
    assert names(chosen.content) == ["Alpha", "Gamma"]


async def test_bad_parameters_and_anonymous_are_refused(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    contact_id = "Q29udGFjdDox"  # Contact:1
    bad_id = await staff.http.get("/export/companies.csv", params={"ids": contact_id})
    bad_filter = await staff.http.get("/export/companies.csv", params={"filter": '{"nope": 1}'})
    assert (bad_id.status_code, bad_filter.status_code) == (400, 400)
    for path in ("/export/companies.csv", "/export/companies.xlsx"):
        assert (await anonymous.http.get(path)).status_code == 401


async def test_pages_cover_every_company_once(staff: GraphQLClient) -> None:
    # given more companies than a page holds
    for index in range(25):
        await _company(staff, f"Company {index:02}")

    # when read in pages of 10
    pages = [page async for page in company_pages(CompanyExportRequest(page_size=10))]

    # then three pages hold every company once, in name order
    assert [len(page) for page in pages] == [10, 10, 5]
    names = [record.values[1] for page in pages for record in page]
    assert names == [f"Company {index:02}" for index in range(25)]
