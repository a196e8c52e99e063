"""A segment can be "my contacts" or "nobody's contacts": the owner filter is saved too."""

from __future__ import annotations

from crm.graphql.relay import to_global_id
from crm.staff.models import StaffUser
from tests.contacts.helpers import create_contact
from tests.contacts.test_owner import colleague, staff_id
from tests.graphql_client import GraphQLClient
from tests.segments.test_segments import GET, create_segment, last_names

OWNED_SEGMENT = """
mutation ($input: CreateSegmentInput!) {
  createSegment(input: $input) {
    segment { filter { ownerId hasOwner } contacts { edges { node { lastName } } } }
    errors { field code }
  }
}
"""


async def test_a_segment_of_an_owners_contacts_follows_its_owner(
    staff: GraphQLClient, db: str
) -> None:
    # given contacts of mine and of a colleague
    me = await StaffUser.get(email="staff@example.com")
    bo = await colleague()
    await create_contact(staff, lastName="Adams")
    await create_contact(staff, lastName="Brown", ownerId=staff_id(bo))

    # when segments of my contacts and of nobody's are saved, then a contact of mine is added
    mine = await create_segment(staff, name="Mine", filter={"ownerId": staff_id(me)})
    nobodys = await create_segment(staff, name="Nobody's", filter={"hasOwner": False})
    await create_contact(staff, lastName="Clark")

    # then the saved filter reads back, and the members are counted when asked
    saved = await staff.mutate(
        "createSegment", OWNED_SEGMENT, {"name": "Bo's", "filter": {"ownerId": staff_id(bo)}}
    )
    assert saved["segment"]["filter"] == {"ownerId": staff_id(bo), "hasOwner": None}
    assert last_names(mine) == ["Adams"]
    now = (await staff.execute(GET, {"id": mine["id"]})).data["segment"]
    assert last_names(now) == ["Adams", "Clark"]
    assert last_names(nobodys) == []


async def test_a_segment_cannot_name_an_owner_who_does_not_exist(
    staff: GraphQLClient, db: str
) -> None:
    # when a segment names an owner id that is no staff user
    result = await staff.mutate(
        "createSegment",
        OWNED_SEGMENT,
        {"name": "Ghost's", "filter": {"ownerId": to_global_id("StaffUser", 999)}},
    )

    # then it is refused on the filter's ownerId
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        (["input", "filter", "ownerId"], "NOT_FOUND")
    ]
