"""The database failing as a whole (PostgreSQL down or restarting, SQLite's disk full), told
to the client plainly instead of as an internal error.

PostgreSQL restarting: each request's connection is refused or cut for a few seconds, then
the connection pool connects again by itself; nothing was written by a request that failed,
as its transaction never committed. The client gets HTTP 503 with Retry-After and the
GraphQL error code UNAVAILABLE, and may send the same request again.
SQLite on a full disk: the write is rolled back and the file stays intact; the client gets
HTTP 507 and DISK_FULL, which no retry mends until someone frees space.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm.core.observability import request_id_var

log = logging.getLogger("crm.outages")

RETRY_AFTER_SECONDS = 5

# PostgreSQL's SQLSTATEs for "not now": the connection classes (08...), an administrator's or
# a crash's shutdown, starting up, and too many connections.
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")


@dataclass(frozen=True)
class Outage:
    code: str
    message: str
    status: int
    retry_after: int | None


UNAVAILABLE = Outage(
    "UNAVAILABLE",
    "The database cannot be reached right now; nothing was changed. Try again in a few seconds.",
    503,
    RETRY_AFTER_SECONDS,
)
DISK_FULL = Outage(
    "DISK_FULL",
    "The database's disk is full; nothing was changed. Ask your administrator to free space.",
    507,
    None,
)


def outage_of(error: BaseException) -> Outage | None:
    """The outage `error` (or an error it was raised from) shows, if it shows one."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionError):  # refused, reset, broken pipe
            return UNAVAILABLE
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
            return UNAVAILABLE
        if _connection_lost(current):
            return UNAVAILABLE
        if isinstance(current, sqlite3.OperationalError) and "disk is full" in str(current):
            return DISK_FULL
        current = current.__cause__ or current.__context__
    return None


# asyncpg on a pooled connection the server has just closed: the statement was never sent.
# The InternalClientError states: 2 is a server error that came unasked (the shutdown notice)
# still being read; "failed" and "not connected" follow the socket's close.
_LOST_CONNECTION_STATES = ("another operation (2)", 'in the "failed" state', "not connected")


def _connection_lost(error: BaseException) -> bool:
    name = type(error).__name__
    if name == "ConnectionDoesNotExistError":  # no SQLSTATE of its own
        return True
    return name == "InternalClientError" and any(
        state in str(error) for state in _LOST_CONNECTION_STATES
    )


def outage_body(outage: Outage) -> dict[str, object]:
    """The answer's body, shaped like a GraphQL error so every client reads it the same."""
    return {
        "errors": [
            {
                "message": outage.message,
                "extensions": {
                    "code": outage.code,
                    "retryable": outage.retry_after is not None,
                    "requestId": request_id_var.get(),
                },
            }
        ]
    }


def outage_headers(outage: Outage) -> list[tuple[bytes, bytes]]:
    if outage.retry_after is None:
        return []
    return [(b"retry-after", str(outage.retry_after).encode())]


class AnswerOutages:
    """Any request that fails because the database is out (outside GraphQL's own error
    handling: the session lookup, downloads, uploads) gets 503 or 507 and a coded error
    rather than a bare 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            outage = outage_of(error)
            if outage is None or started:
                raise
            log.warning("%s on %s: %r", outage.code, scope["path"], error)
            await send(
                {
                    "type": "http.response.start",
                    "status": outage.status,
                    "headers": [(b"content-type", b"application/json"), *outage_headers(outage)],
                }
            )
            await send(
                {"type": "http.response.body", "body": json.dumps(outage_body(outage)).encode()}
            )
