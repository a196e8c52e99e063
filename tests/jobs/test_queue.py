"""Claims under a lease, on SQLite and PostgreSQL (`tasks` takes `db`)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from crm.jobs.queue import Lease, backoff, bind
from tests.jobs.conftest import TASKS, add_tasks, end_leases, query, states


async def drain(lease: Lease, batch: int) -> list[int]:
    """Claim and finish batches until nothing is left; the ids this worker did."""
    done: list[int] = []
    while claimed := await lease.claim(batch):
        ids = [row["id"] for row in claimed]
        await asyncio.sleep(0)  # let the other claimers in between claim and outcome
        assert await lease.settle(ids, "state = 'DONE'") == len(ids)
        done += ids
    return done


async def test_claimers_at_the_same_time_never_take_the_same_row(tasks: str) -> None:
    # given 400 waiting tasks
    ids = await add_tasks(400)
    # when six workers drain them at the same time (on PostgreSQL, each on its own
    # connection from the pool)
    leases = [TASKS.lease(f"worker-{n}", seconds=60) for n in range(6)]
    done = await asyncio.gather(*(drain(lease, batch=7) for lease in leases))
    # then every task was done once
    counts = Counter(pk for worker in done for pk in worker)
    assert sorted(counts) == ids
    assert set(counts.values()) == {1}
    assert {state for state, _, _ in (await states()).values()} == {"DONE"}
    if tasks == "postgres":  # workers really ran side by side
        assert sum(1 for worker in done if worker) > 1


async def test_a_claim_takes_due_rows_in_order_and_marks_them(tasks: str) -> None:
    # given three tasks due now and two due tomorrow
    due = await add_tasks(3)
    await add_tasks(2, due_in=timedelta(days=1))
    lease = TASKS.lease("worker-a", seconds=60)
    # when a worker claims up to two, then up to ten
    first = await lease.claim(2)
    second = await lease.claim(10)
    # then it got the due ones, oldest first, each marked as the queue says
    assert [row["id"] for row in first] == due[:2]
    assert [row["id"] for row in second] == due[2:]
    assert all(row["tries"] == 1 for row in first + second)
    held = {pk for pk, (state, owner, _) in (await states()).items() if owner == "worker-a"}
    assert held == set(due)
    assert await lease.claim(10) == []


async def test_a_lease_that_ran_out_is_taken_over_and_its_old_holder_changes_nothing(
    tasks: str,
) -> None:
    # given a worker that claimed three tasks
    ids = await add_tasks(3)
    dead = TASKS.lease("dead-worker", seconds=60)
    await dead.claim(10)
    survivor = TASKS.lease("new-worker", seconds=60)
    # then while its lease holds, nobody else takes them
    assert await survivor.claim(10) == []
    # when its lease has run out
    await end_leases()
    taken = await survivor.claim(10)
    # then another worker takes them (a second try)
    assert [(row["id"], row["tries"]) for row in taken] == [(pk, 2) for pk in ids]
    # and the old holder can neither renew, record an outcome nor hand them back
    assert await dead.renew(ids) == set()
    assert await dead.settle(ids, "state = 'DONE'") == 0
    assert await dead.release(ids) == 0
    assert {owner for _, owner, _ in (await states()).values()} == {"new-worker"}
    assert await survivor.settle(ids, "state = 'DONE'") == 3


async def test_a_renewed_lease_is_not_taken_over(tasks: str) -> None:
    [pk] = await add_tasks(1)
    lease = TASKS.lease("worker-a", seconds=60)
    await lease.claim(1)
    await end_leases()
    # when the holder renews in time (here: after the lease had run out, before anyone
    # took the row)
    assert await lease.renew([pk]) == {pk}
    # then nobody else can take it
    assert await TASKS.lease("worker-b", seconds=60).claim(1) == []


async def test_keep_renews_only_once_half_the_lease_has_passed(tasks: str) -> None:
    [pk] = await add_tasks(1)
    lease = TASKS.lease("worker-a", seconds=0.4)
    await lease.claim(1)
    first = await lease_until(pk)
    # within the first half, nothing is written
    assert await lease.keep([pk]) == {pk}
    assert await lease_until(pk) == first
    # past it, the lease is extended
    await asyncio.sleep(0.25)
    assert await lease.keep([pk]) == {pk}
    assert await lease_until(pk) != first


async def test_a_released_row_can_be_taken_at_once(tasks: str) -> None:
    [pk] = await add_tasks(1)
    stopping = TASKS.lease("stopping-worker", seconds=60)
    await stopping.claim(1)
    # when the worker hands it back (it is stopping), undoing its try
    assert await stopping.release([pk], "state = 'WAITING', tries = tries - 1") == 1
    # then another worker takes it without waiting for the lease
    [row] = await TASKS.lease("other-worker", seconds=60).claim(1)
    assert (row["id"], row["tries"]) == (pk, 1)


def test_backoff_doubles_up_to_its_ceiling() -> None:
    assert [backoff(n, 30) for n in (0, 1, 2, 3, 4)] == [30, 30, 60, 120, 240]
    assert backoff(20, 30) == 3600
    assert backoff(5, 1, most_seconds=10) == 10


def test_values_are_bound_by_name_once_and_lists_fill_an_in() -> None:
    sql = "UPDATE t SET a = :now, b = :now::text WHERE owner = :owner AND id IN (:ids)"
    values = {"now": "N", "owner": "me", "ids": [7, 8], "unused": 0}
    assert bind(sql, "postgres", values) == (
        "UPDATE t SET a = $1, b = $1::text WHERE owner = $2 AND id IN ($3, $4)",
        ["N", "me", 7, 8],
    )
    assert bind(sql, "sqlite", values)[0] == (
        "UPDATE t SET a = ?1, b = ?1::text WHERE owner = ?2 AND id IN (?3, ?4)"
    )


async def lease_until(pk: int) -> object:
    [row] = await query("SELECT lease_until FROM jobs_test_task WHERE id = :pk", pk=pk)
    return row["lease_until"]
