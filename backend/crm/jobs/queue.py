"""Claiming rows of a table under a lease, on PostgreSQL and on SQLite.

A work table has an integer `id`, `claimed_by` (who holds the row) and `lease_until` (until
when) besides its own columns. A claim is one `UPDATE … RETURNING` that writes the worker's
id and lease on up to N due rows. On PostgreSQL the rows are chosen with `FOR UPDATE SKIP
LOCKED`, so any number of workers on any number of machines never take the same row; SQLite
serialises writes, which makes the same statement just as exclusive. A worker that dies
keeps its rows until the lease runs out; then any worker takes them again, so work is done
at least once. Every later write (renew, settle, release) names the worker and touches
only rows it still holds: once a row has been taken over, its old worker cannot change it.

The SQL of a queue is written by its domain, with `:name` where a value goes (`:now` is
the current time; never inside a quoted literal); values are always bound, never spliced
into the text.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

Row = dict[str, Any]
_VALUE = re.compile(r"(?<![:\w]):([a-z_]+)\b")


def new_worker_id() -> str:
    """Who holds a claimed row: this host and process, and a random part for each worker."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def backoff(attempts: int, first_seconds: float, most_seconds: float = 3600) -> float:
    """How long to wait before the next try after `attempts` tries: doubling, capped."""
    return min(first_seconds * 2 ** max(attempts - 1, 0), most_seconds)


def bind(sql: str, dialect: str, values: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """`sql` with each `:name` replaced by the dialect's numbered placeholder for
    `values[name]` ($1 on PostgreSQL, ?1 on SQLite); a list fills an `IN (:ids)` with one
    placeholder per item. A name used twice is bound once."""
    prefix = "$" if dialect == "postgres" else "?"
    bound: list[Any] = []
    marks: dict[str, str] = {}

    def mark(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in marks:
            value = values[name]
            items = list(value) if isinstance(value, (list, tuple)) else [value]
            first = len(bound) + 1
            bound.extend(items)
            marks[name] = ", ".join(f"{prefix}{n}" for n in range(first, len(bound) + 1))
        return marks[name]

    return _VALUE.sub(mark, sql), bound


@dataclass(frozen=True)
class Queue:
    """A table whose rows are work, as SQL conditions its domain writes.

    `waiting`: the rows a worker may take now. `in_hand`: the rows being worked on; a row in
    hand whose lease has run out is taken again. `on_claim`: what a claim sets besides the
    holder and the lease. `returning`: the columns a claim hands the worker. `order_by`:
    which rows a claim takes first.
    """

    table: str
    waiting: str
    in_hand: str
    on_claim: str = ""
    returning: str = "id"
    order_by: str = "id"

    def lease(self, owner: str, seconds: float) -> Lease:
        return Lease(self, owner, seconds)


class Lease:
    """One worker's hold on the rows it claims from a queue."""

    def __init__(self, queue: Queue, owner: str, seconds: float) -> None:
        self.queue = queue
        self.owner = owner
        self.seconds = seconds
        self._renewed_at = float("-inf")

    async def claim(self, limit: int) -> list[Row]:
        """Take up to `limit` rows, waiting ones and those whose holder's lease ran out,
        first by the queue's order, and hold them for the lease; they come in id order."""
        queue = self.queue
        conn = connections.get("default")
        now = datetime.now(UTC)
        skip_locked = " FOR UPDATE SKIP LOCKED" if _dialect(conn) == "postgres" else ""
        also = f", {queue.on_claim}" if queue.on_claim else ""
        rows = await self._query(
            f"UPDATE {queue.table} SET claimed_by = :owner, lease_until = :until{also} "
            f"WHERE id IN (SELECT id FROM {queue.table} "
            f"WHERE ({queue.waiting}) OR (({queue.in_hand}) AND lease_until < :now) "
            f"ORDER BY {queue.order_by} LIMIT :limit{skip_locked}) RETURNING {queue.returning}",
            conn,
            now=now,
            until=now + timedelta(seconds=self.seconds),
            limit=limit,
        )
        self._renewed_at = time.monotonic()
        return sorted(rows, key=lambda row: row["id"])

    async def renew(self, ids: Collection[int], conn: BaseDBAsyncClient | None = None) -> set[int]:
        """Extend the lease of those of `ids` still held; their ids. Inside a transaction
        (`conn`), this write also locks the rows until it ends."""
        if not ids:
            return set()
        rows = await self._query(
            f"UPDATE {self.queue.table} SET lease_until = :until WHERE {self._held} RETURNING id",
            conn,
            ids=list(ids),
            until=datetime.now(UTC) + timedelta(seconds=self.seconds),
        )
        self._renewed_at = time.monotonic()
        return {row["id"] for row in rows}

    @property
    def renewal_due(self) -> bool:
        """Half the lease has passed: the next `keep` writes."""
        return time.monotonic() - self._renewed_at >= self.seconds / 2

    async def keep(self, ids: Collection[int]) -> set[int]:
        """Those of `ids` still held, renewing their lease once half of it has passed
        (a statement per batch or so, not per row)."""
        if not self.renewal_due:
            return set(ids)
        return await self.renew(ids)

    async def settle(self, ids: Collection[int], assignments: str, **values: Any) -> int:
        """Record an outcome (`assignments`, SQL) on those of `ids` still held and end their
        lease; `claimed_by` keeps who did the work. How many rows were still held."""
        return await self._execute(
            f"UPDATE {self.queue.table} SET lease_until = NULL, {assignments} WHERE {self._held}",
            ids,
            values,
        )

    async def release(self, ids: Collection[int], assignments: str = "", **values: Any) -> int:
        """Hand back those of `ids` still held, so that any worker may take them at once
        (`assignments`, SQL, make them `waiting` again where the holder alone does not);
        how many were still held."""
        also = f", {assignments}" if assignments else ""
        return await self._execute(
            f"UPDATE {self.queue.table} SET claimed_by = NULL, lease_until = NULL{also} "
            f"WHERE {self._held}",
            ids,
            values,
        )

    @property
    def _held(self) -> str:
        return f"claimed_by = :owner AND ({self.queue.in_hand}) AND id IN (:ids)"

    async def _execute(self, sql: str, ids: Collection[int], values: Mapping[str, Any]) -> int:
        if not ids:
            return 0
        conn = connections.get("default")
        text, bound = bind(sql, _dialect(conn), {**values, "owner": self.owner, "ids": list(ids)})
        changed, _ = await conn.execute_query(text, bound)
        return changed

    async def _query(
        self, sql: str, conn: BaseDBAsyncClient | None = None, **values: Any
    ) -> list[Row]:
        conn = conn or connections.get("default")
        text, bound = bind(sql, _dialect(conn), {**values, "owner": self.owner})
        return await conn.execute_query_dict(text, bound)


def _dialect(conn: BaseDBAsyncClient) -> str:
    return conn.capabilities.dialect
