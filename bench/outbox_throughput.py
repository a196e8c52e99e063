"""Benchmark the mail outbox: messages per second one delivery worker hands to SMTP.

    python bench/outbox_throughput.py [--messages 2000] [--database-url postgres://...]
        [--to-contacts]

Builds a fresh database (SQLite in a temp dir by default; for a PostgreSQL URL the
public schema is dropped and recreated first: point it at a throwaway database), queues
N messages with `queue_message` (100 per transaction), starts an aiosmtpd sink in its own
process on a free loopback port, then times one `DeliveryWorker` draining the outbox
(claim a batch, send each message over one SMTP connection, mark it SENT). It checks
that the sink received every message exactly once. With `--to-contacts` each message goes
to a contact of its own (created first), so each delivery is also recorded on that
contact's timeline (EMAIL_SENT), as invitations are.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import secrets
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "backend"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_sink(port: int, received, ready, stop) -> None:
    """An SMTP server that accepts everything and counts distinct Message-IDs."""
    from aiosmtpd.controller import Controller

    seen: set[bytes] = set()

    class Count:
        async def handle_DATA(self, server, session, envelope) -> str:
            for line in envelope.content.split(b"\r\n"):
                if line.lower().startswith(b"message-id:"):
                    seen.add(line)
                    break
            with received.get_lock():
                received.value += 1
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    received.value = -received.value if len(seen) != received.value else received.value


async def reset_postgres(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def bench(messages: int, batch_size: int, port: int, received, to_contacts: bool) -> None:
    from tortoise import connections
    from tortoise.transactions import in_transaction

    from crm.contacts.services import ContactChanges, create_contact
    from crm.db import close_db, init_db, migrate
    from crm.mail.models import MessageStatus, OutboxMessage
    from crm.mail.services import queue_message
    from crm.mail.templates import render_invitation
    from crm.mail.worker import DeliveryWorker
    from crm.settings import get_settings

    settings = get_settings()
    await migrate(settings)
    await init_db(settings)
    try:
        dialect = "SQLite" if settings.is_sqlite else "PostgreSQL"
        contact_ids = [
            (await create_contact(ContactChanges(last_name=f"Person {index}"))).id
            if to_contacts
            else None
            for index in range(messages)
        ]
        started = time.perf_counter()
        for start in range(0, messages, 100):
            async with in_transaction():
                for index in range(start, min(start + 100, messages)):
                    subject, text, html = render_invitation(
                        organisation="Bench Ltd",
                        contact_name=f"Person {index}",
                        link=f"{settings.public_url}/portal/activate?token={secrets.token_urlsafe(32)}",
                        expires_at=settings_now(),
                    )
                    await queue_message(
                        kind="INVITATION",
                        to_address=f"person{index}@example.com",
                        to_name=f"Person {index}",
                        subject=subject,
                        text=text,
                        html=html,
                        contact_id=contact_ids[index],
                    )
        queued = time.perf_counter() - started

        worker = DeliveryWorker(settings, worker_id="bench")
        started = time.perf_counter()
        handled = 0
        while count := await worker.run_once():
            handled += count
        elapsed = time.perf_counter() - started
        sent = await OutboxMessage.filter(status=MessageStatus.SENT).count()
        [events] = await connections.get("default").execute_query_dict(
            "SELECT count(*) AS n FROM timeline_event WHERE kind = 'EMAIL_SENT'"
        )
    finally:
        await close_db()

    print(f"database            {dialect}")
    print(f"messages            {messages}  (batch size {batch_size})")
    print(f"queue_message       {messages / queued:8.0f} messages/s")
    print(f"delivery, 1 worker  {handled / elapsed:8.0f} messages/s  ({elapsed:.2f} s)")
    print(f"marked SENT         {sent}")
    print(f"EMAIL_SENT events   {events['n']}")
    return sent


def settings_now():
    from datetime import UTC, datetime, timedelta

    return datetime.now(UTC) + timedelta(days=7)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    parser.add_argument("--to-contacts", action="store_true", help="one contact per message")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="crm-bench-outbox-"))
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    if database_url.startswith(("postgres://", "postgresql://")):
        asyncio.run(reset_postgres(database_url))
    port = free_port()
    os.environ.update(
        CRM_ENV="test",
        CRM_DATABASE_URL=database_url,
        CRM_DATA_DIR=str(workdir),
        CRM_SECRET_KEY=secrets.token_urlsafe(48),
        CRM_SMTP_URL=f"smtp://127.0.0.1:{port}",
        CRM_MAIL_BATCH_SIZE=str(args.batch_size),
        CRM_LOG_LEVEL="WARNING",
    )

    context = multiprocessing.get_context("spawn")
    received = context.Value("i", 0)
    ready, stop = context.Event(), context.Event()
    sink = context.Process(target=run_sink, args=(port, received, ready, stop))
    sink.start()
    try:
        if not ready.wait(20):
            sys.exit("the SMTP sink did not start")
        sent = asyncio.run(bench(args.messages, args.batch_size, port, received, args.to_contacts))
    finally:
        stop.set()
        sink.join(20)
        shutil.rmtree(workdir, ignore_errors=True)
    unique = received.value
    print(f"sink received       {abs(unique)}{'' if unique >= 0 else '  (DUPLICATES!)'}")
    if sent != args.messages or unique != args.messages:
        sys.exit("not every message was delivered exactly once")


if __name__ == "__main__":
    main()
