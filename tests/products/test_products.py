"""The product catalogue: names unique whatever the case and accents, linked to contacts and
companies, filtered on, archived when in use."""

from __future__ import annotations

from typing import Any

from tests.graphql_client import GraphQLClient

PRODUCT = "id name code description archived contactCount companyCount"
CREATE = f"""
mutation ($input: CreateProductInput!) {{
  createProduct(input: $input) {{ product {{ {PRODUCT} }} errors {{ field message code }} }}
}}
"""
UPDATE = f"""
mutation ($input: UpdateProductInput!) {{
  updateProduct(input: $input) {{ product {{ {PRODUCT} }} errors {{ field message code }} }}
}}
"""
DELETE = """
mutation ($input: ProductIdInput!) {
  deleteProduct(input: $input) { deletedId errors { field message code } }
}
"""
CREATE_CONTACT = """
mutation ($input: CreateContactInput!) {
  createContact(input: $input) {
    contact { id products { name } } errors { field message code }
  }
}
"""
UPDATE_CONTACT = """
mutation ($input: UpdateContactInput!) {
  updateContact(input: $input) {
    contact { id products { name } } errors { field message code }
  }
}
"""
CREATE_COMPANY = """
mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) {
    company { id products { name } } errors { field message code }
  }
}
"""
CONTACTS_USING = """
query ($id: ID!) {
  contacts(filter: {productId: $id}) { totalCount edges { node { lastName } } }
}
"""
COMPANIES_USING = """
query ($id: ID!) { companies(filter: {productId: $id}) { totalCount edges { node { name } } } }
"""
PRODUCTS = f"{{ products(first: 50) {{ edges {{ node {{ {PRODUCT} }} }} }} }}"


async def product(staff: GraphQLClient, name: str, **more: Any) -> dict[str, Any]:
    payload = await staff.mutate("createProduct", CREATE, {"name": name, **more})
    assert payload["errors"] == [], payload
    return payload["product"]


async def test_names_are_unique_whatever_their_case_and_accents(staff: GraphQLClient) -> None:
    # given a product
    created = await product(staff, "Café Support", code="CS-1", description="Help\nline")
    assert (created["code"], created["description"]) == ("CS-1", "Help\nline")
    # when another is named the same but for case and accents
    twin = await staff.mutate("createProduct", CREATE, {"name": "  cafe SUPPORT "})
    # then it is a DUPLICATE on the name, and only one exists
    assert [(e["field"], e["code"]) for e in twin["errors"]] == [(["input", "name"], "DUPLICATE")]
    assert len((await staff.execute(PRODUCTS)).data["products"]["edges"]) == 1
    # and renaming another product to it is refused too
    other = await product(staff, "Hosting")
    renamed = await staff.mutate(
        "updateProduct", UPDATE, {"id": other["id"], "name": "CAFÉ support"}
    )
    assert renamed["errors"][0]["code"] == "DUPLICATE"


async def test_bad_names_are_refused_on_the_field(staff: GraphQLClient) -> None:
    for name, code in (("", "REQUIRED"), ("x" * 10_000, "INVALID")):
        payload = await staff.mutate("createProduct", CREATE, {"name": name})
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [(["input", "name"], code)]


async def test_contacts_and_companies_use_products_and_are_found_by_them(
    staff: GraphQLClient,
) -> None:
    # given two products
    support, hosting = await product(staff, "Support"), await product(staff, "Hosting")
    # when a contact and a company are linked to them
    ann = await staff.mutate(
        "createContact",
        CREATE_CONTACT,
        {"lastName": "Ann", "productIds": [support["id"], hosting["id"], support["id"]]},
    )
    await staff.mutate("createContact", CREATE_CONTACT, {"lastName": "Bob"})
    acme = await staff.mutate(
        "createCompany", CREATE_COMPANY, {"name": "Acme", "productIds": [hosting["id"]]}
    )
    # then each shows its products by name
    assert ann["contact"]["products"] == [{"name": "Hosting"}, {"name": "Support"}]
    assert acme["company"]["products"] == [{"name": "Hosting"}]
    # and filtering by product finds them, and the catalogue counts them
    using = (await staff.execute(CONTACTS_USING, {"id": support["id"]})).data["contacts"]
    assert (using["totalCount"], using["edges"][0]["node"]["lastName"]) == (1, "Ann")
    companies = (await staff.execute(COMPANIES_USING, {"id": hosting["id"]})).data["companies"]
    assert companies["totalCount"] == 1
    counts = {
        edge["node"]["name"]: (edge["node"]["contactCount"], edge["node"]["companyCount"])
        for edge in (await staff.execute(PRODUCTS)).data["products"]["edges"]
    }
    assert counts == {"Hosting": (1, 1), "Support": (1, 0)}
    # and an update replaces the contact's products
    updated = await staff.mutate(
        "updateContact", UPDATE_CONTACT, {"id": ann["contact"]["id"], "productIds": [hosting["id"]]}
    )
    assert updated["contact"]["products"] == [{"name": "Hosting"}]
    unchanged = await staff.mutate(
        "updateContact", UPDATE_CONTACT, {"id": ann["contact"]["id"], "lastName": "Annie"}
    )
    assert unchanged["contact"]["products"] == [{"name": "Hosting"}]


async def test_a_segment_can_filter_by_product(staff: GraphQLClient) -> None:
    support = await product(staff, "Support")
    await staff.mutate(
        "createContact", CREATE_CONTACT, {"lastName": "Ann", "productIds": [support["id"]]}
    )
    await staff.mutate("createContact", CREATE_CONTACT, {"lastName": "Bob"})
    saved = await staff.execute(
        """mutation ($id: ID!) {
          createSegment(input: {name: "Support users", filter: {productId: $id}}) {
            segment { filter { productId } contacts { totalCount } } errors { field code }
          }
        }""",
        {"id": support["id"]},
    )
    segment = saved.data["createSegment"]["segment"]
    assert segment["filter"]["productId"] == support["id"]
    assert segment["contacts"]["totalCount"] == 1


async def test_a_product_in_use_is_archived_not_deleted(staff: GraphQLClient) -> None:
    # given a product a contact uses, and an unused one
    used, unused = await product(staff, "Used"), await product(staff, "Unused")
    ann = await staff.mutate(
        "createContact", CREATE_CONTACT, {"lastName": "Ann", "productIds": [used["id"]]}
    )
    # then the used one cannot be deleted, the unused one can
    refused = await staff.mutate("deleteProduct", DELETE, {"id": used["id"]})
    assert refused["errors"][0]["code"] == "NOT_ALLOWED"
    assert (await staff.mutate("deleteProduct", DELETE, {"id": unused["id"]}))["errors"] == []
    # when the used one is archived
    archived = await staff.mutate("updateProduct", UPDATE, {"id": used["id"], "archived": True})
    assert archived["product"]["archived"] is True
    # then Ann keeps it, but nobody new can be given it
    kept = await staff.mutate(
        "updateContact", UPDATE_CONTACT, {"id": ann["contact"]["id"], "productIds": [used["id"]]}
    )
    assert kept["errors"] == []
    new = await staff.mutate(
        "createContact", CREATE_CONTACT, {"lastName": "Bob", "productIds": [used["id"]]}
    )
    assert [(e["field"], e["code"]) for e in new["errors"]] == [
        (["input", "productIds"], "INVALID")
    ]


async def test_an_unknown_product_is_not_found_and_nothing_is_saved(staff: GraphQLClient) -> None:
    payload = await staff.mutate(
        "createContact", CREATE_CONTACT, {"lastName": "Ann", "productIds": ["UHJvZHVjdDo5OTk="]}
    )
    assert payload["errors"][0]["code"] == "NOT_FOUND"
    assert (await staff.execute("{ contacts { totalCount } }")).data["contacts"]["totalCount"] == 0


async def test_the_catalogue_costs_the_same_for_two_products_or_twenty(
    staff: GraphQLClient,
) -> None:
    for index in range(2):
        await product(staff, f"P{index}")
    small = await staff.execute(PRODUCTS)
    for index in range(2, 20):
        await product(staff, f"P{index}")
    large = await staff.execute(PRODUCTS)
    assert len(large.data["products"]["edges"]) == 20
    assert small.query_count == large.query_count
