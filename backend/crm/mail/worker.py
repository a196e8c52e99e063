"""The delivery worker: claims due outbox rows, sends them over SMTP, records the outcome.

Several workers (threads of `crm serve --workers N`, `crm worker` processes, on several
machines) can share one PostgreSQL database: a claim is one UPDATE that takes due rows
with `FOR UPDATE SKIP LOCKED`, so two workers never take the same row. SQLite runs the
same UPDATE without the lock clause; its writes are serialised, which makes the claim just
as exclusive. A claim is a lease: a worker that dies leaves its rows SENDING until the
lease runs out, then any worker takes them again. Delivery is therefore at least once:
a message that was being handed to the SMTP server when its worker died is sent again.

Outcomes: accepted → SENT. A 5xx answer (or an address no server could take) → FAILED at
once, with the server's words in `last_error`. Anything temporary (4xx, connection refused
or lost, timeouts) → QUEUED again after `retry_seconds * 2**(attempts-1)` (at most an hour),
until `max_attempts`, then FAILED. With no SMTP configured, messages are written to the log
(links included: that is how a laptop install delivers invitations) and count as SENT.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTPUTF8, compat32
from email.utils import formataddr, formatdate, parseaddr
from typing import Any

import aiosmtplib
from tortoise import connections

from crm.mail.services import register_waker, unregister_waker, without_link_tokens
from crm.mail.templates import one_line
from crm.settings import Settings

log = logging.getLogger("crm.mail")

MAX_BACKOFF_SECONDS = 3600
_COLUMNS = "id, kind, to_address, to_name, subject, text_body, html_body, message_id, attempts"


@dataclass
class Claimed:
    id: int
    kind: str
    to_address: str
    to_name: str
    subject: str
    text_body: str
    html_body: str
    message_id: str
    attempts: int  # including the attempt this claim makes


@dataclass(frozen=True)
class Failure:
    """Why an attempt did not deliver; `permanent` failures are never retried."""

    error: str
    permanent: bool


def default_worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def backoff_seconds(settings: Settings, attempts: int) -> float:
    return min(settings.mail_retry_seconds * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


_UTF8_QP = Charset("utf-8")
_UTF8_QP.header_encoding = QP
_UTF8_QP.body_encoding = QP
_WIRE = compat32.clone(linesep="\r\n")


def build_email(settings: Settings, message: Claimed) -> tuple[bytes, list[str]]:
    """The message as sent (multipart/alternative: text, then HTML) and its MAIL options.

    Built with the classic `email.mime` classes: four times faster than `EmailMessage`,
    which is most of a worker's CPU. Addresses outside ASCII take the `EmailMessage`
    route, which knows SMTPUTF8.
    """
    to_name, subject = one_line(message.to_name), one_line(message.subject)
    if not message.to_address.isascii():
        email = EmailMessage(policy=SMTPUTF8)
        email["From"] = one_line(settings.mail_from)
        email["To"] = Address(display_name=to_name, addr_spec=message.to_address)
        email["Subject"] = subject
        email["Date"] = formatdate(usegmt=True)
        email["Message-ID"] = message.message_id
        email.set_content(message.text_body)
        email.add_alternative(message.html_body, subtype="html")
        return email.as_bytes(), ["SMTPUTF8"]
    if any(char.isspace() for char in message.to_address):
        raise ValueError(f"{message.to_address!r} has spaces in it")
    mime = MIMEMultipart("alternative", boundary=f"=_{secrets.token_hex(16)}")
    mime["From"] = _header(one_line(settings.mail_from))
    mime["To"] = formataddr((to_name, message.to_address), charset="utf-8")
    mime["Subject"] = _header(subject)
    mime["Date"] = formatdate(usegmt=True)
    mime["Message-ID"] = message.message_id
    mime.attach(MIMEText(message.text_body, "plain", _UTF8_QP))  # type: ignore[arg-type]
    mime.attach(MIMEText(message.html_body, "html", _UTF8_QP))  # type: ignore[arg-type]
    return mime.as_bytes(policy=_WIRE), []


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def classify(error: BaseException) -> Failure:
    """Turn what aiosmtplib raised into a recorded, permanent-or-not failure."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused) and error.recipients:
        refused = error.recipients[0]
        return Failure(f"{refused.code} {refused.message}", permanent=refused.code >= 500)
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        # The server refused our credentials: a configuration problem, not this message's.
        return Failure(f"SMTP sign-in refused: {error.code} {error.message}", permanent=False)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return Failure(f"{error.code} {error.message}", permanent=error.code >= 500)
    if isinstance(error, aiosmtplib.SMTPNotSupported):
        return Failure(f"The mail server cannot take this message: {error}", permanent=True)
    if isinstance(error, ValueError):
        return Failure(f"Not a deliverable address: {error}", permanent=True)
    if isinstance(error, TimeoutError):
        return Failure(f"The mail server did not answer in time ({error})", permanent=False)
    if isinstance(error, (ConnectionError, OSError, aiosmtplib.SMTPException)):
        detail = str(error) or type(error).__name__
        return Failure(f"Could not talk to the mail server: {detail}", permanent=False)
    raise error


class DeliveryWorker:
    def __init__(self, settings: Settings, *, worker_id: str | None = None) -> None:
        self.settings = settings
        self.worker_id = worker_id or default_worker_id()
        self.envelope_from = parseaddr(settings.mail_from)[1] or settings.mail_from
        self._stop: asyncio.Event | None = None
        self._local_hostname: str | None = None

    # --- the loop -------------------------------------------------------------------

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; the batch in hand is cut short and handed back."""
        self._stop = stop
        wake = asyncio.Event()
        register_waker(wake)
        where = self.settings.smtp.display if self.settings.smtp else "the log (no CRM_SMTP_URL)"
        log.info("mail worker %s delivering to %s", self.worker_id, where)
        try:
            while not stop.is_set():
                wake.clear()
                try:
                    handled = await self.run_once()
                except Exception:
                    log.exception("mail worker %s: delivery round failed", self.worker_id)
                    handled = 0
                if handled == 0 and not stop.is_set():
                    await _first_of(stop, wake, seconds=self.settings.mail_poll_seconds)
        finally:
            unregister_waker(wake)
            log.info("mail worker %s stopped", self.worker_id)

    async def run_once(self) -> int:
        """Claim one batch of due messages and deliver it; how many were handled."""
        batch = await self._claim()
        if not batch:
            return 0
        if self.settings.smtp is None:
            await self._print(batch)
        else:
            await self._send(batch)
        return len(batch)

    # --- claiming ---------------------------------------------------------------------

    async def _claim(self) -> list[Claimed]:
        conn = connections.get("default")
        now = datetime.now(UTC)
        lease_until = now + timedelta(seconds=self.settings.mail_lease_seconds)
        if conn.capabilities.dialect == "postgres":
            sql = (
                "UPDATE outbox_message SET status = 'SENDING', claimed_by = $1, "
                "lease_until = $2, attempts = attempts + 1, updated_at = $3 "
                "WHERE id IN (SELECT id FROM outbox_message "
                "WHERE (status = 'QUEUED' AND next_attempt_at <= $3) "
                "OR (status = 'SENDING' AND lease_until < $3) "
                "ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) "
                f"RETURNING {_COLUMNS}"
            )
            values: list[Any] = [self.worker_id, lease_until, now, self.settings.mail_batch_size]
        else:
            sql = (
                "UPDATE outbox_message SET status = 'SENDING', claimed_by = ?, "
                "lease_until = ?, attempts = attempts + 1, updated_at = ? "
                "WHERE id IN (SELECT id FROM outbox_message "
                "WHERE (status = 'QUEUED' AND next_attempt_at <= ?) "
                "OR (status = 'SENDING' AND lease_until < ?) "
                "ORDER BY id LIMIT ?) "
                f"RETURNING {_COLUMNS}"
            )
            values = [self.worker_id, lease_until, now, now, now, self.settings.mail_batch_size]
        rows = await conn.execute_query_dict(sql, values)
        self._lease_renewed_at = time.monotonic()
        return sorted((Claimed(**row) for row in rows), key=lambda message: message.id)

    async def _renew_lease(self, remaining: list[Claimed]) -> list[Claimed]:
        """Past half the lease, extend it for the rest of the batch; drop what we lost."""
        if time.monotonic() - self._lease_renewed_at < self.settings.mail_lease_seconds / 2:
            return remaining
        lease_until = datetime.now(UTC) + timedelta(seconds=self.settings.mail_lease_seconds)
        ids = [message.id for message in remaining]
        sql, values = self._sql(
            "UPDATE outbox_message SET lease_until = {} WHERE claimed_by = {} "
            "AND status = 'SENDING' AND id IN ({}) RETURNING id",
            [lease_until, self.worker_id],
            ids,
        )
        rows = await connections.get("default").execute_query_dict(sql, values)
        kept = {row["id"] for row in rows}
        self._lease_renewed_at = time.monotonic()
        return [message for message in remaining if message.id in kept]

    # --- delivering -----------------------------------------------------------------

    async def _print(self, batch: list[Claimed]) -> None:
        for message in batch:
            log.info(
                "mail (no CRM_SMTP_URL, not sent) %s to %s <%s>: %s\n%s",
                message.kind,
                message.to_name,
                message.to_address,
                message.subject,
                message.text_body,
            )
        for message in batch:
            await self._sent(message)

    async def _send(self, batch: list[Claimed]) -> None:
        smtp: aiosmtplib.SMTP | None = None
        remaining = batch
        try:
            while remaining:
                if self._stop is not None and self._stop.is_set():
                    await self._release(remaining)
                    return
                remaining = await self._renew_lease(remaining)
                if not remaining:
                    return
                message, remaining = remaining[0], remaining[1:]
                if message.attempts > self.settings.mail_max_attempts:
                    await self._failed(
                        message,
                        Failure(f"Gave up after {message.attempts - 1} attempts", permanent=True),
                    )
                    continue
                if smtp is None:
                    try:
                        smtp = await self._connect()
                    except Exception as error:
                        failure = classify(error)
                        log.warning(
                            "mail worker %s: cannot connect to %s: %s",
                            self.worker_id,
                            self.settings.smtp.display if self.settings.smtp else "-",
                            failure.error,
                        )
                        for unsent in [message, *remaining]:
                            await self._failed(unsent, failure)
                        return
                try:
                    content, options = build_email(self.settings, message)
                    await smtp.sendmail(
                        self.envelope_from, [message.to_address], content, mail_options=options
                    )
                except Exception as error:
                    failure = classify(error)
                    log.warning(
                        "mail worker %s: message %s to %s not delivered: %s",
                        self.worker_id,
                        message.id,
                        message.to_address,
                        failure.error,
                    )
                    await self._failed(message, failure)
                    if isinstance(error, (OSError, TimeoutError)) or not smtp.is_connected:
                        # Lost or in an unknown state: the next message opens a new one.
                        smtp.close()
                        smtp = None
                    continue
                await self._sent(message)
        finally:
            if smtp is not None:
                await _quit(smtp)

    async def _connect(self) -> aiosmtplib.SMTP:
        config = self.settings.smtp
        assert config is not None
        if self._local_hostname is None:
            self._local_hostname = await asyncio.to_thread(socket.getfqdn)
        smtp = aiosmtplib.SMTP(
            hostname=config.host,
            port=config.port,
            username=config.username,
            password=config.password,
            use_tls=config.use_tls,
            start_tls=config.start_tls,
            timeout=self.settings.smtp_timeout_seconds,
            local_hostname=self._local_hostname,
        )
        await smtp.connect()
        return smtp

    # --- recording outcomes ----------------------------------------------------------

    async def _sent(self, message: Claimed) -> None:
        now = datetime.now(UTC)
        sql, values = self._sql(
            "UPDATE outbox_message SET status = 'SENT', sent_at = {}, updated_at = {}, "
            "lease_until = NULL, last_error = NULL, text_body = {}, html_body = {} "
            "WHERE id = {} AND claimed_by = {} AND status = 'SENDING'",
            [
                now,
                now,
                without_link_tokens(message.text_body),
                without_link_tokens(message.html_body),
                message.id,
                self.worker_id,
            ],
        )
        changed, _ = await connections.get("default").execute_query(sql, values)
        if not changed:
            log.warning(
                "mail worker %s: message %s was sent after its lease was taken over; "
                "it may be delivered twice",
                self.worker_id,
                message.id,
            )

    async def _failed(self, message: Claimed, failure: Failure) -> None:
        now = datetime.now(UTC)
        error = failure.error[:2000]
        if failure.permanent or message.attempts >= self.settings.mail_max_attempts:
            if not failure.permanent:
                error = f"Gave up after {message.attempts} attempts: {error}"
            sql, values = self._sql(
                "UPDATE outbox_message SET status = 'FAILED', last_error = {}, updated_at = {}, "
                "lease_until = NULL WHERE id = {} AND claimed_by = {} AND status = 'SENDING'",
                [error, now, message.id, self.worker_id],
            )
        else:
            retry_at = now + timedelta(seconds=backoff_seconds(self.settings, message.attempts))
            sql, values = self._sql(
                "UPDATE outbox_message SET status = 'QUEUED', last_error = {}, updated_at = {}, "
                "next_attempt_at = {}, lease_until = NULL, claimed_by = NULL "
                "WHERE id = {} AND claimed_by = {} AND status = 'SENDING'",
                [error, now, retry_at, message.id, self.worker_id],
            )
        await connections.get("default").execute_query(sql, values)

    async def _release(self, messages: list[Claimed]) -> None:
        """Hand back messages this worker claimed but did not try (it is stopping)."""
        sql, values = self._sql(
            "UPDATE outbox_message SET status = 'QUEUED', attempts = attempts - 1, "
            "lease_until = NULL, claimed_by = NULL, updated_at = {} "
            "WHERE claimed_by = {} AND status = 'SENDING' AND id IN ({})",
            [datetime.now(UTC), self.worker_id],
            [message.id for message in messages],
        )
        await connections.get("default").execute_query(sql, values)

    def _sql(
        self, template: str, values: list[Any], ids: Sequence[int] = ()
    ) -> tuple[str, list[Any]]:
        """Fill `{}` with the dialect's placeholders; the last `{}` of an `IN ({})` takes ids."""
        postgres = connections.get("default").capabilities.dialect == "postgres"
        count = iter(range(1, len(values) + len(ids) + 1))

        def mark() -> str:
            return f"${next(count)}" if postgres else "?"

        marks = [mark() for _ in values]
        if ids:
            marks.append(", ".join(mark() for _ in ids))
        return template.format(*marks), [*values, *ids]


async def _first_of(*events: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


async def _quit(smtp: aiosmtplib.SMTP) -> None:
    try:
        if smtp.is_connected:
            await smtp.quit()
    except (aiosmtplib.SMTPException, OSError):
        smtp.close()
