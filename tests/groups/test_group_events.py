"""Group adds and removes on the contacts' timelines: one event per membership that changed."""

from __future__ import annotations

import asyncio

import pytest

from crm.core.ids import from_global_id
from crm.groups import services
from crm.timeline.models import TimelineEvent, TimelineKind
from crm.timeline.services import SYSTEM
from tests.events import summaries_of
from tests.graphql_client import GraphQLClient
from tests.groups.test_groups import ADD, DELETE, REMOVE, UPDATE, create_group, people

GROUP_KINDS = ["ADDED_TO_GROUP", "REMOVED_FROM_GROUP"]


async def add(staff: GraphQLClient, group_id: str, contact_ids: list[str]) -> int:
    payload = await staff.mutate(
        "addContactsToGroup", ADD, {"groupId": group_id, "contactIds": contact_ids}
    )
    return payload["changedCount"]


async def remove(staff: GraphQLClient, group_id: str, contact_ids: list[str]) -> int:
    payload = await staff.mutate(
        "removeContactsFromGroup", REMOVE, {"groupId": group_id, "contactIds": contact_ids}
    )
    return payload["changedCount"]


async def test_only_memberships_that_changed_are_recorded(staff: GraphQLClient) -> None:
    # given a group VIP holding Ann; Bob and Cy not in it
    group = await create_group(staff, name="VIP")
    ann, bob, cy = await people(staff, 3)
    await add(staff, group["id"], [ann])

    # when Ann and Bob are added, then Bob and Cy removed, then the group renamed
    await add(staff, group["id"], [ann, bob])
    await remove(staff, group["id"], [bob, cy])
    await staff.mutate("updateGroup", UPDATE, {"id": group["id"], "name": "Gold"})

    # then Ann was added once, Bob added then removed, Cy has no group event; each says who
    # did it and the group's name as it was
    added = ("Sam Staff", "Added to the group VIP")
    removed = ("Sam Staff", "Removed from the group VIP")
    assert await summaries_of(staff, ann, GROUP_KINDS) == [added]
    assert await summaries_of(staff, bob, GROUP_KINDS) == [removed, added]
    assert await summaries_of(staff, cy, GROUP_KINDS) == []


async def test_deleting_a_group_records_the_end_of_each_membership(staff: GraphQLClient) -> None:
    # given a group of two contacts
    group = await create_group(staff, name="Newsletter")
    ann, bob = await people(staff, 2)
    await add(staff, group["id"], [ann, bob])

    # when the group is deleted
    await staff.mutate("deleteGroup", DELETE, {"id": group["id"]})

    # then both contacts read that they left it
    for contact_id in (ann, bob):
        assert (await summaries_of(staff, contact_id, GROUP_KINDS))[0] == (
            "Sam Staff",
            "Removed from the group Newsletter",
        )


async def test_the_same_contacts_added_at_once_twice_are_recorded_once(
    staff: GraphQLClient,
) -> None:
    # given a group and five contacts
    group = await create_group(staff, name="Race")
    ids = await people(staff, 5)

    # when two requests add them at the same moment
    changed = await asyncio.gather(add(staff, group["id"], ids), add(staff, group["id"], ids))

    # then each membership was made, and recorded, once
    assert sum(changed) == 5
    for contact_id in ids:
        assert len(await summaries_of(staff, contact_id, GROUP_KINDS)) == 1


async def test_events_are_written_in_bulk(staff: GraphQLClient) -> None:
    # given two groups, and 3 and 30 contacts
    small_group = await create_group(staff, name="Small")
    large_group = await create_group(staff, name="Large")
    few, many = await people(staff, 3), await people(staff, 30)

    # when each set is added and removed
    adds = [
        await staff.execute(ADD, {"input": {"groupId": group["id"], "contactIds": ids}})
        for group, ids in ((small_group, few), (large_group, many))
    ]
    removes = [
        await staff.execute(REMOVE, {"input": {"groupId": group["id"], "contactIds": ids}})
        for group, ids in ((small_group, few), (large_group, many))
    ]

    # then every contact has its events, for the same number of SQL statements
    assert await TimelineEvent.filter(kind=TimelineKind.ADDED_TO_GROUP).count() == 33
    assert await TimelineEvent.filter(kind=TimelineKind.REMOVED_FROM_GROUP).count() == 33
    assert adds[0].query_count == adds[1].query_count
    assert removes[0].query_count == removes[1].query_count


async def test_a_membership_change_that_fails_is_not_made(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a group, a contact, and a timeline that cannot be written to
    group = await create_group(staff, name="Broken")
    (contact_id,) = await people(staff, 1)

    async def failing(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the timeline is unavailable")

    monkeypatch.setattr(services, "record_for_contacts", failing)

    # when the contact is added
    with pytest.raises(RuntimeError):
        await services.add_contacts(_pk(group["id"]), [_pk(contact_id)], SYSTEM)

    # then the membership was not made either
    assert (await staff.execute(GROUP_MEMBERS, {"id": group["id"]})).data["group"] == {
        "memberCount": 0
    }


GROUP_MEMBERS = "query ($id: ID!) { group(id: $id) { memberCount } }"


def _pk(global_id: str) -> int:
    decoded = from_global_id(global_id)
    assert decoded is not None
    return decoded[1]
