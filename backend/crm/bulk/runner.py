"""The bulk runner: runs bulk operations in the background, in `crm serve` and `crm worker`,
a batch of BATCH contacts at a time.

Queued and running operations are a `crm.jobs.queue.Queue`: a runner claims one under a
lease. Each batch is one transaction that first renews the lease (which locks the
operation's row, and fails once the operation was cancelled or taken over by another
runner), then reads the batch's contacts in id order after `last_contact_id`, locked,
changes them, records their events, and moves the progress on (processed, changed,
skipped, last_contact_id). So a runner that dies leaves its operation to another once the
lease runs out, which goes on after the last committed batch: nothing is done twice, and a
runner that stalled past its lease writes nothing more. A runner that stops hands its
operation back after the batch in hand.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from crm.bulk.actions import ACTIONS, ROW_COLUMNS, Batch, Outcome, Row
from crm.bulk.models import BulkAction, BulkOperation, BulkState
from crm.bulk.services import ACTIVE_STATES, KIND, Selection, now
from crm.core.bulk import id_list, id_table
from crm.core.errors import InputError
from crm.jobs.queue import Queue, new_worker_id
from crm.jobs.runner import Runner
from crm.mail.services import wake_worker
from crm.staff.models import StaffUser
from crm.timeline.services import Actor

log = logging.getLogger("crm.bulk")

# Contacts per batch (at most: see `Action.batch_size`).
BATCH = 500
LEASE_SECONDS = 60
POLL_SECONDS = 2.0
# A stop waits for the batch in hand (well under a second for field changes; a batch of
# invitations renders and queues BATCH emails).
GRACE_SECONDS = 15.0
_ACTIVE = ", ".join(f"'{state.value}'" for state in ACTIVE_STATES)
BULK_OPERATIONS = Queue(
    table="bulk_operation",
    waiting=f"state IN ({_ACTIVE}) AND lease_until IS NULL",
    in_hand=f"state IN ({_ACTIVE})",
)


class Cancelled(Exception):
    """The operation was cancelled, or taken over by another runner, meanwhile."""


class BulkRunner:
    def __init__(self, owner: str | None = None, batch: int = BATCH) -> None:
        self.lease = BULK_OPERATIONS.lease(owner or new_worker_id(), LEASE_SECONDS)
        self.batch = batch
        self._actors: dict[int, Actor] = {}

    def runner(self) -> Runner:
        return Runner(
            kind=KIND,
            name=f"bulk runner {self.lease.owner}",
            run_once=self.run_once,
            poll_seconds=POLL_SECONDS,
            grace_seconds=GRACE_SECONDS,
            log=log,
        )

    async def run_once(self, stop: asyncio.Event | None = None) -> int:
        """Claim the next operation and run it; how many were run (0 or 1)."""
        claimed = await self.lease.claim(1)
        if not claimed:
            return 0
        operation = await BulkOperation.get(id=claimed[0]["id"])
        await self.run(operation, stop)
        return 1

    async def run(self, operation: BulkOperation, stop: asyncio.Event | None = None) -> None:
        """Run a claimed operation to its end, or until `stop` (then hand it back after the
        batch in hand); an unexpected error fails it, saying so."""
        try:
            await self.begin(operation)
            while await self.run_batch(operation):
                if stop is not None and stop.is_set():
                    await self.lease.release([operation.id])
                    log.info("bulk operation %s handed back: stopping", operation.id)
                    return
        except Cancelled:
            return  # cancelled, or taken over: nothing more of it is ours to write
        except Exception as error:
            log.exception("bulk operation %s stopped", operation.id)
            await self._fail(operation, error)

    async def begin(self, operation: BulkOperation) -> None:
        """Mark a queued operation RUNNING; look up who started it, once a run."""
        self._actors = {operation.id: await _actor(operation)}
        if operation.state == BulkState.QUEUED:
            started = await BulkOperation.filter(
                id=operation.id, state=BulkState.QUEUED, claimed_by=self.lease.owner
            ).update(state=BulkState.RUNNING, started_at=now())
            if not started:
                raise Cancelled
            operation.state = BulkState.RUNNING

    async def run_batch(self, operation: BulkOperation) -> bool:
        """The next batch, in one transaction; whether there may be more to do (False: the
        operation is DONE, in the same transaction as its last batch)."""
        selection = Selection.from_json(operation.selection)
        if operation.id not in self._actors:
            self._actors = {operation.id: await _actor(operation)}
        actor = self._actors[operation.id]
        async with in_transaction() as conn:
            if not await self.lease.renew([operation.id], conn):
                raise Cancelled
            action = ACTIONS[operation.action]
            size = min(self.batch, action.batch_size)
            ids, last = await selection.next_batch(operation.last_contact_id, size, conn)
            # Those deleted since their ids were read are not there to lock: not handled.
            rows = await _locked_rows(conn, ids) if ids else []
            batch = Batch(conn, actor, operation.params, now(), rows)
            outcome = await action.apply(batch) if rows else Outcome()
            finished = last is None or (selection.ids is None and len(ids) < size)
            await self._record(conn, operation, len(rows), outcome, last, finished)
        if operation.action == BulkAction.INVITE and outcome.changed:
            wake_worker()
        return not finished

    async def _record(
        self,
        conn: BaseDBAsyncClient,
        operation: BulkOperation,
        handled: int,
        outcome: Outcome,
        last: int | None,
        finished: bool,
    ) -> None:
        skipped = Counter(operation.skipped or {})
        skipped.update(outcome.skipped)
        progress = {
            "processed": operation.processed + handled,
            "changed": operation.changed + outcome.changed,
            "failed": operation.failed + outcome.failed,
            "skipped": dict(skipped),
            "last_contact_id": last if last is not None else operation.last_contact_id,
        }
        done = {"state": BulkState.DONE, "finished_at": now(), "lease_until": None}
        await (
            BulkOperation.filter(id=operation.id, claimed_by=self.lease.owner)
            .using_db(conn)
            .update(**progress, **(done if finished else {}))
        )
        for name, value in progress.items():
            setattr(operation, name, value)
        if finished:
            operation.state = BulkState.DONE

    async def _fail(self, operation: BulkOperation, error: Exception) -> None:
        message = str(error) if isinstance(error, InputError) else "An internal error stopped it"
        await BulkOperation.filter(
            id=operation.id, state__in=ACTIVE_STATES, claimed_by=self.lease.owner
        ).update(
            state=BulkState.FAILED,
            error_message=f"{message}. What was done before stays done.",
            finished_at=now(),
            lease_until=None,
        )


async def _actor(operation: BulkOperation) -> Actor:
    """Who the timeline says did it: whoever started the operation."""
    creator_id = operation.created_by_id  # type: ignore[attr-defined]
    creator = await StaffUser.get_or_none(id=creator_id) if creator_id else None
    return Actor.staff(creator)


async def _locked_rows(conn: BaseDBAsyncClient, ids: list[int]) -> list[Row]:
    """The batch's contacts as the rules read them, locked until the batch commits (on
    SQLite the renewed lease already holds the database's write lock)."""
    dialect = conn.capabilities.dialect
    lock = " FOR UPDATE" if dialect == "postgres" else ""
    return await conn.execute_query_dict(
        f"SELECT {', '.join(ROW_COLUMNS)} FROM contact "
        f"WHERE id IN (SELECT id FROM {id_table(dialect, 1)}) ORDER BY id{lock}",
        [id_list(dialect, ids)],
    )


async def run_pending_operations() -> int:
    """Run every operation waiting now, one after another; how many were run."""
    runner = BulkRunner()
    count = 0
    while await runner.run_once():
        count += 1
    return count
