"""Groups: unique names, bulk idempotent membership, member lists and counts."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.contacts.helpers import create_contact
from tests.graphql_client import GraphQLClient

CREATE = """
mutation ($input: CreateGroupInput!) {
  createGroup(input: $input) {
    group { id name description colour memberCount }
    errors { field message code }
  }
}
"""
UPDATE = """
mutation ($input: UpdateGroupInput!) {
  updateGroup(input: $input) { group { id name description colour } errors { field message code } }
}
"""
DELETE = """
mutation ($input: GroupIdInput!) {
  deleteGroup(input: $input) { deletedId group { name } errors { field code } }
}
"""
ADD = """
mutation ($input: GroupMembersInput!) {
  addContactsToGroup(input: $input) {
    group { id memberCount } changedCount errors { field message code }
  }
}
"""
REMOVE = """
mutation ($input: GroupMembersInput!) {
  removeContactsFromGroup(input: $input) {
    group { id memberCount } changedCount errors { field message code }
  }
}
"""
GROUP = """
query ($id: ID!, $search: String) {
  group(id: $id) {
    name memberCount
    members(search: $search, first: 50) { totalCount edges { node { lastName groups { name } } } }
  }
}
"""
GROUPS = """
query ($search: String) {
  groups(search: $search) { totalCount edges { node { name memberCount } } }
}
"""
CONTACTS_IN_GROUP = """
query ($groupId: ID!) { contacts(filter: {groupId: $groupId}) { totalCount } }
"""


async def create_group(staff: GraphQLClient, **fields: Any) -> dict[str, Any]:
    payload = await staff.mutate("createGroup", CREATE, fields)
    assert payload["errors"] == [], payload["errors"]
    return payload["group"]


async def people(staff: GraphQLClient, count: int) -> list[str]:
    return [(await create_contact(staff, lastName=f"Person{n:03}"))["id"] for n in range(count)]


async def test_create_group_with_every_field(staff: GraphQLClient) -> None:
    group = await create_group(
        staff, name=" VIP clients ", description="Best ones", colour="#1F8A70"
    )
    assert group == {
        "id": group["id"],
        "name": "VIP clients",
        "description": "Best ones",
        "colour": "#1f8a70",
        "memberCount": 0,
    }


async def test_group_names_are_unique_case_insensitively(staff: GraphQLClient) -> None:
    await create_group(staff, name="Newsletter")
    payload = await staff.mutate("createGroup", CREATE, {"name": "NEWSLETTER"})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        (["input", "name"], "DUPLICATE")
    ]
    assert (await staff.execute(GROUPS)).data["groups"]["totalCount"] == 1


async def test_two_concurrent_creates_with_one_name_make_one_group(staff: GraphQLClient) -> None:
    results = await asyncio.gather(
        *[staff.mutate("createGroup", CREATE, {"name": "Race"}) for _ in range(2)]
    )
    codes = sorted(e["code"] for r in results for e in r["errors"])
    assert codes == ["DUPLICATE"]
    assert (await staff.execute(GROUPS)).data["groups"]["totalCount"] == 1


async def test_bad_group_input_names_the_field(staff: GraphQLClient) -> None:
    payload = await staff.mutate("createGroup", CREATE, {"name": "  ", "colour": "red"})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        (["input", "name"], "REQUIRED"),
        (["input", "colour"], "INVALID"),
    ]
    long = await staff.mutate("createGroup", CREATE, {"name": "x" * 10_000})
    assert long["errors"][0]["code"] == "INVALID"


async def test_rename_and_clear_description(staff: GraphQLClient) -> None:
    group = await create_group(staff, name="Old", description="text")
    payload = await staff.mutate(
        "updateGroup", UPDATE, {"id": group["id"], "name": "New", "description": None}
    )
    assert payload["errors"] == []
    assert payload["group"]["name"] == "New"
    assert payload["group"]["description"] is None


async def test_adding_is_idempotent_and_reports_unknown_ids(staff: GraphQLClient) -> None:
    # given a group and three contacts
    group = await create_group(staff, name="Bulk")
    ids = await people(staff, 3)

    # when two are added, then all three with a duplicate and two unknown ids
    first = await staff.mutate(
        "addContactsToGroup", ADD, {"groupId": group["id"], "contactIds": ids[:2]}
    )
    second = await staff.mutate(
        "addContactsToGroup",
        ADD,
        {"groupId": group["id"], "contactIds": [*ids, ids[0], "Q29udGFjdDo5OTk5OTk=", "garbage"]},
    )

    # then members are not duplicated, the new one is added, unknown ids are named
    assert first["changedCount"] == 2
    assert second["changedCount"] == 1
    assert second["group"]["memberCount"] == 3
    assert [(e["field"], e["code"]) for e in second["errors"]] == [
        (["input", "contactIds", "4"], "NOT_FOUND"),
        (["input", "contactIds", "5"], "NOT_FOUND"),
    ]
    result = await staff.execute(GROUP, {"id": group["id"]})
    assert result.data["group"]["members"]["totalCount"] == 3


async def test_remove_members_and_removing_twice_is_harmless(staff: GraphQLClient) -> None:
    group = await create_group(staff, name="Temp")
    ids = await people(staff, 3)
    await staff.mutate("addContactsToGroup", ADD, {"groupId": group["id"], "contactIds": ids})
    removed = await staff.mutate(
        "removeContactsFromGroup", REMOVE, {"groupId": group["id"], "contactIds": ids[:2]}
    )
    again = await staff.mutate(
        "removeContactsFromGroup", REMOVE, {"groupId": group["id"], "contactIds": ids[:2]}
    )
    assert removed["changedCount"] == 2
    assert again["changedCount"] == 0
    assert again["errors"] == []
    assert again["group"]["memberCount"] == 1


async def test_unknown_group_and_too_many_ids(staff: GraphQLClient) -> None:
    missing = await staff.mutate(
        "addContactsToGroup", ADD, {"groupId": "R3JvdXA6OTk5OQ==", "contactIds": []}
    )
    assert [(e["field"], e["code"]) for e in missing["errors"]] == [
        (["input", "groupId"], "NOT_FOUND")
    ]
    group = await create_group(staff, name="Big")
    too_many = await staff.mutate(
        "addContactsToGroup", ADD, {"groupId": group["id"], "contactIds": ["x"] * 10_001}
    )
    assert [(e["field"], e["code"]) for e in too_many["errors"]] == [
        (["input", "contactIds"], "TOO_MANY")
    ]


async def test_members_list_search_and_contact_groups(staff: GraphQLClient) -> None:
    group = await create_group(staff, name="Zeta")
    other = await create_group(staff, name="Alpha")
    ann = await create_contact(staff, lastName="Annable")
    bob = await create_contact(staff, lastName="Bobbins")
    await staff.mutate(
        "addContactsToGroup", ADD, {"groupId": group["id"], "contactIds": [ann["id"], bob["id"]]}
    )
    await staff.mutate(
        "addContactsToGroup", ADD, {"groupId": other["id"], "contactIds": [ann["id"]]}
    )

    result = await staff.execute(GROUP, {"id": group["id"], "search": "ann"})
    members = result.data["group"]["members"]
    assert members["totalCount"] == 1
    assert members["edges"][0]["node"] == {
        "lastName": "Annable",
        "groups": [{"name": "Alpha"}, {"name": "Zeta"}],
    }
    filtered = await staff.execute(CONTACTS_IN_GROUP, {"groupId": group["id"]})
    assert filtered.data["contacts"]["totalCount"] == 2


async def test_deleting_a_group_keeps_its_members(staff: GraphQLClient) -> None:
    group = await create_group(staff, name="Gone")
    ids = await people(staff, 2)
    await staff.mutate("addContactsToGroup", ADD, {"groupId": group["id"], "contactIds": ids})
    payload = await staff.mutate("deleteGroup", DELETE, {"id": group["id"]})
    assert payload["errors"] == []
    assert payload["deletedId"] == group["id"]
    assert (await staff.execute(GROUP, {"id": group["id"]})).data["group"] is None
    listed = await staff.execute("{ contacts { totalCount } }")
    assert listed.data["contacts"]["totalCount"] == 2


async def test_member_count_leaves_out_archived_and_deleted_contacts(staff: GraphQLClient) -> None:
    group = await create_group(staff, name="Counted")
    ids = await people(staff, 3)
    await staff.mutate("addContactsToGroup", ADD, {"groupId": group["id"], "contactIds": ids})
    await staff.execute(
        "mutation ($id: ID!) { archiveContact(input: {id: $id}) { errors { code } } }",
        {"id": ids[0]},
    )
    await staff.execute(
        "mutation ($id: ID!) { deleteContact(input: {id: $id}) { errors { code } } }",
        {"id": ids[1]},
    )
    groups = await staff.execute(GROUPS, {"search": "count"})
    assert groups.data["groups"]["edges"][0]["node"] == {"name": "Counted", "memberCount": 1}


async def test_contacts_with_groups_cost_the_same_queries_for_any_page(
    staff: GraphQLClient,
) -> None:
    group = await create_group(staff, name="Q")
    query = "{ contacts(first: 50) { edges { node { id groups { name } } } } }"
    ids = await people(staff, 3)
    await staff.mutate("addContactsToGroup", ADD, {"groupId": group["id"], "contactIds": ids})
    small = await staff.execute(query)
    ids += await people(staff, 30)
    await staff.mutate("addContactsToGroup", ADD, {"groupId": group["id"], "contactIds": ids})
    large = await staff.execute(query)
    # the session lookup, the page, and the page's groups
    assert small.query_count == large.query_count == 3
