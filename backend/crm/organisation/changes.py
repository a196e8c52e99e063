"""Saved settings reach every app process at once on PostgreSQL.

The process that saves settings sends `NOTIFY crm_settings` with its write; every app
process listens on a connection of its own and, told of a change, reads the settings again
at its next request or background batch. Without the notice (SQLite, which is one machine's,
or while the listening connection is down) a process still reads them again every
REFRESH_SECONDS.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from crm.organisation.services import SETTINGS_CHANNEL as CHANNEL
from crm.organisation.services import forget_read_time

log = logging.getLogger("crm.organisation")

RECONNECT_SECONDS = 5.0
# Options of tortoise's PostgreSQL URL that are not the server's (asyncpg would send them on).
_POOL_OPTIONS = {"minsize", "maxsize", "max_queries", "max_inactive_connection_lifetime", "schema"}


def _server_dsn(database_url: str) -> str:
    parts = urlsplit(database_url)
    kept = [(k, v) for k, v in parse_qsl(parts.query) if k not in _POOL_OPTIONS]
    return urlunsplit(parts._replace(query=urlencode(kept)))


@contextlib.asynccontextmanager
async def listening_for_settings(database_url: str) -> AsyncIterator[None]:
    """While the block runs, a change announced by any process is read at once here."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(_listen(_server_dsn(database_url), stop))
    try:
        yield
    finally:
        stop.set()
        await task


async def _listen(dsn: str, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await _listen_once(dsn, stop)
        except (OSError, asyncpg.PostgresError, TimeoutError) as error:
            log.warning("not listening for settings changes (%s); retrying", error)
        if not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RECONNECT_SECONDS)


async def _listen_once(dsn: str, stop: asyncio.Event) -> None:
    """Listen on one connection until `stop` or the connection is lost."""
    lost = asyncio.Event()
    listener = await asyncpg.connect(dsn, timeout=10)
    try:
        listener.add_termination_listener(lambda _connection: lost.set())
        await listener.add_listener(CHANNEL, lambda *_notice: forget_read_time())
        forget_read_time()  # whatever changed while nobody listened
        await _first_of(stop, lost)
    finally:
        with contextlib.suppress(Exception):
            await listener.close(timeout=5)


async def _first_of(*events: asyncio.Event) -> None:
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
