"""Segments: saved filters and searches whose members are computed when asked."""

from __future__ import annotations

from typing import Any

from tests.contacts.helpers import CREATE_COMPANY, create_contact
from tests.graphql_client import GraphQLClient

SEGMENT_FIELDS = """
  id name search count warnings
  filter { type status city hasEmail companyId company { name } groupId group { name }
           consent { email } createdAt { from to } archived }
  contacts(first: 50) { totalCount edges { node { lastName } } }
"""
CREATE = f"""
mutation ($input: CreateSegmentInput!) {{
  createSegment(input: $input) {{ segment {{ {SEGMENT_FIELDS} }} errors {{ field message code }} }}
}}
"""
UPDATE = f"""
mutation ($input: UpdateSegmentInput!) {{
  updateSegment(input: $input) {{ segment {{ {SEGMENT_FIELDS} }} errors {{ field message code }} }}
}}
"""
DELETE = """
mutation ($input: SegmentIdInput!) { deleteSegment(input: $input) { deletedId errors { code } } }
"""
GET = f"query ($id: ID!) {{ segment(id: $id) {{ {SEGMENT_FIELDS} }} }}"
LIST = "{ segments { totalCount edges { node { name count } } } }"
CREATE_GROUP = """
mutation ($input: CreateGroupInput!) { createGroup(input: $input) { group { id } errors { code } } }
"""
ADD = """
mutation ($input: GroupMembersInput!) { addContactsToGroup(input: $input) { errors { code } } }
"""


async def create_segment(staff: GraphQLClient, **fields: Any) -> dict[str, Any]:
    payload = await staff.mutate("createSegment", CREATE, fields)
    assert payload["errors"] == [], payload["errors"]
    return payload["segment"]


def last_names(segment: dict[str, Any]) -> list[str]:
    return [edge["node"]["lastName"] for edge in segment["contacts"]["edges"]]


async def test_a_segment_is_evaluated_when_asked(staff: GraphQLClient) -> None:
    # given clients and leads
    await create_contact(staff, lastName="Adams", type="CLIENT", email="a@example.com")
    await create_contact(staff, lastName="Brown", type="LEAD")

    # when a segment of clients is saved, then another client is added
    segment = await create_segment(staff, name="Clients", filter={"type": ["CLIENT"]})
    await create_contact(staff, lastName="Clark", type="CLIENT", email="c@example.com")

    # then the saved segment had one member and now has two
    assert (segment["count"], last_names(segment)) == (1, ["Adams"])
    now = (await staff.execute(GET, {"id": segment["id"]})).data["segment"]
    assert (now["count"], last_names(now)) == (2, ["Adams", "Clark"])
    assert now["filter"]["type"] == ["CLIENT"]
    assert now["filter"]["archived"] is False


async def test_search_and_filters_are_saved_together(staff: GraphQLClient) -> None:
    await create_contact(staff, lastName="Zimmer", address={"city": "Zürich"})
    await create_contact(staff, lastName="Zola", address={"city": "Paris"})
    segment = await create_segment(
        staff, name="Z in Zurich", search="z", filter={"city": "zurich", "hasEmail": False}
    )
    assert last_names(segment) == ["Zimmer"]
    assert segment["search"] == "z"
    assert segment["filter"]["city"] == "zurich"
    assert segment["filter"]["hasEmail"] is False


async def test_a_segment_over_a_deleted_group_still_loads_and_says_so(
    staff: GraphQLClient,
) -> None:
    # given a segment of a group's members
    group = (await staff.mutate("createGroup", CREATE_GROUP, {"name": "Fans"}))["group"]
    fan = await create_contact(staff, lastName="Fan")
    await staff.mutate(
        "addContactsToGroup", ADD, {"groupId": group["id"], "contactIds": [fan["id"]]}
    )
    segment = await create_segment(staff, name="Fans only", filter={"groupId": group["id"]})
    assert segment["filter"]["group"] == {"name": "Fans"}
    assert segment["count"] == 1

    # when the group is deleted
    await staff.execute(
        "mutation ($id: ID!) { deleteGroup(input: {id: $id}) { errors { code } } }",
        {"id": group["id"]},
    )

    # then the segment loads, matches no one, and explains why
    now = (await staff.execute(GET, {"id": segment["id"]})).data["segment"]
    assert now["count"] == 0
    assert now["filter"]["groupId"] == group["id"]
    assert now["filter"]["group"] is None
    assert "group" in now["warnings"][0]


async def test_a_segment_over_a_deleted_company_says_so(staff: GraphQLClient) -> None:
    company = await staff.mutate("createCompany", CREATE_COMPANY, {"name": "Gone Ltd"})
    segment = await create_segment(
        staff, name="Gone staff", filter={"companyId": company["company"]["id"]}
    )
    assert segment["warnings"] == []
    await staff.execute(
        "mutation ($id: ID!) { deleteCompany(input: {id: $id}) { errors { code } } }",
        {"id": company["company"]["id"]},
    )
    now = (await staff.execute(GET, {"id": segment["id"]})).data["segment"]
    assert "company" in now["warnings"][0]


async def test_segment_errors_name_the_field(staff: GraphQLClient) -> None:
    await create_segment(staff, name="Taken")
    payload = await staff.mutate(
        "createSegment",
        CREATE,
        {"name": "TAKEN", "search": "x" * 201, "filter": {"groupId": "R3JvdXA6OTk5"}},
    )
    assert sorted((tuple(e["field"]), e["code"]) for e in payload["errors"]) == [
        (("input", "filter", "groupId"), "NOT_FOUND"),
        (("input", "search"), "INVALID"),
    ]
    duplicate = await staff.mutate("createSegment", CREATE, {"name": "TAKEN"})
    assert [(e["field"], e["code"]) for e in duplicate["errors"]] == [
        (["input", "name"], "DUPLICATE")
    ]
    empty = await staff.mutate("createSegment", CREATE, {"name": ""})
    assert empty["errors"][0]["code"] == "REQUIRED"
    assert (await staff.execute(LIST)).data["segments"]["totalCount"] == 1


async def test_update_and_delete(staff: GraphQLClient) -> None:
    await create_contact(staff, lastName="Lead", type="LEAD")
    segment = await create_segment(staff, name="Leads", filter={"type": ["LEAD"]})
    updated = await staff.mutate(
        "updateSegment",
        UPDATE,
        {"id": segment["id"], "name": "Clients", "filter": {"type": ["CLIENT"]}},
    )
    assert updated["errors"] == []
    assert (updated["segment"]["name"], updated["segment"]["count"]) == ("Clients", 0)
    deleted = await staff.mutate("deleteSegment", DELETE, {"id": segment["id"]})
    assert deleted == {"deletedId": segment["id"], "errors": []}
    assert (await staff.execute(GET, {"id": segment["id"]})).data["segment"] is None
    again = await staff.mutate("deleteSegment", DELETE, {"id": segment["id"]})
    assert again["errors"] == [{"code": "NOT_FOUND"}]


async def test_segments_list(staff: GraphQLClient) -> None:
    await create_contact(staff, lastName="One", type="CLIENT", email="one@example.com")
    await create_segment(staff, name="b clients", filter={"type": ["CLIENT"]})
    await create_segment(staff, name="A everyone")
    listed = (await staff.execute(LIST)).data["segments"]
    assert listed["totalCount"] == 2
    assert [edge["node"] for edge in listed["edges"]] == [
        {"name": "A everyone", "count": 1},
        {"name": "b clients", "count": 1},
    ]
