"""The `crm` command: serve, worker, migrate, create-admin, export-schema, demo-data,
find-duplicates, backup, restore..."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from crm.settings import (
    SettingsError,
    get_settings,
    keep_files_private,
    public_url_for_serving,
    reset_settings,
)


def _run_with_db(action: Callable[[], Awaitable[None]]) -> None:
    """Run `action` connected to a database that is migrated, or say to migrate it."""
    from crm.db import DatabaseNotReady, close_db, init_db, require_migrated
    from crm.organisation.services import refresh_stored_settings

    async def run() -> None:
        await init_db(get_settings(), wait_seconds=30)
        try:
            await require_migrated(get_settings())
            await refresh_stored_settings(force=True)
            await action()
        finally:
            await close_db()

    try:
        asyncio.run(run())
    except DatabaseNotReady as error:
        sys.exit(str(error))


def cmd_migrate(_args: argparse.Namespace) -> None:
    from crm.db import close_db, migrate

    async def run() -> None:
        # As `serve` and `worker` do: in a compose stack it may start with the database.
        await migrate(get_settings(), wait_seconds=30)
        await close_db()

    asyncio.run(run())
    print("Database is up to date.")


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from crm.core.observability import configure_logging

    # Read by each server process (also with --workers N) when it builds the app.
    os.environ["CRM_PUBLIC_URL"] = public_url_for_serving(args.host, args.port)
    if not args.worker:
        os.environ["CRM_RUN_WORKER"] = "0"
    reset_settings()
    settings = get_settings()
    if args.migrate:
        cmd_migrate(args)
    configure_logging(settings.log_level, settings.log_format)
    print(f"Serving the CRM on http://{args.host}:{args.port} (GraphQL at /graphql)")
    print(f"Links in emails start with {settings.public_url} (CRM_PUBLIC_URL)")
    _announce_setup_link()
    metrics_dir = _shared_metrics_dir(args.workers)
    try:
        uvicorn.run(
            "crm.asgi:app",
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_config=None,
            # The app writes its own access log (crm.access), without query strings.
            access_log=False,
            proxy_headers=settings.trust_proxy_headers,
            server_header=False,
        )
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _shared_metrics_dir(workers: int) -> str | None:
    """With several server processes, a fresh folder where they keep the counts /metrics
    adds up (prometheus-client's multiprocess mode); None with one, or when the operator set
    PROMETHEUS_MULTIPROC_DIR (then emptying it before a start is theirs to do)."""
    if workers <= 1 or os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return None
    folder = tempfile.mkdtemp(prefix="crm-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    return folder


def _announce_setup_link() -> None:
    """While nobody has a staff account, print a new one-time link to create the first
    administrator (on the terminal, not in the log)."""
    from crm.staff.setup import issue_setup_link

    link: str | None = None

    async def issue() -> None:
        nonlocal link
        link = await issue_setup_link()

    try:
        _run_with_db(issue)
    except SystemExit:  # not migrated yet (serve --no-migrate): the app says what to do
        return
    if link is not None:
        print(
            "\nNobody can sign in yet. Create the first administrator (the link works once, "
            f"for a day):\n\n    {link}\n",
            flush=True,
        )


def cmd_worker(_args: argparse.Namespace) -> None:
    import signal

    from crm.core.observability import configure_logging
    from crm.jobs.runner import running
    from crm.jobs.workers import background_runners
    from crm.organisation.changes import listening_for_settings

    # The links the worker's emails carry: CRM_PUBLIC_URL, required in production.
    os.environ["CRM_PUBLIC_URL"] = public_url_for_serving("127.0.0.1", 8000)
    reset_settings()
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)

    async def run() -> None:
        async with (
            listening_for_settings(settings.database_url),
            running(background_runners(settings)) as stop,
        ):
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, stop.set)
            await stop.wait()

    _run_with_db(run)


def cmd_send_test_email(args: argparse.Namespace) -> None:
    from crm.core.errors import InputError
    from crm.core.observability import configure_logging
    from crm.mail.models import MessageStatus
    from crm.mail.services import queue_test_email
    from crm.mail.worker import DeliveryWorker

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)

    async def send() -> None:
        message = await queue_test_email(args.to, settings)
        # Deliver it now (with whatever else is due before it), then report how it went.
        worker = DeliveryWorker(settings)
        while True:
            handled = await worker.run_once()
            await message.refresh_from_db()
            if message.attempts > 0 or handled == 0:
                break
        where = settings.smtp.display if settings.smtp else "the log (CRM_SMTP_URL is not set)"
        if message.status == MessageStatus.SENT:
            print(f"Sent a test email to {message.to_address} through {where}.")
        elif message.status == MessageStatus.LOGGED:
            print(
                f"Not sent: no mail server is configured (CRM_SMTP_URL is not set). The test "
                f"email to {message.to_address} was written to the log instead."
            )
        elif message.status == MessageStatus.FAILED:
            sys.exit(f"The mail server refused the test email: {message.last_error}")
        else:
            sys.exit(
                f"Could not send the test email through {where}: {message.last_error}. "
                "It stays in the outbox and will be retried."
            )

    try:
        _run_with_db(send)
    except InputError as error:
        sys.exit("; ".join(e.message for e in error.errors))


def cmd_create_admin(args: argparse.Namespace) -> None:
    from crm.core.errors import InputError
    from crm.staff.models import StaffRole
    from crm.staff.services import create_staff_user

    password = args.password or os.environ.get("CRM_ADMIN_PASSWORD")
    if not password:
        sys.exit("Give a password with --password or CRM_ADMIN_PASSWORD.")

    async def create() -> None:
        user = await create_staff_user(args.email, password, name=args.name, role=StaffRole.ADMIN)
        print(f"Created administrator {user.email}.")

    try:
        _run_with_db(create)
    except InputError as error:
        sys.exit("; ".join(e.message for e in error.errors))


def cmd_export_schema(args: argparse.Namespace) -> None:
    from crm.graphql.schema import SCHEMA_FILE, schema_sdl

    target = args.output or SCHEMA_FILE
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(schema_sdl())
    print(f"Wrote {target}")


def cmd_demo_data(args: argparse.Namespace) -> None:
    from crm.db import refresh_planner_statistics
    from crm.demo import create_demo_data

    async def run() -> None:
        summary = await create_demo_data(args.contacts, seed=args.seed)
        await refresh_planner_statistics()
        print(summary)

    _run_with_db(run)


def cmd_find_duplicates(_args: argparse.Namespace) -> None:
    from crm.duplicates.scan import ProgressBar, find_duplicates

    async def run() -> None:
        bar = ProgressBar()
        try:
            result = await find_duplicates(bar)
        finally:
            bar.close()
        print(result.summary())

    _run_with_db(run)


def cmd_reassign_owner(args: argparse.Namespace) -> None:
    from crm.core.errors import InputError
    from crm.staff.ownership import reassign_by_email

    async def run() -> None:
        moved = await reassign_by_email(args.from_email, args.to_email)
        print(
            f"Gave {moved.contacts} contacts and {moved.companies} companies of "
            f"{args.from_email} to {args.to_email}."
        )

    try:
        _run_with_db(run)
    except InputError as error:
        sys.exit("; ".join(e.message for e in error.errors))


def cmd_backup(args: argparse.Namespace) -> None:
    from crm.ops.backup import BackupError, backup

    try:
        print(asyncio.run(backup(get_settings().database_url, Path(args.file))))
    except BackupError as error:
        sys.exit(str(error))


def cmd_restore(args: argparse.Namespace) -> None:
    from crm.ops.backup import BackupError, restore

    try:
        print(asyncio.run(restore(get_settings().database_url, Path(args.file), force=args.force)))
    except BackupError as error:
        sys.exit(str(error))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crm", description="Self-hosted CRM")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the API and the browser app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--migrate",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="apply migrations before serving (default: on for SQLite)",
    )
    serve.add_argument(
        "--worker",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="deliver mail in the server process too (default: on; --no-worker when "
        "`crm worker` runs separately)",
    )
    serve.set_defaults(func=cmd_serve)

    commands.add_parser(
        "worker", help="deliver the mail outbox and run imports until stopped (SIGTERM/SIGINT)"
    ).set_defaults(func=cmd_worker)

    test_email = commands.add_parser(
        "send-test-email", help="send a test email through CRM_SMTP_URL and report the result"
    )
    test_email.add_argument("--to", required=True, help="the address to send it to")
    test_email.set_defaults(func=cmd_send_test_email)

    commands.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)

    admin = commands.add_parser("create-admin", help="create an administrator account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password", help="or set CRM_ADMIN_PASSWORD")
    admin.add_argument("--name", default="")
    admin.set_defaults(func=cmd_create_admin)

    export = commands.add_parser("export-schema", help="write schema.graphql from the code")
    export.add_argument("--output", help="where to write (default: schema.graphql at the repo)")
    export.set_defaults(func=cmd_export_schema)

    demo = commands.add_parser("demo-data", help="fill the database with realistic fake data")
    demo.add_argument("--contacts", type=int, default=1000)
    demo.add_argument("--seed", type=int, default=1)
    demo.set_defaults(func=cmd_demo_data)

    commands.add_parser(
        "find-duplicates",
        help="find possible duplicate contacts over the whole database (progress on stderr; "
        "dismissed pairs stay dismissed)",
    ).set_defaults(func=cmd_find_duplicates)

    reassign = commands.add_parser(
        "reassign-owner",
        help="give every contact and company one staff user owns to another (someone who left)",
    )
    reassign.add_argument("--from", dest="from_email", required=True, metavar="EMAIL")
    reassign.add_argument("--to", dest="to_email", required=True, metavar="EMAIL")
    reassign.set_defaults(func=cmd_reassign_owner)

    backup = commands.add_parser(
        "backup",
        help="write a consistent copy of the database to FILE while the app runs (SQLite's "
        "backup API; pg_dump on PostgreSQL)",
    )
    backup.add_argument("file", metavar="FILE")
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser(
        "restore",
        help="put a backup made by `crm backup` back into the database (stop the app first)",
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that already holds data"
    )
    restore.set_defaults(func=cmd_restore)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
        keep_files_private(settings)
        if getattr(args, "migrate", False) is None:
            args.migrate = settings.is_sqlite
        args.func(args)
    except SettingsError as error:
        sys.exit(f"Configuration error: {error}")
