"""Tortoise configuration, migrations and the connection lifecycle."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.migrations.api import migrate as run_migrations

from crm.settings import Settings

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
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {
            "engine": "tortoise.backends.sqlite",
            "credentials": {
                "file_path": path,
                "journal_mode": "WAL",
                "busy_timeout": 10000,
                "synchronous": "NORMAL",
                "foreign_keys": "ON",
            },
        }
    return database_url.replace("postgresql://", "postgres://", 1)


def dialect() -> str:
    return connections.get("default").capabilities.dialect


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


async def close_db() -> None:
    await Tortoise.close_connections()


async def migrate(settings: Settings) -> None:
    try:
        await run_migrations(config=tortoise_config(settings.database_url))
    finally:
        await close_db()


# For `python -m tortoise -c crm.db.MIGRATIONS_CONFIG makemigrations` (developers only).
MIGRATIONS_CONFIG = tortoise_config("sqlite://:memory:")
