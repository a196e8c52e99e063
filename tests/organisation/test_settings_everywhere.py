"""Settings saved through one app process are in effect in the others at once (PostgreSQL)."""

from __future__ import annotations

import asyncio
import time

import pytest
from tortoise import connections

from crm.organisation import services
from crm.organisation.changes import listening_for_settings
from crm.settings import get_settings


async def organisation_name_soon(expected: str, seconds: float) -> bool:
    """Whether this process's settings say `expected` within `seconds`, reading the saved row
    only as a request would (at most every REFRESH_SECONDS unless told of a change)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await services.refresh_stored_settings()
        if get_settings().organisation_name == expected:
            return True
        await asyncio.sleep(0.02)
    return False


async def test_a_change_saved_by_another_process_is_read_at_once(db) -> None:
    if db != "postgres":
        pytest.skip("one process at a time writes a SQLite file; PostgreSQL tells the others")
    # given this process listening, with the settings read just now
    await services.update_settings(services.SettingsChanges(organisation_name="Before"), None)
    async with listening_for_settings(get_settings().database_url):
        await asyncio.sleep(0.3)  # the listening connection is up
        await services.refresh_stored_settings(force=True)
        assert get_settings().organisation_name == "Before"

        # when another app process saves a new name (its write, then its notice)
        other = connections.get("default")
        await other.execute_script("UPDATE stored_settings SET organisation_name = 'After'")
        await other.execute_script(f"NOTIFY {services.SETTINGS_CHANNEL}")

        # then this process uses it from its next request, well before its periodic re-read
        assert services.REFRESH_SECONDS >= 2
        assert await organisation_name_soon("After", seconds=1.0)
