"""A worker sends a batch over several connections to the mail server at once.

Every test runs on SQLite and on PostgreSQL (`db`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from crm.mail.models import MessageStatus, OutboxMessage
from crm.mail.worker import DeliveryWorker
from tests.mail.conftest import (
    Recorder,
    SmtpServer,
    free_port,
    make_due,
    queue,
    worker_settings,
)


class FewConnectionsServer(SmtpServer):
    """A real SMTP server that greets at most `limit` connections at a time and answers the
    others "421 Too many connections", as mail providers do."""

    def __init__(self, port: int, limit: int) -> None:
        super().__init__(port)
        self.limit = limit
        self.open = 0
        self.refused = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        server = self

        class Limited(SMTP):
            refused = False

            def connection_made(self, transport: Any) -> None:
                with server._lock:
                    self.refused = server.open >= server.limit
                    server.refused += self.refused
                    server.open += not self.refused
                if self.refused:
                    transport.write(b"421 4.7.0 Too many connections, try later\r\n")
                    transport.close()
                    return
                super().connection_made(transport)

            def connection_lost(self, error: Exception | None) -> None:
                if self.refused:
                    return
                with server._lock:
                    server.open -= 1
                super().connection_lost(error)

        class LimitedController(Controller):
            def factory(self) -> SMTP:
                return Limited(self.handler, **self.SMTP_kwargs)

        self._controller = LimitedController(
            self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10
        )
        self._controller.start()


@pytest.fixture
def two_connections_server() -> Iterator[FewConnectionsServer]:
    server = FewConnectionsServer(free_port(), limit=2)
    server.start()
    yield server
    server.stop()


def delivered_once(handler: Recorder, ids: list[int]) -> bool:
    counts = handler.message_ids
    return len(counts) == len(ids) and set(counts.values()) == {1}


async def rows(ids: list[int]) -> list[OutboxMessage]:
    return list(await OutboxMessage.filter(id__in=ids).order_by("id"))


async def test_a_batch_goes_out_over_several_connections_each_message_once(
    db: str, smtp_server: SmtpServer
):
    # given 30 queued messages and a server that takes a moment over each
    ids = await queue(30)
    smtp_server.handler.delay = 0.01
    # when a worker with three connections sends them as one batch
    worker = DeliveryWorker(worker_settings(smtp_server.port, smtp_connections=3))
    assert await worker.run_once() == 30
    # then the three connections shared the batch, and each message was sent once
    assert len(smtp_server.handler.sessions) == 3
    assert delivered_once(smtp_server.handler, ids)
    assert {(row.status, row.attempts) for row in await rows(ids)} == {(MessageStatus.SENT, 1)}


async def test_a_server_taking_fewer_connections_gets_the_batch_over_those_it_took(
    db: str, two_connections_server: FewConnectionsServer
):
    # given 20 queued messages and a server that takes two connections at a time
    ids = await queue(20)
    server = two_connections_server
    server.handler.delay = 0.01
    # when a worker asks for four
    worker = DeliveryWorker(worker_settings(server.port, smtp_connections=4))
    assert await worker.run_once() == 20
    # then the two it got sent everything, once each, and nothing waits for a retry
    assert server.refused >= 1
    assert len(server.handler.sessions) == 2
    assert delivered_once(server.handler, ids)
    assert {(row.status, row.attempts) for row in await rows(ids)} == {(MessageStatus.SENT, 1)}


async def test_no_connection_at_all_keeps_every_message_for_a_retry(db: str, smtp_down: SmtpServer):
    # given 10 queued messages and nothing listening on the mail server's port
    ids = await queue(10)
    # when a worker with three connections tries them
    worker = DeliveryWorker(worker_settings(smtp_down.port, smtp_connections=3))
    assert await worker.run_once() == 10
    # then every one is queued again for a later try, none held or lost
    after = await rows(ids)
    assert {(row.status, row.attempts) for row in after} == {(MessageStatus.QUEUED, 1)}
    assert all((row.last_error or "").startswith("Could not talk") for row in after)
    assert all(row.claimed_by is None for row in after)

    # when the server is back and the retries are due
    smtp_down.start()
    await make_due()
    while await worker.run_once():
        pass
    # then each was delivered once
    assert delivered_once(smtp_down.handler, ids)


async def test_a_stopped_worker_finishes_each_connections_message_and_hands_back_the_rest(
    db: str, smtp_server: SmtpServer
):
    # given 30 queued messages and a worker sending them over three connections
    ids = await queue(30)
    stop = asyncio.Event()
    # when it is told to stop while the server takes the first message
    smtp_server.handler.stop_when_data_arrives(stop, linger=0.05)
    worker = DeliveryWorker(worker_settings(smtp_server.port, smtp_connections=3))
    await asyncio.wait_for(worker.run_forever(stop), timeout=10)
    # then the messages in hand (at most one per connection) are sent and recorded, the
    # others wait for any worker with their try undone, and none was sent twice
    after = {row.id: row for row in await rows(ids)}
    sent = {pk for pk, row in after.items() if row.status == MessageStatus.SENT}
    assert 1 <= len(sent) <= 3
    assert len(smtp_server.handler.messages) == len(sent)
    assert {(row.status, row.attempts, row.claimed_by) for pk, row in after.items()} - {
        (MessageStatus.SENT, 1, worker.worker_id)
    } == {(MessageStatus.QUEUED, 0, None)}


async def test_the_lease_is_kept_for_the_messages_every_connection_has_yet_to_send(
    db: str, smtp_server: SmtpServer
):
    # given 12 messages, a one-second lease and a server slow enough that sending them over
    # three connections takes longer than the lease
    ids = await queue(12)
    smtp_server.handler.delay = 0.35
    settings = worker_settings(
        smtp_server.port, smtp_connections=3, mail_lease_seconds=1, mail_batch_size=12
    )
    first = DeliveryWorker(settings, worker_id="first")
    # when a second worker keeps looking for work meanwhile
    batch = await first._claim()
    sending = asyncio.create_task(first._send(batch, None))
    second = DeliveryWorker(settings, worker_id="second")
    taken_by_second = 0
    while not sending.done():
        taken_by_second += await second.run_once()
        await asyncio.sleep(0.1)
    await sending
    # then it found nothing to take: each message was sent once, by the first worker
    assert taken_by_second == 0
    assert delivered_once(smtp_server.handler, ids)
    assert {(row.status, row.claimed_by) for row in await rows(ids)} == {
        (MessageStatus.SENT, "first")
    }
