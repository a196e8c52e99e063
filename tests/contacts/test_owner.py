"""Whose contact it is: the owner on the form, in the list's filter and on the timeline."""

from __future__ import annotations

from typing import Any

from crm.contacts.models import Contact
from crm.graphql.relay import to_global_id
from crm.staff.models import StaffRole, StaffUser
from tests.conftest import make_staff
from tests.contacts.helpers import CREATE, UPDATE
from tests.graphql.test_query_counts import LIST_SCREEN, LIST_SCREEN_STATEMENTS, seed
from tests.graphql_client import GraphQLClient

OWNED = """
query ($id: ID!) { contact(id: $id) { owner { id name email status } } }
"""
LIST = """
query ($filter: ContactFilter) {
  contacts(filter: $filter) { totalCount edges { node { lastName owner { email } } } }
}
"""
LIST_WITH_OWNERS = """
{
  contacts(first: 50) {
    edges { node { id fullName email type status company { name } groups { name }
                   phones { number national } owner { id name } } }
  }
}
"""
TIMELINE = """
query ($id: ID!) {
  contact(id: $id) { timeline { edges { node { kind changes { field before after } } } } }
}
"""


def staff_id(user: StaffUser) -> str:
    return to_global_id("StaffUser", user.id)


async def colleague(email: str = "bo@example.com", *, active: bool = True) -> StaffUser:
    user = await make_staff(email, StaffRole.MEMBER)
    user.name = email.split("@")[0].capitalize()
    user.is_active = active
    await user.save()
    return user


async def create(staff: GraphQLClient, **fields: Any) -> dict[str, Any]:
    return await staff.mutate("createContact", CREATE, {"lastName": "Lind", **fields})


async def owner_of(staff: GraphQLClient, contact_id: str) -> dict[str, Any] | None:
    result = await staff.execute(OWNED, {"id": contact_id})
    return result.data["contact"]["owner"]


async def test_a_new_contact_is_its_creators_unless_the_form_says_otherwise(
    staff: GraphQLClient, db: str
) -> None:
    # given a colleague
    bo = await colleague()

    # when contacts are created without an owner, with the colleague, and with nobody
    mine = await create(staff)
    theirs = await create(staff, lastName="Berg", ownerId=staff_id(bo))
    nobodys = await create(staff, lastName="Ek", ownerId=None)

    # then the first is the creator's, the second the colleague's, the third nobody's
    assert [p["errors"] for p in (mine, theirs, nobodys)] == [[], [], []]
    assert (await owner_of(staff, mine["contact"]["id"]))["email"] == "staff@example.com"
    assert (await owner_of(staff, theirs["contact"]["id"]))["name"] == "Bo"
    assert await owner_of(staff, nobodys["contact"]["id"]) is None


async def test_a_deactivated_user_cannot_be_given_a_contact_but_keeps_theirs(
    staff: GraphQLClient, db: str
) -> None:
    # given a contact owned by a colleague who is then deactivated
    bo = await colleague()
    contact = (await create(staff, ownerId=staff_id(bo)))["contact"]
    bo.is_active = False
    await bo.save()

    # when the contact is edited without touching the owner, and another is given to them
    edited = await staff.mutate(
        "updateContact", UPDATE, {"id": contact["id"], "jobTitle": "Buyer", "ownerId": staff_id(bo)}
    )
    refused = await create(staff, lastName="Berg", ownerId=staff_id(bo))

    # then the contact keeps its owner, and the new one is refused on ownerId
    assert edited["errors"] == []
    assert (await owner_of(staff, contact["id"]))["status"] == "DEACTIVATED"
    assert refused["contact"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        (["input", "ownerId"], "NOT_ALLOWED")
    ]
    assert await Contact.filter(last_name="Berg").count() == 0


async def test_an_owner_that_is_no_staff_user_is_not_found(staff: GraphQLClient, db: str) -> None:
    # when a contact is given to an id that names no staff user, or another kind of record
    missing = await create(staff, ownerId=to_global_id("StaffUser", 999))
    wrong_kind = await create(staff, ownerId=to_global_id("Contact", 1))

    # then both are refused on ownerId
    for payload in (missing, wrong_kind):
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [
            (["input", "ownerId"], "NOT_FOUND")
        ]


async def test_the_list_filters_by_owner_mine_and_nobodys(staff: GraphQLClient, db: str) -> None:
    # given contacts of mine, of a colleague's and of nobody's
    me = await StaffUser.get(email="staff@example.com")
    bo = await colleague()
    await create(staff, lastName="Mine")
    await create(staff, lastName="Theirs", ownerId=staff_id(bo))
    await create(staff, lastName="Nobodys", ownerId=None)

    # when the list is filtered by each
    async def names(filter: dict[str, Any]) -> list[str]:
        result = await staff.execute(LIST, {"filter": filter})
        return [edge["node"]["lastName"] for edge in result.data["contacts"]["edges"]]

    # then each shows its own
    assert await names({"ownerId": staff_id(me)}) == ["Mine"]
    assert await names({"ownerId": staff_id(bo)}) == ["Theirs"]
    assert await names({"hasOwner": False}) == ["Nobodys"]
    assert await names({"hasOwner": True}) == ["Mine", "Theirs"]


async def test_changing_the_owner_is_on_the_timeline(staff: GraphQLClient, db: str) -> None:
    # given a contact of mine
    bo = await colleague()
    contact = (await create(staff))["contact"]

    # when it is given to a colleague, then edited without touching the owner
    await staff.mutate("updateContact", UPDATE, {"id": contact["id"], "ownerId": staff_id(bo)})
    await staff.mutate("updateContact", UPDATE, {"id": contact["id"], "jobTitle": "Buyer"})

    # then the first change names both owners, and the second says nothing of owners
    result = await staff.execute(TIMELINE, {"id": contact["id"]})
    updates = [
        edge["node"]["changes"]
        for edge in result.data["contact"]["timeline"]["edges"]
        if edge["node"]["kind"] == "UPDATED"
    ]
    assert updates == [
        [{"field": "Job title", "before": "", "after": "Buyer"}],
        [{"field": "Owner", "before": "Sam Staff", "after": "Bo"}],
    ]


async def test_a_page_of_owned_contacts_costs_one_statement_more(
    staff: GraphQLClient, db: str
) -> None:
    # given a list of contacts owned by several colleagues
    await seed(60, 7)
    owners = [await colleague(f"owner{n}@example.com") for n in range(5)]
    for n, contact_id in enumerate(await Contact.all().values_list("id", flat=True)):
        await Contact.filter(id=contact_id).update(owner_id=owners[n % 5].id)

    # when the list screen's page is read with its owners
    result = await staff.execute(LIST_WITH_OWNERS)

    # then the owners come in one more statement than the page without them
    edges = result.data["contacts"]["edges"]
    assert len(edges) == 50
    assert {edge["node"]["owner"]["name"] for edge in edges} == {f"Owner{n}" for n in range(5)}
    without = await staff.execute(LIST_SCREEN)
    assert without.query_count == LIST_SCREEN_STATEMENTS
    assert result.query_count == LIST_SCREEN_STATEMENTS + 1
