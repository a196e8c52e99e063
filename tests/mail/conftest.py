"""A real SMTP server on loopback (aiosmtpd) and worker settings pointing at it."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from crm.mail.models import OutboxMessage
from crm.mail.services import queue_message
from crm.settings import Settings, SmtpConfig, get_settings
from tests.logs import records_of


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """An aiosmtpd handler that keeps what it accepts and answers as told."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.sessions: list[object] = []  # one per SMTP connection that delivered mail
        self._lock = threading.Lock()
        self.data_answers: list[str] = []  # answer the next DATA commands with these
        self.rcpt_answer: str | None = None  # answer every RCPT with this (e.g. a 550)
        self.rcpt_answers: list[str] = []  # answer the next RCPT commands with these
        self.delay = 0.0  # seconds to think before accepting each message

    async def handle_RCPT(
        self, server: object, session: object, envelope: Any, address: str, rcpt_options: object
    ) -> str:
        if self.rcpt_answer:
            return self.rcpt_answer
        with self._lock:
            if self.rcpt_answers:
                return self.rcpt_answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        with self._lock:
            if self.data_answers:
                return self.data_answers.pop(0)
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=default_policy)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            if not any(known is session for known in self.sessions):
                self.sessions.append(session)
        return "250 2.0.0 Accepted"

    def stop_when_data_arrives(self, stop: asyncio.Event, linger: float = 0.0) -> None:
        """Set `stop` (an event of the test's loop) as soon as the server is handed a
        message, then take `linger` seconds over accepting it."""
        loop = asyncio.get_running_loop()
        accept = self.handle_DATA

        async def stop_meanwhile(server: object, session: object, envelope: Any) -> str:
            loop.call_soon_threadsafe(stop.set)
            if linger:
                await asyncio.sleep(linger)
            return await accept(server, session, envelope)

        self.handle_DATA = stop_meanwhile  # type: ignore[method-assign]

    @property
    def message_ids(self) -> Counter[str]:
        with self._lock:
            return Counter(str(message["Message-ID"]) for message in self.messages)


class SmtpServer:
    """Start and stop a real SMTP server on a fixed loopback port."""

    def __init__(self, port: int, *, smtputf8: bool = False) -> None:
        self.port = port
        self.handler = Recorder()
        self.smtputf8 = smtputf8
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            ready_timeout=10,
            enable_SMTPUTF8=self.smtputf8,
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_server(smtp_port: int) -> Iterator[SmtpServer]:
    """A running server; `smtp_down` is the same port with nothing listening yet."""
    server = SmtpServer(smtp_port)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_down(smtp_port: int) -> Iterator[SmtpServer]:
    server = SmtpServer(smtp_port)
    yield server
    server.stop()


def worker_settings(port: int | None, **changes: object) -> Settings:
    """The test settings with mail going to 127.0.0.1:`port` (None: console mode)."""
    smtp = SmtpConfig(host="127.0.0.1", port=port) if port is not None else None
    values: dict[str, object] = {
        "smtp": smtp,
        "smtp_url": f"smtp://127.0.0.1:{port}" if port is not None else None,
        "mail_from": "Acme CRM <crm@acme.example>",
        "smtp_timeout_seconds": 5,
        # One connection: messages arrive in the order they are sent. The tests of several
        # connections ask for them (tests/mail/test_connections.py).
        "smtp_connections": 1,
        **changes,
    }
    return dataclasses.replace(get_settings(), **values)  # type: ignore[arg-type]


async def queue(n: int = 1, *, to: str = "jane@example.com", name: str = "Jane Doe") -> list[int]:
    ids = []
    for index in range(n):
        message = await queue_message(
            kind="TEST",
            to_address=to,
            to_name=name,
            subject=f"Message {index}",
            text=f"Hello {name}, this is message {index}: https://crm.example/x?token=t{index}",
            html=f"<p>Hello, this is message {index}</p>",
        )
        ids.append(message.id)
    return ids


async def make_due() -> None:
    """Move every waiting message's next attempt to now (time passes, faster)."""
    from datetime import UTC, datetime

    await OutboxMessage.filter(status="QUEUED").update(next_attempt_at=datetime.now(UTC))


@pytest.fixture
def mail_log() -> Iterator[list[logging.LogRecord]]:
    """The records `crm.mail` logs during the test (works with `-p no:logging` too)."""
    with records_of("crm.mail") as records:
        yield records
