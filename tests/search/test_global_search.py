"""The global search (Ctrl+K in the app) reads the first five contacts, companies, groups,
segments and products matching the text in one request, whose cost does not grow with them."""

from __future__ import annotations

from tests.conftest import REPO_ROOT
from tests.graphql_client import GraphQLClient

# The app's own request, as the palette sends it.
GLOBAL_SEARCH = (REPO_ROOT / "frontend" / "src" / "search" / "search.graphql").read_text()

# The session lookup; the contacts page (with its companies) and their count; the companies;
# the groups and their member counts; the segments; the products.
STATEMENTS = 8
KINDS = ["contacts", "companies", "groups", "segments", "products"]


async def create(staff: GraphQLClient, kind: str, **fields: object) -> None:
    mutation = f"create{kind}(input: $input) {{ errors {{ code }} }}"
    result = await staff.execute(
        f"mutation ($input: Create{kind}Input!) {{ {mutation} }}", {"input": fields}
    )
    (payload,) = result.data.values()
    assert payload["errors"] == []


async def add_northwind_records(staff: GraphQLClient, numbers: range) -> None:
    """Of each kind, a record per number with "Northwind" in its name (a contact: its email)."""
    for n in numbers:
        await create(staff, "Company", name=f"Northwind Shipping {n}", address={"city": "Leeds"})
        email = f"ann{n}@northwind.example"
        await create(staff, "Contact", firstName="Ann", lastName=f"Ito {n}", email=email)
        await create(staff, "Group", name=f"Northwind partners {n}")
        await create(staff, "Segment", name=f"Northwind leads {n}", search="northwind")
        await create(staff, "Product", name=f"Freight {n}", code=f"NORTHWIND-{n}")


def names(result: dict, kind: str) -> list[str]:
    return [edge["node"].get("fullName") or edge["node"]["name"] for edge in result[kind]["edges"]]


async def test_finds_each_kind_by_the_same_text(staff: GraphQLClient) -> None:
    # given records of every kind, some about Northwind, one not
    await add_northwind_records(staff, range(2))
    await create(staff, "Company", name="Contoso")

    # when the palette searches for part of the name
    result = (await staff.execute(GLOBAL_SEARCH, {"q": "northw"})).data

    # then each kind lists what matches, and the contacts say how many match in all
    assert names(result, "contacts") == ["Ann Ito 0", "Ann Ito 1"]
    assert result["contacts"]["totalCount"] == 2
    assert names(result, "companies") == ["Northwind Shipping 0", "Northwind Shipping 1"]
    assert result["companies"]["edges"][0]["node"]["address"] == {"city": "Leeds"}
    assert names(result, "groups") == ["Northwind partners 0", "Northwind partners 1"]
    assert names(result, "segments") == ["Northwind leads 0", "Northwind leads 1"]
    assert names(result, "products") == ["Freight 0", "Freight 1"]


async def test_costs_a_fixed_number_of_statements(staff: GraphQLClient) -> None:
    # given two records of each kind matching the text, searched for once already (a word's
    # first search also asks how common it is, once)
    await add_northwind_records(staff, range(2))
    await staff.execute(GLOBAL_SEARCH, {"q": "northwind"})
    few = await staff.execute(GLOBAL_SEARCH, {"q": "northwind"})

    # when there are twelve of each
    await add_northwind_records(staff, range(2, 12))
    many = await staff.execute(GLOBAL_SEARCH, {"q": "northwind"})

    # then the search reads five of each with the same few statements
    assert all(len(many.data[kind]["edges"]) == 5 for kind in KINDS)
    assert many.data["contacts"]["totalCount"] == 12
    assert few.query_count == many.query_count == STATEMENTS
