"""Probes for load balancers and orchestrators: /healthz (the process answers) and /readyz
(it can serve: the database answers and has every migration this code ships)."""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from crm.db import connection, unapplied_migrations
from crm.settings import Settings

log = logging.getLogger("crm.ops")

# A probe that hangs is worse than one that fails: an orchestrator waits for neither.
READY_TIMEOUT_SECONDS = 3.0
PROBE_PATHS = frozenset({"/healthz", "/readyz"})


async def healthz(_request: Request) -> Response:
    """Up: the process answers HTTP. Never touches the database (a database outage must not
    get healthy processes restarted)."""
    return PlainTextResponse("up", headers={"cache-control": "no-store"})


async def not_ready_reason(settings: Settings) -> str | None:
    """Why this process cannot serve yet, in a few words, or None when it can."""
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            await connection().execute_query("SELECT 1")
            pending, _applied = await unapplied_migrations(settings)
    except TimeoutError:
        return "database did not answer in time"
    except Exception as error:  # any driver's refusal means the same thing here
        log.warning("readiness: database not reachable: %s", type(error).__name__)
        return f"database not reachable ({type(error).__name__})"
    if pending:
        return f"{pending} migration(s) not applied: run `crm migrate`"
    return None


def readyz_route(settings: Settings) -> Route:
    async def readyz(_request: Request) -> Response:
        reason = await not_ready_reason(settings)
        headers = {"cache-control": "no-store"}
        if reason is not None:
            return JSONResponse(
                {"status": "not ready", "reason": reason}, status_code=503, headers=headers
            )
        return JSONResponse({"status": "ready"}, headers=headers)

    return Route("/readyz", readyz)


def probe_routes(settings: Settings) -> list[Route]:
    return [Route("/healthz", healthz), readyz_route(settings)]
