"""Tortoise configuration, migrations and the connection lifecycle."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.migrations.api import migrate as run_migrations
from tortoise.migrations.executor import MigrationExecutor

from crm.settings import Settings, make_private

log = logging.getLogger("crm.db")

MODEL_MODULES = [
    "crm.staff.models",
    "crm.auth.models",
    "crm.companies.models",
    "crm.contacts.models",
    "crm.groups.models",
    "crm.segments.models",
    "crm.mail.models",
    "crm.portal.models",
    "crm.imports.models",
    "crm.notes.models",
    "crm.timeline.models",
    "crm.campaigns.models",
    "crm.organisation.models",
    "crm.avatars.models",
    "crm.products.models",
    "crm.messages.models",
    "crm.duplicates.models",
    "crm.tasks.models",
    "crm.home.models",
    "crm.bulk.models",
]


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": _connection_config(database_url)},
        "apps": {
            "crm": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "crm.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _connection_config(database_url: str) -> str | dict[str, Any]:
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite":
        path = database_url.removeprefix("sqlite://")
        if path != ":memory:":
            private_sqlite_file(Path(path))
        return {
            # Write transactions begin IMMEDIATE: see crm/sqlite_engine.py.
            "engine": "crm.sqlite_engine",
            "credentials": {
                "file_path": path,
                "journal_mode": "WAL",
                "busy_timeout": 10000,
                "synchronous": "NORMAL",
                "foreign_keys": "ON",
            },
        }
    return database_url.replace("postgresql://", "postgres://", 1)


def private_sqlite_file(path: Path) -> None:
    """The database file and its WAL files readable by this user only (0600)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    # SQLite gives the -wal and -shm files the database file's permissions.
    for file in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
        if file.exists():
            make_private(file)


def dialect() -> str:
    return connections.get("default").capabilities.dialect


# The tables a bulk write (an import, the demo data) fills with many rows at once.
BULK_WRITTEN_TABLES = ("contact", "phone_number", "company", "group_membership")


async def refresh_planner_statistics(tables: tuple[str, ...] = BULK_WRITTEN_TABLES) -> None:
    """After a bulk write. PostgreSQL plans with the statistics autovacuum gathers up to a
    minute later; until then a search over a freshly filled table may be planned as a
    nested loop over every row (38 s seen at 5,000 contacts). SQLite has nothing to do."""
    if dialect() == "postgres":
        await connection().execute_script(f"ANALYZE {', '.join(tables)}")


def connection() -> BaseDBAsyncClient:
    return connections.get("default")


async def init_db(settings: Settings, *, wait_seconds: float = 0) -> None:
    """Connect the ORM, retrying while the database server is still starting."""
    deadline = asyncio.get_running_loop().time() + wait_seconds
    while True:
        try:
            await Tortoise.init(
                config=tortoise_config(settings.database_url), _enable_global_fallback=True
            )
            await connection().execute_query("SELECT 1")
            return
        except (OSError, ConnectionError) as error:
            await Tortoise.close_connections()
            if asyncio.get_running_loop().time() >= deadline:
                raise
            log.warning("database not reachable yet (%s); retrying", type(error).__name__)
            await asyncio.sleep(1)


class DatabaseNotReady(RuntimeError):
    """The database lacks migrations this version of the code needs."""


async def unapplied_migrations(settings: Settings) -> tuple[int, int]:
    """How many shipped migrations the database lacks, and how many it has applied."""
    executor = MigrationExecutor(connection(), tortoise_config(settings.database_url)["apps"])
    pending = await executor.plan()
    applied = await executor.recorder.applied_migrations() if pending else ()
    return len(pending), len(applied)


async def require_migrated(settings: Settings) -> None:
    """Raise DatabaseNotReady, saying to run `crm migrate`, unless the schema is current."""
    pending, applied = await unapplied_migrations(settings)
    if not pending:
        return
    if not applied:
        raise DatabaseNotReady("The database is not set up yet: run `crm migrate` first.")
    raise DatabaseNotReady(
        f"The database is {pending} migration(s) behind: run `crm migrate` first."
    )


async def close_db() -> None:
    await Tortoise.close_connections()


async def migrate(settings: Settings, *, wait_seconds: float = 0) -> None:
    """Apply the migrations, first waiting up to `wait_seconds` for the database server."""
    if wait_seconds:
        await init_db(settings, wait_seconds=wait_seconds)
        await close_db()
    try:
        await run_migrations(config=tortoise_config(settings.database_url))
    finally:
        await close_db()


# For `python -m tortoise -c crm.db.MIGRATIONS_CONFIG makemigrations` (developers only).
MIGRATIONS_CONFIG = tortoise_config("sqlite://:memory:")
