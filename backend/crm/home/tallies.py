"""How many contacts there are of each type, status, portal status, archived or not, read
from the changes the database's triggers record (migration 0029), and the folding of those
changes into one row per combination, which a background runner does every minute."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from tortoise import connections
from tortoise.transactions import in_transaction

from crm.jobs.queue import new_worker_id
from crm.jobs.runner import Runner

log = logging.getLogger("crm.home")

KIND = "tallies"
FOLD_EVERY_SECONDS = 60.0
_KEY = "type, status, portal_status, archived"


@dataclass(frozen=True)
class Tally:
    type: str
    status: str
    portal_status: str
    archived: bool
    count: int


async def contact_tallies() -> list[Tally]:
    """One row per combination that some contact has."""
    rows = await connections.get("default").execute_query_dict(
        f"SELECT {_KEY}, SUM(change) AS count FROM contact_tally_change "
        f"GROUP BY {_KEY} HAVING SUM(change) <> 0"
    )
    return [
        Tally(row["type"], row["status"], row["portal_status"], bool(row["archived"]), row["count"])
        for row in rows
    ]


async def fold_changes() -> None:
    """Replace the recorded changes by their sums, one row per combination."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        # One statement, one snapshot: changes committed meanwhile are neither summed nor
        # deleted, and a concurrent fold deletes only what this one did not.
        await connection.execute_script(
            f"WITH folded AS (DELETE FROM contact_tally_change RETURNING {_KEY}, change) "
            f"INSERT INTO contact_tally_change ({_KEY}, change) "
            f"SELECT {_KEY}, SUM(change) FROM folded GROUP BY {_KEY} HAVING SUM(change) <> 0"
        )
        return
    # SQLite: the transaction holds the only write lock, so nothing is recorded meanwhile.
    async with in_transaction() as transaction:
        last = (
            await transaction.execute_query_dict("SELECT MAX(id) AS id FROM contact_tally_change")
        )[0]["id"]
        if last is None:
            return
        await transaction.execute_query(
            f"INSERT INTO contact_tally_change ({_KEY}, change) "
            f"SELECT {_KEY}, SUM(change) FROM contact_tally_change WHERE id <= ? "
            f"GROUP BY {_KEY} HAVING SUM(change) <> 0",
            [last],
        )
        await transaction.execute_query("DELETE FROM contact_tally_change WHERE id <= ?", [last])


async def _fold_round(_stop: asyncio.Event) -> int:
    await fold_changes()
    return 0  # then wait for the next round


def tally_runner() -> Runner:
    return Runner(
        kind=KIND,
        name=f"tally folder {new_worker_id()}",
        run_once=_fold_round,
        poll_seconds=FOLD_EVERY_SECONDS,
        grace_seconds=5,
        log=log,
    )
