"""Several workers on one database: each message is sent once, whoever sends it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from datetime import UTC, datetime

import pytest

from crm.mail.models import MessageStatus, OutboxMessage
from crm.mail.services import sender_domain
from crm.mail.worker import DeliveryWorker
from crm.settings import get_settings
from tests.conftest import REPO_ROOT
from tests.mail.conftest import SmtpServer, queue, worker_settings


async def bulk_queue(n: int) -> None:
    from email.utils import make_msgid

    now = datetime.now(UTC)
    domain = sender_domain(get_settings())
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                kind="TEST",
                to_address=f"person{index}@example.com",
                to_name=f"Person {index}",
                subject=f"Message {index}",
                text_body=f"Hello {index}",
                html_body=f"<p>Hello {index}</p>",
                message_id=make_msgid(domain=domain),
                next_attempt_at=now,
            )
            for index in range(n)
        ],
        batch_size=500,
    )


async def drain(worker: DeliveryWorker) -> int:
    handled = 0
    while count := await worker.run_once():
        handled += count
    return handled


async def test_two_workers_deliver_1000_messages_without_a_duplicate_on_postgres(
    db: str, smtp_server: SmtpServer
):
    if db != "postgres":
        pytest.skip("row locking (SKIP LOCKED) is PostgreSQL's; SQLite serialises writes")
    # given 1,000 queued messages
    await bulk_queue(1000)
    settings = worker_settings(smtp_server.port)
    # when two workers drain the queue at the same time (each on its own connections)
    first, second = await asyncio.gather(
        drain(DeliveryWorker(settings, worker_id="worker-1")),
        drain(DeliveryWorker(settings, worker_id="worker-2")),
    )
    # then all 1,000 were delivered, none twice, and both workers took part
    counts = smtp_server.handler.message_ids
    assert len(counts) == 1000
    assert max(counts.values()) == 1
    assert first + second == 1000
    assert first > 0 and second > 0
    assert await OutboxMessage.filter(status=MessageStatus.SENT).count() == 1000


async def test_two_workers_share_the_queue_on_either_database(db: str, smtp_server: SmtpServer):
    await bulk_queue(200)
    settings = worker_settings(smtp_server.port, mail_batch_size=20)
    first, second = await asyncio.gather(
        drain(DeliveryWorker(settings, worker_id="worker-1")),
        drain(DeliveryWorker(settings, worker_id="worker-2")),
    )
    counts = smtp_server.handler.message_ids
    assert first + second == 200
    assert len(counts) == 200 and max(counts.values()) == 1


async def test_a_killed_worker_process_loses_nothing(db: str, smtp_server: SmtpServer):
    """`crm worker` killed with SIGKILL mid-batch; a new worker finishes the job.

    Only a message the server was accepting at the moment of the kill may arrive twice.
    """
    # given 40 queued messages, a slow mail server and a worker process with three
    # connections to it
    ids = await queue(40)
    smtp_server.handler.delay = 0.02
    env = {
        **{key: value for key, value in os.environ.items() if key != "CRM_SMTP_URL"},
        "CRM_SMTP_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "CRM_MAIL_BATCH_SIZE": "20",
        "CRM_MAIL_LEASE_SECONDS": "2",
        "CRM_SMTP_CONNECTIONS": "3",
        "CRM_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO_ROOT / "backend"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "crm",
        "worker",
        env=env,
        cwd=REPO_ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        # when it is killed part-way through its first batch
        deadline = time.monotonic() + 30
        while len(smtp_server.handler.messages) < 5:
            assert time.monotonic() < deadline, "the worker process delivered nothing"
            if process.returncode is not None:
                assert process.stderr is not None
                pytest.fail((await process.stderr.read()).decode())
            await asyncio.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(process.wait(), timeout=10)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    delivered_before = len(smtp_server.handler.messages)
    assert delivered_before < 40
    assert await OutboxMessage.filter(status=MessageStatus.SENDING).exists()

    # then after its lease ran out a new worker delivers the rest
    await asyncio.sleep(2.1)
    await drain(DeliveryWorker(worker_settings(smtp_server.port)))
    rows = await OutboxMessage.filter(id__in=ids)
    assert {row.status for row in rows} == {MessageStatus.SENT}
    counts = smtp_server.handler.message_ids
    assert set(counts) == {row.message_id for row in rows}
    # at most the messages in flight at the kill, one per connection, were delivered twice
    assert sum(counts.values()) - len(counts) <= 3
