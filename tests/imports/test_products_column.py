"""The "Products" column: exported as names joined by "; ", imported matched folded, unknown
names created or reported as the Options step says (issue 16)."""

from __future__ import annotations

import csv
import io

from crm.contacts.models import Contact
from crm.products.models import ContactProduct, Product
from tests.contacts.helpers import create_contact
from tests.graphql_client import GraphQLClient
from tests.imports.helpers import csv_bytes, import_file, preview, proposed_columns, uploaded_job

CREATE_PRODUCT = """
mutation ($input: CreateProductInput!) {
  createProduct(input: $input) { product { id name } errors { field message code } }
}
"""


async def _product(staff: GraphQLClient, name: str) -> str:
    payload = await staff.mutate("createProduct", CREATE_PRODUCT, {"name": name})
    assert payload["errors"] == [], payload
    return payload["product"]["id"]


async def _products_of(last_name: str) -> list[str]:
    contact = await Contact.get(last_name=last_name)
    links = await ContactProduct.filter(contact_id=contact.id).prefetch_related("product")
    return sorted(link.product.name for link in links)


async def test_export_writes_the_product_names_and_reimport_keeps_them(staff) -> None:
    # given a contact using two products
    ids = [await _product(staff, "Support plan"), await _product(staff, "Café machines")]
    await create_contact(staff, lastName="Ek", email="ek@example.se", productIds=ids)

    # when exported, then imported again as it is after the links were removed
    exported = (await staff.http.get("/export/contacts.csv")).content
    row = next(csv.DictReader(io.StringIO(exported.decode(), newline="")))
    await ContactProduct.all().delete()
    done = await import_file(staff, exported, {"duplicateMode": "UPDATE"})

    # then the cell names both, and the import links them again
    assert row["Products"] == "Café machines; Support plan"
    assert (done["updatedCount"], done["failedCount"]) == (1, 0)
    assert await _products_of("Ek") == ["Café machines", "Support plan"]


async def test_unknown_products_are_reported_by_default(staff) -> None:
    # given one product, and a file naming it in another case and without its accent
    await _product(staff, "Café machines")
    content = csv_bytes(
        [
            ["Last name", "Product/Service"],
            ["Known", "CAFE MACHINES"],
            ["Unknown", "Cafe machines; Window cleaning"],
        ]
    )
    job_data = await uploaded_job(staff, content)
    assert proposed_columns(job_data)[1]["field"] == "PRODUCTS"

    # when imported with the default options
    done = await import_file(staff, content)

    # then the known name links the product, the unknown one fails its row
    assert (done["createdCount"], done["failedCount"]) == (1, 1)
    assert await _products_of("Known") == ["Café machines"]
    [error] = done["errors"]
    assert (error["row"], error["column"], error["code"]) == (3, "Product/Service", "NOT_FOUND")
    assert "'Window cleaning'" in error["message"]
    assert await Product.all().count() == 1


async def test_unknown_products_are_created_when_chosen(staff) -> None:
    # given a file naming a new product twice, spelled two ways
    content = csv_bytes(
        [["Last name", "Products"], ["Ann", "Window cleaning"], ["Bob", "WINDOW CLEANING; Café"]]
    )
    job_data = await uploaded_job(staff, content)

    # when previewed, then imported, creating unknown products
    options = {"unknownProducts": "CREATE"}
    previewed = await preview(staff, job_data, options)
    done = await import_file(staff, content, options)

    # then the preview created nothing and counted the rows valid; the import made each once
    assert previewed["preview"]["validRows"] == 2
    assert (done["createdCount"], done["failedCount"]) == (2, 0)
    assert done["options"]["unknownProducts"] == "CREATE"
    assert sorted(await Product.all().values_list("name", flat=True)) == [
        "Café",
        "Window cleaning",
    ]
    assert await _products_of("Bob") == ["Café", "Window cleaning"]


async def test_a_product_name_of_ten_thousand_characters_fails_its_row(staff) -> None:
    # given a file whose Products cell is 10,000 characters long
    content = csv_bytes([["Last name", "Products"], ["Long", "x" * 10_000], ["Short", ""]])

    # when imported, creating unknown products
    done = await import_file(staff, content, {"unknownProducts": "CREATE"})

    # then that row fails on its Products column, and no product is made
    assert (done["createdCount"], done["failedCount"]) == (1, 1)
    assert [(e["row"], e["field"], e["code"]) for e in done["errors"]] == [
        (2, "PRODUCTS", "INVALID")
    ]
    assert not await Product.exists()
