"""Assembles the ASGI application: routes, lifespan, middleware and the built frontend."""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm.avatars.routes import MAX_UPLOAD_BYTES as AVATAR_UPLOAD_BYTES
from crm.avatars.routes import UPLOAD_PREFIX as AVATAR_UPLOAD_PREFIX
from crm.avatars.routes import routes as avatar_routes
from crm.campaigns.unsubscribe import routes as unsubscribe_routes
from crm.core.observability import enable_query_counting, request_id_var, start_counting
from crm.core.outages import AnswerOutages
from crm.db import close_db, init_db
from crm.db import migrate as migrate_db
from crm.exports.routes import routes as export_routes
from crm.graphql.view import GraphQLView
from crm.imports.routes import UPLOAD_PATH
from crm.imports.routes import routes as import_routes
from crm.ops.health import PROBE_PATHS, probe_routes
from crm.ops.metrics import timing_graphql_request
from crm.ops.scrape import metrics_route
from crm.organisation.changes import listening_for_settings
from crm.organisation.routes import routes as organisation_routes
from crm.organisation.services import refresh_stored_settings
from crm.settings import Settings, get_settings

access_log = logging.getLogger("crm.access")
GRAPHQL_PATH = "/graphql"

# The app's own pages load only their own scripts; inline styles are allowed because the
# dialog library sets its scroll lock with a <style> element.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    """Headers on every response: no framing, no sniffing, no referrer (links carry tokens)."""
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if settings.is_production and settings.public_url.startswith("https://"):
        headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
    return headers


class RequestGuard:
    """Gives each request an id, caps the body size, and reports SQL counts when asked."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_body = settings.max_body_bytes
        # An upload's form fields and boundaries come on top of the file itself.
        self.max_upload = settings.max_upload_bytes + 64 * 1024
        self.expose_query_count = settings.expose_query_count
        self.headers = security_headers(settings)
        # GraphiQL (development only) loads its page from a CDN: no policy on /graphql then.
        self.policy_exempt = () if settings.is_production else ("/graphql",)

    def _limit(self, path: str) -> int:
        """The largest body a request to `path` may send."""
        if path == UPLOAD_PATH:
            return self.max_upload
        if path.startswith(AVATAR_UPLOAD_PREFIX):
            return AVATAR_UPLOAD_BYTES
        return self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(8)
        request_id_var.set(request_id)
        if scope["path"] not in PROBE_PATHS:  # probes answer without the database
            await refresh_stored_settings()
        counter = start_counting() if self.expose_query_count else None
        started = time.perf_counter()
        status = 0
        extra = list(self.headers)
        if scope["path"] not in self.policy_exempt:
            extra.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))

        received = 0
        limit = self._limit(scope["path"])

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", [])) + extra
                headers.append((b"x-request-id", request_id.encode()))
                if counter is not None:
                    headers.append((b"x-query-count", str(counter[0]).encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            declared = dict(scope["headers"]).get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                await _too_large(limit)(scope, receive, send_with_headers)
                return
            try:
                with _timed(scope["path"]):
                    await self.app(scope, limited_receive, send_with_headers)
            except _BodyTooLarge:
                await _too_large(limit)(scope, receive, send_with_headers)
        finally:
            _log_access(scope, status, started)


def _timed(path: str) -> contextlib.AbstractContextManager[None]:
    """GraphQL requests are timed for /metrics (crm.ops.metrics)."""
    return timing_graphql_request() if path == GRAPHQL_PATH else contextlib.nullcontext()


def _log_access(scope: Scope, status: int, started: float) -> None:
    """One line per request, without the query string: links in emails carry tokens there."""
    client = scope.get("client")
    access_log.info(
        '%s "%s %s" %s %.1f ms',
        client[0] if client else "-",
        scope["method"],
        scope["path"],
        status or "-",
        (time.perf_counter() - started) * 1000,
    )


class _BodyTooLarge(Exception):
    pass


def _too_large(limit: int) -> Response:
    megabytes = f"{limit / 1_000_000:.0f} MB" if limit >= 1_000_000 else f"{limit} bytes"
    return JSONResponse(
        {
            "errors": [
                {
                    "message": f"The request is larger than the {megabytes} limit",
                    "extensions": {"code": "TOO_LARGE"},
                }
            ]
        },
        status_code=413,
    )


def _frontend_routes(dist: Path) -> list[Route | Mount]:
    index = dist / "index.html"
    if not index.is_file():
        return [Route("/", _no_frontend)]

    async def spa(_request: Request) -> Response:
        return FileResponse(index, headers={"cache-control": "no-cache"})

    routes: list[Route | Mount] = []
    if (dist / "assets").is_dir():
        routes.append(Mount("/assets", StaticFiles(directory=dist / "assets"), name="assets"))
    for item in dist.iterdir():
        if item.is_file() and item.name != "index.html":
            routes.append(Route(f"/{item.name}", _static_file(item)))
    routes += [Route("/", spa), Route("/{path:path}", spa)]
    return routes


def _static_file(path: Path) -> Callable[[Request], Awaitable[Response]]:
    async def serve(_request: Request) -> Response:
        return FileResponse(path)

    return serve


async def _no_frontend(_request: Request) -> Response:
    return PlainTextResponse(
        "The CRM API is running: GraphQL at /graphql. The browser app is not built yet.\n"
    )


@contextlib.asynccontextmanager
async def _background_work(settings: Settings, *, enabled: bool) -> AsyncIterator[None]:
    """Deliver the outbox and run imports in this process while the app runs (crm.jobs)."""
    if not enabled:
        yield
        return
    from crm.jobs.runner import running
    from crm.jobs.workers import background_runners

    async with running(background_runners(settings)):
        yield


def create_app(
    settings: Settings | None = None,
    *,
    manage_db: bool = True,
    migrate: bool = False,
    run_worker: bool | None = None,
) -> Starlette:
    """`manage_db=False` leaves the ORM connection to the caller (tests do that).

    The mail delivery worker runs inside the app when `run_worker` is true; by default
    when the app manages its database and `CRM_RUN_WORKER` is not turned off.
    """
    settings = settings or get_settings()
    if run_worker is None:
        run_worker = manage_db and settings.run_worker
    if settings.expose_query_count:
        enable_query_counting()

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if manage_db:
            if migrate:
                await migrate_db(settings)
                await close_db()
            await init_db(settings, wait_seconds=30)
        try:
            # The runners stop (finishing the work in hand) before the database closes.
            async with (
                listening_for_settings(settings.database_url if manage_db else ""),
                _background_work(settings, enabled=bool(run_worker)),
            ):
                yield
        finally:
            if manage_db:
                await close_db()

    graphql = GraphQLView(settings)
    routes: list[Route | Mount] = [
        Route(GRAPHQL_PATH, graphql, methods=["GET", "POST"]),
        *probe_routes(settings),
        metrics_route(settings),
        *export_routes,
        *import_routes,
        *unsubscribe_routes,
        *organisation_routes,
        *avatar_routes,
        *_frontend_routes(settings.frontend_dir),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(RequestGuard, settings=settings)
    app.add_middleware(AnswerOutages)  # outermost: RequestGuard reads settings from the database
    return app
