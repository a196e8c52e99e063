"""Whose company it is: set on the form, the creator's by default, filtered in the list."""

from __future__ import annotations

from typing import Any

from crm.companies.models import Company
from crm.staff.models import StaffUser
from tests.contacts.test_owner import colleague, staff_id
from tests.graphql_client import GraphQLClient

CREATE = """
mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) { company { id owner { name } } errors { field code } }
}
"""
UPDATE = """
mutation ($input: UpdateCompanyInput!) {
  updateCompany(input: $input) { company { id owner { name } } errors { field code } }
}
"""
LIST = """
query ($filter: CompanyFilter) {
  companies(filter: $filter) { edges { node { name owner { name } } } }
}
"""
TIMELINE = """
query ($id: ID!) {
  company(id: $id) { timeline { edges { node { kind changes { field before after } } } } }
}
"""


async def create(staff: GraphQLClient, **fields: Any) -> dict[str, Any]:
    return await staff.mutate("createCompany", CREATE, {"name": "Acme", **fields})


async def test_a_new_company_is_its_creators_unless_the_form_says_otherwise(
    staff: GraphQLClient, db: str
) -> None:
    # given a colleague
    bo = await colleague()

    # when companies are created without an owner, with the colleague, with nobody
    mine = await create(staff)
    theirs = await create(staff, name="Bolt", ownerId=staff_id(bo))
    nobodys = await create(staff, name="Cog", ownerId=None)

    # then each has the owner it was given, the creator by default
    assert [p["company"]["owner"] for p in (mine, theirs, nobodys)] == [
        {"name": "Sam Staff"},
        {"name": "Bo"},
        None,
    ]


async def test_a_company_keeps_a_deactivated_owner_but_is_not_given_to_one(
    staff: GraphQLClient, db: str
) -> None:
    # given a company of a colleague who is then deactivated, and a company of mine
    bo = await colleague()
    theirs = (await create(staff, ownerId=staff_id(bo)))["company"]
    mine = (await create(staff, name="Bolt"))["company"]
    bo.is_active = False
    await bo.save()

    # when both are saved naming the deactivated colleague as owner
    kept = await staff.mutate(
        "updateCompany", UPDATE, {"id": theirs["id"], "name": "Acme Ltd", "ownerId": staff_id(bo)}
    )
    given = await staff.mutate("updateCompany", UPDATE, {"id": mine["id"], "ownerId": staff_id(bo)})

    # then the first keeps its owner and the second is refused on ownerId
    assert kept["errors"] == [] and kept["company"]["owner"] == {"name": "Bo"}
    assert [(e["field"], e["code"]) for e in given["errors"]] == [
        (["input", "ownerId"], "NOT_ALLOWED")
    ]


async def test_the_company_list_filters_by_owner(staff: GraphQLClient, db: str) -> None:
    # given companies of mine, of a colleague and of nobody
    me = await StaffUser.get(email="staff@example.com")
    bo = await colleague()
    await create(staff, name="Mine")
    await create(staff, name="Theirs", ownerId=staff_id(bo))
    await create(staff, name="Nobodys", ownerId=None)

    # when the list is filtered by owner
    async def names(filter: dict[str, Any]) -> list[str]:
        result = await staff.execute(LIST, {"filter": filter})
        return [edge["node"]["name"] for edge in result.data["companies"]["edges"]]

    # then each filter shows its own
    assert await names({"ownerId": staff_id(me)}) == ["Mine"]
    assert await names({"ownerId": staff_id(bo)}) == ["Theirs"]
    assert await names({"hasOwner": False}) == ["Nobodys"]


async def test_giving_a_company_to_a_colleague_is_on_its_timeline(
    staff: GraphQLClient, db: str
) -> None:
    # given a company of mine
    bo = await colleague()
    company = (await create(staff))["company"]

    # when it is given to a colleague
    await staff.mutate("updateCompany", UPDATE, {"id": company["id"], "ownerId": staff_id(bo)})

    # then its timeline names both owners
    result = await staff.execute(TIMELINE, {"id": company["id"]})
    changes = [
        edge["node"]["changes"]
        for edge in result.data["company"]["timeline"]["edges"]
        if edge["node"]["kind"] == "UPDATED"
    ]
    assert changes == [[{"field": "Owner", "before": "Sam Staff", "after": "Bo"}]]


async def test_a_page_of_owned_companies_costs_one_statement_more(
    staff: GraphQLClient, db: str
) -> None:
    # given 60 companies owned by several colleagues
    owners = [await colleague(f"owner{n}@example.com") for n in range(5)]
    await Company.bulk_create(
        [
            Company(name=f"Co {n:02}", sort_name=f"co {n:02}", owner_id=owners[n % 5].id)
            for n in range(60)
        ]
    )

    # when a page of 50 is read without and with its owners
    without = await staff.execute("{ companies(first: 50) { edges { node { name } } } }")
    owned = await staff.execute(
        "{ companies(first: 50) { edges { node { name owner { name } } } } }"
    )

    # then the owners come in one statement, whatever their number
    names = {edge["node"]["owner"]["name"] for edge in owned.data["companies"]["edges"]}
    assert names == {f"Owner{n}" for n in range(5)}
    assert owned.query_count == without.query_count + 1
