"""Tortoise's SQLite engine, with transactions that take the write lock when they begin.

A transaction opened with a plain (deferred) BEGIN reads from a snapshot. When another process
(a second `crm serve` worker, `crm worker`) commits a write before this transaction's first
write, SQLite refuses that write at once with "database is locked" (SQLITE_BUSY_SNAPSHOT):
waiting could not help, so busy_timeout is not applied. BEGIN IMMEDIATE takes the write lock
first, so the transaction waits its turn (up to busy_timeout) and then cannot be refused.
Nothing is serialised that was not before: tortoise already runs a transaction alone on the
process's single SQLite connection, and SQLite lets one writer in at a time.
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections
from tortoise.exceptions import TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise TransactionManagementError(error) from error


class ImmediateTransactionContext(SqliteTransactionContext):
    async def __aenter__(self) -> TransactionalDBClient:
        # Tortoise's own keeps the process's lock when BEGIN fails, which a BEGIN that waited
        # out busy_timeout now can: every later statement of the process would hang.
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            await self.connection.begin()
        except BaseException:
            self._trxlock.release()
            raise
        self.token = get_connections().set(self.connection_name, self.connection)
        return self.connection


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> SqliteTransactionContext:
        return ImmediateTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
