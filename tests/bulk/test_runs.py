"""Running bulk operations: list views, batches, a runner that dies, cancel, stop, wake-up."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from crm.bulk.models import BulkOperation, BulkState
from crm.bulk.runner import BulkRunner, Cancelled, run_pending_operations
from crm.contacts.models import Contact, ContactStatus
from crm.graphql.relay import from_global_id
from crm.jobs.runner import running
from crm.timeline.models import TimelineKind
from tests.bulk.helpers import (
    CANCEL,
    by_ids,
    events,
    ids_of,
    new_contact,
    operation,
    preview,
    start,
    started,
)
from tests.graphql_client import GraphQLClient


def pk(operation: dict) -> int:
    return from_global_id(operation["id"])[1]  # type: ignore[index]


async def statuses() -> dict[str, ContactStatus]:
    return {c.last_name: c.status for c in await Contact.all()}


async def test_a_view_acts_on_its_filter_and_search_less_the_unticked(
    staff: GraphQLClient,
) -> None:
    # given new contacts named Smith (one of them unticked), a new Jones, a qualified Smith,
    # and an archived new Smith
    smiths = [await new_contact(f"Smith{n}") for n in range(4)]
    await new_contact("Jones")
    await new_contact("Smithq", status=ContactStatus.QUALIFIED)
    gone = await new_contact("Smithgone")
    await Contact.filter(id=gone.id).update(archived_at=datetime.now(UTC))
    view = {
        "view": True,
        "filter": {"status": ["NEW"]},
        "search": "smith",
        "exceptIds": ids_of(smiths[0]),
    }

    # when the view is previewed and set to Contacted, and a new Smith arrives after the start
    before = await preview(staff, "SET_STATUS", view, status="CONTACTED")
    op = await started(staff, "SET_STATUS", view, status="CONTACTED")
    await new_contact("Smithlate")
    await run_pending_operations()
    done = await operation(staff, op["id"])

    # then the three other new, live Smiths changed, and no one else
    assert before == {"matching": 3, "willChange": 3, "skipped": []}
    assert (done["total"], done["processed"], done["changed"]) == (3, 3, 3)
    assert await statuses() == {
        "Smith0": ContactStatus.NEW,
        "Smith1": ContactStatus.CONTACTED,
        "Smith2": ContactStatus.CONTACTED,
        "Smith3": ContactStatus.CONTACTED,
        "Jones": ContactStatus.NEW,
        "Smithq": ContactStatus.QUALIFIED,
        "Smithgone": ContactStatus.NEW,
        "Smithlate": ContactStatus.NEW,
    }


async def test_the_whole_list_is_every_live_contact(staff: GraphQLClient) -> None:
    ann, bob = await new_contact("Ann"), await new_contact("Bob")
    await Contact.filter(id=bob.id).update(archived_at=datetime.now(UTC))
    op = await started(staff, "ARCHIVE", {"view": True})
    await run_pending_operations()
    done = await operation(staff, op["id"])
    assert (done["total"], done["changed"]) == (1, 1)
    assert [e.contact_id for e in await events(TimelineKind.ARCHIVED)] == [ann.id]  # type: ignore[attr-defined]


async def test_a_run_killed_after_a_batch_is_resumed_by_another_with_nothing_done_twice(
    staff: GraphQLClient,
) -> None:
    # given seven new contacts to set to Contacted in batches of three, the first batch
    # committed by a runner that then dies (its lease runs out)
    contacts = [await new_contact(f"C{n}") for n in range(7)]
    op = await started(staff, "SET_STATUS", {"view": True}, status="CONTACTED")
    first = BulkRunner(owner="first", batch=3)
    (claimed,) = await first.lease.claim(1)
    held = await BulkOperation.get(id=claimed["id"])
    await first.begin(held)
    assert await first.run_batch(held) is True
    await BulkOperation.filter(id=held.id).update(lease_until=datetime.now(UTC) - timedelta(1))

    # when another runner takes it over, and the first one wakes up and tries its next batch
    second = BulkRunner(owner="second", batch=3)
    assert await second.run_once() == 1
    with pytest.raises(Cancelled):
        await first.run_batch(held)

    # then every contact changed once, with one event each, and the counts add up
    done = await operation(staff, op["id"])
    assert (done["state"], done["processed"], done["changed"]) == ("DONE", 7, 7)
    updated = [e.contact_id for e in await events(TimelineKind.UPDATED)]  # type: ignore[attr-defined]
    assert sorted(updated) == [c.id for c in contacts]
    assert set((await statuses()).values()) == {ContactStatus.CONTACTED}
    assert (await BulkOperation.get(id=held.id)).claimed_by == "second"


async def test_cancel_stops_after_the_batch_in_hand_and_keeps_what_was_done(
    staff: GraphQLClient,
) -> None:
    # given five contacts being archived two at a time, the first batch done
    for n in range(5):
        await new_contact(f"C{n}")
    op = await started(staff, "ARCHIVE", {"view": True})
    runner = BulkRunner(batch=2)
    (claimed,) = await runner.lease.claim(1)
    held = await BulkOperation.get(id=claimed["id"])
    await runner.begin(held)
    await runner.run_batch(held)

    # when it is cancelled
    payload = await staff.mutate("cancelBulkOperation", CANCEL, {"id": op["id"]})

    # then the runner writes nothing more: two stay archived, the rest are as they were
    assert payload["operation"]["state"] == "CANCELLED"
    with pytest.raises(Cancelled):
        await runner.run_batch(held)
    done = await operation(staff, op["id"])
    assert (done["state"], done["processed"], done["changed"]) == ("CANCELLED", 2, 2)
    assert await Contact.filter(archived_at__isnull=False).count() == 2
    again = await staff.mutate("cancelBulkOperation", CANCEL, {"id": op["id"]})
    assert again["errors"] == []


async def test_a_finished_operation_cannot_be_cancelled(staff: GraphQLClient) -> None:
    op = await started(staff, "ARCHIVE", by_ids(await new_contact("Ann")))
    await run_pending_operations()
    payload = await staff.mutate("cancelBulkOperation", CANCEL, {"id": op["id"]})
    assert payload["errors"] == [
        {"field": ["input", "id"], "message": "This operation is done", "code": "NOT_ALLOWED"}
    ]


async def test_a_stopping_runner_hands_the_operation_back_after_its_batch(
    staff: GraphQLClient,
) -> None:
    for n in range(5):
        await new_contact(f"C{n}")
    op = await started(staff, "SET_STATUS", {"view": True}, status="QUALIFIED")
    stop = asyncio.Event()
    stop.set()
    assert await BulkRunner(batch=2).run_once(stop) == 1
    handed_back = await operation(staff, op["id"])
    assert (handed_back["state"], handed_back["processed"]) == ("RUNNING", 2)
    assert await BulkRunner(batch=2).run_once() == 1  # taken at once, no lease to wait for
    assert (await operation(staff, op["id"]))["changed"] == 5


async def test_a_small_selection_is_done_about_at_once(staff: GraphQLClient) -> None:
    # given a runner polling rarely
    ann = await new_contact("Ann")
    async with running([BulkRunner().runner()]):
        # when an operation starts, the runner is woken
        op = await started(staff, "SET_STATUS", by_ids(ann), status="CONTACTED")
        for _ in range(50):
            await asyncio.sleep(0.05)
            if (await operation(staff, op["id"]))["state"] == "DONE":
                break
    # then it is done well before the next poll
    assert (await operation(staff, op["id"]))["state"] == "DONE"


async def test_delete_needs_the_count_matching_now(staff: GraphQLClient) -> None:
    # given three contacts in the list
    for name in ("Ann", "Bob", "Cat"):
        await new_contact(name)

    # when all are deleted with no confirmation, or the wrong number
    missing = await start(staff, "DELETE", {"view": True})
    wrong = await start(staff, "DELETE", {"view": True}, confirmCount=2)

    # then both are refused on confirmCount, naming the number; nothing is queued or deleted
    for payload in (missing, wrong):
        assert payload["operation"] is None
        assert payload["errors"] == [
            {
                "field": ["input", "confirmCount"],
                "message": "3 contacts match now: type 3 to delete them",
                "code": "INVALID",
            }
        ]
    assert await BulkOperation.all().count() == 0
    assert await Contact.all().count() == 3


async def test_the_preview_counts_what_the_run_then_does(staff: GraphQLClient) -> None:
    # given clients, prospects and leads, some without an email
    from crm.contacts.models import ContactType

    await new_contact("Ann", "ann@example.com")
    await new_contact("Bob")
    await new_contact("Cat")
    await new_contact("Dan", "dan@example.com", type=ContactType.CLIENT)
    await new_contact("Eve", "eve@example.com", type=ContactType.PROSPECT)
    view = {"view": True}

    # when making them all clients is previewed, then done
    before = await preview(staff, "SET_TYPE", view, type="CLIENT")
    op = await started(staff, "SET_TYPE", view, type="CLIENT")
    await run_pending_operations()
    done = await operation(staff, op["id"])

    # then the preview said what the run did
    assert before == {
        "matching": 5,
        "willChange": 2,
        "skipped": [
            {"reason": "Clients need an email address", "count": 2},
            {"reason": "Already of this type", "count": 1},
        ],
    }
    assert (done["changed"], done["skipped"]) == (before["willChange"], before["skipped"])


async def test_a_selection_is_ids_or_a_view(staff: GraphQLClient) -> None:
    ann = await new_contact("Ann")
    both = await start(staff, "ARCHIVE", {**by_ids(ann), "view": True})
    neither = await start(staff, "ARCHIVE", {})
    too_many = await start(staff, "ARCHIVE", {"contactIds": [f"x{n}" for n in range(10_001)]})
    assert both["errors"][0]["field"] == ["input", "selection"]
    assert neither["errors"][0]["field"] == ["input", "selection"]
    assert too_many["errors"][0]["code"] == "TOO_MANY"


async def test_an_action_missing_what_it_sets_is_refused(staff: GraphQLClient) -> None:
    payload = await start(staff, "SET_STATUS", {"view": True})
    group = await start(staff, "ADD_TO_GROUP", {"view": True}, groupId="nonsense")
    assert payload["errors"][0]["field"] == ["input", "status"]
    assert group["errors"][0] == {
        "field": ["input", "groupId"],
        "message": "No group has this id",
        "code": "NOT_FOUND",
    }


async def test_members_may_act_in_bulk_and_anonymous_callers_may_not(
    member: GraphQLClient, anonymous: GraphQLClient
) -> None:
    ann = await new_contact("Ann")
    op = await started(member, "SET_STATUS", by_ids(ann), status="CONTACTED")
    await run_pending_operations()
    assert (await operation(member, op["id"]))["changed"] == 1
    refused = await anonymous.execute(
        "query ($id: ID!) { bulkOperation(id: $id) { id } }", {"id": op["id"]}
    )
    assert refused.error_codes == ["UNAUTHENTICATED"]
    assert (await BulkOperation.get(id=pk(op))).state == BulkState.DONE


async def batch_statements(runner: BulkRunner) -> int:
    from crm.core.observability import (
        disable_query_counting,
        enable_query_counting,
        start_counting,
    )

    (claimed,) = await runner.lease.claim(1)
    held = await BulkOperation.get(id=claimed["id"])
    await runner.begin(held)
    enable_query_counting()
    try:
        counter = start_counting()
        await runner.run_batch(held)
        return counter[0]
    finally:
        disable_query_counting()


async def test_a_batch_costs_the_same_few_statements_whatever_its_size(
    staff: GraphQLClient,
) -> None:
    # given a status change on 2 contacts and one on 40 (with timeline events for each)
    contacts = [await new_contact(f"C{n}") for n in range(42)]
    await started(staff, "SET_STATUS", by_ids(*contacts[:2]), status="CONTACTED")
    await started(staff, "SET_STATUS", by_ids(*contacts[2:]), status="CONTACTED")

    # when a batch of each runs
    small = await batch_statements(BulkRunner())
    large = await batch_statements(BulkRunner())

    # then both take the same statements: lease, ids, locked rows, update, events, progress
    assert small == large == 6


async def test_an_operation_whose_group_is_deleted_meanwhile_fails_saying_why(
    staff: GraphQLClient,
) -> None:
    # given an addition to a group queued, then the group deleted
    from crm.graphql.relay import to_global_id
    from crm.groups.models import Group

    group = await Group.create(name="VIP", name_key="vip")
    ann = await new_contact("Ann")
    op = await started(staff, "ADD_TO_GROUP", by_ids(ann), groupId=to_global_id("Group", group.id))
    await group.delete()

    # when it runs
    await run_pending_operations()

    # then it failed, saying why, and changed nothing
    done = await operation(staff, op["id"])
    assert (done["state"], done["changed"]) == ("FAILED", 0)
    assert done["errorMessage"] == "No group has this id. What was done before stays done."
    assert await events(TimelineKind.ADDED_TO_GROUP) == []


async def test_a_view_is_walked_along_the_primary_key_on_sqlite(db: str) -> None:
    if db != "sqlite":
        pytest.skip("PostgreSQL plans with its statistics")
    # given the list view as it opens (live contacts), filtered by status
    from tortoise import connections

    from crm.bulk.services import Selection
    from crm.contacts.filters import ContactFilterSpec

    selection = Selection(spec=ContactFilterSpec(statuses=[ContactStatus.NEW]), up_to_id=10**6)

    # when SQLite plans a batch
    sql = selection.view_batch(500, 500).sql(params_inline=True)
    _, rows = await connections.get("default").execute_query(f"EXPLAIN QUERY PLAN {sql}")
    plan = " ".join(str(value) for row in rows for value in row)

    # then it reads the contacts after the last one in id order, sorting nothing (without
    # statistics it would otherwise read every live contact through the archived index)
    assert "PRIMARY KEY" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
