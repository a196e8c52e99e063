"""A scratch work table, created for each test and dropped after it (on both databases)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest_asyncio
from tortoise import connections

from crm.jobs.queue import Queue, bind

TABLE = "jobs_test_task"
TASKS = Queue(
    table=TABLE,
    waiting="state = 'WAITING' AND due_at <= :now",
    in_hand="state = 'WORKING'",
    on_claim="state = 'WORKING', tries = tries + 1",
    returning="id, tries",
)
_COLUMNS = {
    "sqlite": "id INTEGER PRIMARY KEY, due_at TIMESTAMP NOT NULL",
    "postgres": "id SERIAL PRIMARY KEY, due_at TIMESTAMPTZ NOT NULL",
}


@pytest_asyncio.fixture
async def tasks(db: str) -> AsyncIterator[str]:
    conn = connections.get("default")
    lease_type = "TIMESTAMP" if db == "sqlite" else "TIMESTAMPTZ"
    await conn.execute_script(
        f"CREATE TABLE {TABLE} ({_COLUMNS[db]}, state VARCHAR(10) NOT NULL, "
        f"claimed_by VARCHAR(100), lease_until {lease_type}, tries INT NOT NULL DEFAULT 0)"
    )
    try:
        yield db
    finally:
        await conn.execute_script(f"DROP TABLE {TABLE}")


async def add_tasks(count: int, *, due_in: timedelta = timedelta(0)) -> list[int]:
    """`count` waiting tasks due `due_in` from now; the ids of every task."""
    conn = connections.get("default")
    due = datetime.now(UTC) + due_in
    sql, _ = bind(
        f"INSERT INTO {TABLE} (due_at, state) VALUES (:due, 'WAITING')",
        conn.capabilities.dialect,
        {"due": due},
    )
    await conn.execute_many(sql, [[due]] * count)
    return [row["id"] for row in await query(f"SELECT id FROM {TABLE} ORDER BY id")]


async def end_leases() -> None:
    """Time passes: every lease has run out (as when the worker holding it died)."""
    await execute(
        f"UPDATE {TABLE} SET lease_until = :past WHERE lease_until IS NOT NULL",
        past=datetime.now(UTC) - timedelta(seconds=1),
    )


async def states() -> dict[int, tuple[str, str | None, int]]:
    rows = await query(f"SELECT id, state, claimed_by, tries FROM {TABLE} ORDER BY id")
    return {row["id"]: (row["state"], row["claimed_by"], row["tries"]) for row in rows}


async def execute(sql: str, **values: object) -> None:
    conn = connections.get("default")
    await conn.execute_query(*bind(sql, conn.capabilities.dialect, values))


async def query(sql: str, **values: object) -> list[dict]:
    conn = connections.get("default")
    return await conn.execute_query_dict(*bind(sql, conn.capabilities.dialect, values))
