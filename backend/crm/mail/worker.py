"""The delivery worker: claims due outbox rows, sends them over SMTP, records the outcome.

Several workers (processes of `crm serve --workers N`, `crm worker` processes, on several
machines) can share one database: the outbox is a `crm.jobs.queue.Queue`, so two workers
never take the same message. A claim marks messages SENDING under a lease: a worker that
dies leaves them SENDING until the lease runs out, then any worker takes them again.
Delivery is therefore at least once: a message that was being handed to the SMTP server
when its worker died is sent again.

Outcomes: accepted → SENT. A 5xx answer (or an address no server could take) → FAILED at
once, with the server's words in `last_error`. Anything temporary (4xx, connection refused
or lost, timeouts) → QUEUED again after `retry_seconds * 2**(attempts-1)` (at most an hour),
until `max_attempts`, then FAILED. With no SMTP configured, messages are written to the log
(links included: that is how a laptop install delivers invitations) and are LOGGED: not sent.

The outcome of a message to a contact (SENT, or FAILED for good) goes on the contact's
timeline (EMAIL_SENT, EMAIL_FAILED with the server's answer) in the transaction that
records it, so a message taken over meanwhile by another worker is recorded once. A LOGGED
message records nothing: the contact was not emailed.

Some kinds of message are written when sent, not when queued (campaign emails: the outbox
keeps no copy of 100,000 bodies). A `MessageWriter` for the kind writes the claimed batch
and records each outcome in its own tables, in the same transaction as the message's.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket
from collections import deque
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTPUTF8, Compat32
from email.utils import formataddr, formatdate, parseaddr
from typing import Any, Protocol

import aiosmtplib
from tortoise.transactions import in_transaction

from crm.jobs.queue import Lease, Queue, backoff, new_worker_id
from crm.jobs.runner import Runner
from crm.mail.models import MessageStatus
from crm.mail.services import KIND, without_link_tokens
from crm.mail.templates import one_line
from crm.settings import Settings, live
from crm.timeline.models import TimelineKind
from crm.timeline.services import SYSTEM, Event, record

log = logging.getLogger("crm.mail")

MAX_BACKOFF_SECONDS = 3600
OUTBOX = Queue(
    table="outbox_message",
    waiting="status = 'QUEUED' AND next_attempt_at <= :now",
    in_hand="status = 'SENDING'",
    on_claim="status = 'SENDING', attempts = attempts + 1, updated_at = :now",
    returning="id, kind, to_address, to_name, subject, text_body, html_body, message_id, attempts, "
    "contact_id, priority",
    order_by="priority, id",
)


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
    contact_id: int | None
    priority: int = 0  # sent in this order: the mail someone waits for before bulk mail
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    """A message written as it is sent: what replaces the outbox row's subject and bodies."""

    subject: str
    text: str
    html: str
    headers: Mapping[str, str]


class MessageWriter(Protocol):
    """Writes the messages of one kind when they are sent, and records their outcomes."""

    async def write(self, message_ids: Sequence[int]) -> dict[int, Written | None]:
        """The messages among `message_ids` it can write; None for one it took back (no
        longer to be sent: the writer removed it from the outbox); a missing one fails for
        good."""
        ...

    async def settled(
        self, message: Claimed, status: MessageStatus, moment: datetime, error: str | None
    ) -> Event | None:
        """Record the outcome (SENT, LOGGED or FAILED) in the caller's transaction; the
        contact's timeline event, if any."""
        ...


@dataclass(frozen=True)
class Failure:
    """Why an attempt did not deliver; `permanent` failures are never retried."""

    error: str
    permanent: bool


def backoff_seconds(settings: Settings, attempts: int) -> float:
    return backoff(attempts, settings.mail_retry_seconds, MAX_BACKOFF_SECONDS)


_UTF8_QP = Charset("utf-8")
_UTF8_QP.header_encoding = QP
_UTF8_QP.body_encoding = QP


class _WirePolicy(Compat32):
    """`compat32` with CRLF line ends, writing a header that needs no folding as it is: the
    `Header` route folds and re-joins every header, a third of the time an email takes."""

    def _fold(self, name: str, value: object, sanitize: bool) -> str:
        if (
            isinstance(value, str)
            and value.isascii()
            and len(name) + len(value) + 2 <= (self.max_line_length or 78)
            and "\n" not in value
            and "\r" not in value
        ):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


_WIRE = _WirePolicy(linesep="\r\n")


def build_email(sender: str, message: Claimed) -> tuple[bytes, list[str]]:
    """The message as sent (multipart/alternative: text, then HTML) and its MAIL options.

    Built with the classic `email.mime` classes: four times faster than `EmailMessage`,
    which is most of a worker's CPU. Addresses outside ASCII take the `EmailMessage`
    route, which knows SMTPUTF8.
    """
    to_name, subject = one_line(message.to_name), one_line(message.subject)
    if not message.to_address.isascii():
        email = EmailMessage(policy=SMTPUTF8)
        email["From"] = one_line(sender)
        # By its parts: parsing the address as a whole refuses a local part outside ASCII.
        local_part, _, domain = message.to_address.rpartition("@")
        email["To"] = Address(display_name=to_name, username=local_part, domain=domain)
        email["Subject"] = subject
        email["Date"] = formatdate(usegmt=True)
        email["Message-ID"] = message.message_id
        for name, value in message.headers.items():
            email[name] = value
        email.set_content(message.text_body)
        email.add_alternative(message.html_body, subtype="html")
        return email.as_bytes(), ["SMTPUTF8"]
    if any(char.isspace() for char in message.to_address):
        raise ValueError(f"{message.to_address!r} has spaces in it")
    mime = MIMEMultipart("alternative", boundary=f"=_{secrets.token_hex(16)}")
    mime["From"] = _header(one_line(sender))
    mime["To"] = formataddr((to_name, message.to_address), charset="utf-8")
    mime["Subject"] = _header(subject)
    mime["Date"] = formatdate(usegmt=True)
    mime["Message-ID"] = message.message_id
    for name, value in message.headers.items():
        # Unfolded: a URL header on one line, as mail clients look for it (RFC 2369 allows
        # lines up to 998 characters).
        mime[name] = Header(value, maxlinelen=998)
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
    def __init__(
        self,
        settings: Settings,
        *,
        worker_id: str | None = None,
        writers: Mapping[str, MessageWriter] | None = None,
    ) -> None:
        if writers is None:
            from crm.jobs.workers import message_writers  # the assembly imports this module

            writers = message_writers()
        self.writers = writers
        self.settings = settings
        self.lease = OUTBOX.lease(worker_id or new_worker_id(), settings.mail_lease_seconds)
        self.worker_id = self.lease.owner
        self._local_hostname: str | None = None

    def runner(self) -> Runner:
        where = self.settings.smtp.display if self.settings.smtp else "the log (no CRM_SMTP_URL)"
        return Runner(
            kind=KIND,
            name=f"mail worker {self.worker_id}",
            about=f"delivering to {where}",
            run_once=self.run_once,
            poll_seconds=self.settings.mail_poll_seconds,
            # The message in hand may wait for the server's answer that long.
            grace_seconds=self.settings.smtp_timeout_seconds + 5,
            log=log,
        )

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; the batch in hand is cut short and handed back."""
        await self.runner().run(stop)

    async def run_once(self, stop: asyncio.Event | None = None) -> int:
        """Claim one batch of due messages and deliver it; how many were handled."""
        batch = await self._claim()
        if not batch:
            return 0
        if self.settings.smtp is None:
            await self._log(batch)
        else:
            await self._send(batch, stop)
        return len(batch)

    async def _claim(self) -> list[Claimed]:
        rows = await self.lease.claim(self.settings.mail_batch_size)
        return await self._written([Claimed(**row) for row in rows])

    async def _written(self, batch: list[Claimed]) -> list[Claimed]:
        """The batch with the messages written when sent filled in; those their writer took
        back are dropped; those it cannot write (their recipient is gone) fail for good."""
        ready = []
        for kind, writer in self.writers.items():
            ids = [message.id for message in batch if message.kind == kind]
            if not ids:
                continue
            written = await writer.write(ids)
            for message in batch:
                if message.kind != kind:
                    continue
                if message.id not in written:
                    await self._failed(message, Failure("Nothing to send any more", True))
                    continue
                email = written[message.id]
                if email is None:
                    continue  # taken back by its writer: not to be sent after all

                ready.append(
                    replace(
                        message,
                        subject=email.subject,
                        text_body=email.text,
                        html_body=email.html,
                        headers=email.headers,
                    )
                )
        ready += [message for message in batch if message.kind not in self.writers]
        return sorted(ready, key=lambda message: (message.priority, message.id))

    # --- delivering -----------------------------------------------------------------

    async def _log(self, batch: list[Claimed]) -> None:
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
            await self._logged(message)

    async def _send(self, batch: list[Claimed], stop: asyncio.Event | None) -> None:
        """Send the batch in order over up to `smtp_connections` connections at once.

        Each connection takes the next message of the batch when it is free, so while one
        waits for the server's answer another sends: a server's round trips, not this
        worker, set the pace otherwise. They open one after another, each once the one
        before is up: a server that takes fewer connections than asked leaves the batch to
        those it took."""
        lanes = max(1, min(self.settings.smtp_connections, len(batch)))
        pending = _Pending(batch)
        opened: list[asyncio.Event] = [asyncio.Event() for _ in range(lanes)]
        tasks = [
            asyncio.create_task(
                self._send_lane(pending, stop, opened[lane], opened[lane - 1] if lane else None)
            )
            for lane in range(lanes)
        ]
        await _all_or_first_error(tasks)

    async def _send_lane(
        self,
        pending: _Pending,
        stop: asyncio.Event | None,
        opened: asyncio.Event,
        after: asyncio.Event | None,
    ) -> None:
        """Send messages from `pending` over one connection until none are left.

        A message's outcome is recorded while the next one is built and its envelope
        (MAIL, RCPT) is sent, but always before the server is asked to accept the next one
        (DATA): a worker that dies leaves at most one accepted message per connection
        unrecorded. This connection's other writes wait for the recording too."""
        if after is not None:
            await after.wait()  # set once the connection before is up, or has given up
        smtp: aiosmtplib.SMTP | None = None
        sender = live(self.settings).mail_from
        envelope_sender = parseaddr(sender)[1] or sender
        recording: _Recording = _Recording()
        try:
            while pending:
                if stop is not None and stop.is_set():
                    await recording.done()
                    await self._release(pending.take_all())
                    return
                if self.lease.renewal_due:
                    await recording.done()
                    await pending.keep(self.lease)
                message = pending.next()
                if message is None:
                    return
                if message.attempts > self.settings.mail_max_attempts:
                    await recording.done()
                    await self._failed(
                        message,
                        Failure(f"Gave up after {message.attempts - 1} attempts", permanent=True),
                    )
                    continue
                if smtp is None:
                    try:
                        smtp = await self._connect()
                    except Exception as error:
                        await recording.done()
                        if pending.connections:
                            # Others are sending: they take this one and the rest.
                            pending.put_back(message)
                            return
                        await self._unreachable([message, *pending.take_all()], classify(error))
                        return
                    pending.connections += 1
                    opened.set()
                try:
                    content, options = build_email(sender, message)
                    await _envelope(smtp, envelope_sender, message.to_address, options)
                    await recording.done()
                    await smtp.data(content)
                except Exception as error:
                    await recording.done()
                    await self._not_delivered(smtp, message, error)
                    if not smtp.is_connected:
                        # Lost or in an unknown state: the next message opens a new one.
                        smtp.close()
                        smtp = None
                        pending.connections -= 1
                    continue
                recording.start(self._sent(message))
        finally:
            opened.set()
            await recording.done()
            if smtp is not None:
                pending.connections -= 1
                await _quit(smtp)

    async def _unreachable(self, messages: list[Claimed], failure: Failure) -> None:
        log.warning(
            "mail worker %s: cannot connect to %s: %s",
            self.worker_id,
            self.settings.smtp.display if self.settings.smtp else "-",
            failure.error,
        )
        for unsent in messages:
            await self._failed(unsent, failure)

    async def _not_delivered(
        self, smtp: aiosmtplib.SMTP, message: Claimed, error: Exception
    ) -> None:
        failure = classify(error)
        log.warning(
            "mail worker %s: message %s to %s not delivered: %s",
            self.worker_id,
            message.id,
            message.to_address,
            failure.error,
        )
        await self._failed(message, failure)
        if isinstance(error, (OSError, TimeoutError)):
            smtp.close()
        elif smtp.is_connected:
            # Reset the envelope for the next message, as `sendmail` would.
            try:
                await smtp.rset()
            except (aiosmtplib.SMTPException, OSError):
                smtp.close()

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
        changed = await self._settle(
            message,
            MessageStatus.SENT,
            "status = 'SENT', sent_at = :now, updated_at = :now, last_error = NULL, "
            "text_body = :text, html_body = :html",
            text=without_link_tokens(self._kept(message, message.text_body)),
            html=without_link_tokens(self._kept(message, message.html_body)),
        )
        if not changed:
            log.warning(
                "mail worker %s: message %s was sent after its lease was taken over; "
                "it may be delivered twice",
                self.worker_id,
                message.id,
            )

    async def _logged(self, message: Claimed) -> None:
        """Written to the log, as no mail server is configured: not sent, so no sent time
        and nothing on the contact's timeline."""
        await self._settle(
            message,
            MessageStatus.LOGGED,
            "status = 'LOGGED', updated_at = :now, last_error = NULL, "
            "text_body = :text, html_body = :html",
            text=without_link_tokens(self._kept(message, message.text_body)),
            html=without_link_tokens(self._kept(message, message.html_body)),
        )

    def _kept(self, message: Claimed, body: str) -> str:
        """What the outbox keeps of a body: nothing of one written when sent."""
        return "" if message.kind in self.writers else body

    async def _failed(self, message: Claimed, failure: Failure) -> None:
        now = datetime.now(UTC)
        error = failure.error[:2000]
        if failure.permanent or message.attempts >= self.settings.mail_max_attempts:
            if not failure.permanent:
                error = f"Gave up after {message.attempts} attempts: {error}"
            await self._settle(
                message,
                MessageStatus.FAILED,
                "status = 'FAILED', last_error = :error, updated_at = :now",
                error=error,
            )
        else:
            await self.lease.release(
                [message.id],
                "status = 'QUEUED', last_error = :error, updated_at = :now, next_attempt_at = :at",
                error=error,
                now=now,
                at=now + timedelta(seconds=backoff_seconds(self.settings, message.attempts)),
            )

    async def _settle(
        self,
        message: Claimed,
        status: MessageStatus,
        assignments: str,
        error: str | None = None,
        **values: object,
    ) -> int:
        """Record the outcome, its writer's records and the contact's event in one
        transaction: none of them if the message was taken over meanwhile. Whether it was
        still held."""
        moment = datetime.now(UTC)
        if error is not None:
            values["error"] = error
        writer = self.writers.get(message.kind)
        default_event = _event(message, status, moment, error)
        if writer is None and default_event is None:
            return await self.lease.settle([message.id], assignments, now=moment, **values)
        async with in_transaction():
            changed = await self.lease.settle([message.id], assignments, now=moment, **values)
            if changed:
                event = (
                    await writer.settled(message, status, moment, error)
                    if writer is not None
                    else default_event
                )
                if event is not None:
                    await record(SYSTEM, event)
        return changed

    async def _release(self, messages: list[Claimed]) -> None:
        """Hand back messages this worker claimed but did not try (it is stopping)."""
        await self.lease.release(
            [message.id for message in messages],
            "status = 'QUEUED', attempts = attempts - 1, updated_at = :now",
            now=datetime.now(UTC),
        )


_EVENT_OF = {
    MessageStatus.SENT: TimelineKind.EMAIL_SENT,
    MessageStatus.FAILED: TimelineKind.EMAIL_FAILED,
}


def _event(
    message: Claimed, status: MessageStatus, moment: datetime, error: str | None
) -> Event | None:
    """The timeline event of a message's outcome, for a message to a contact (none for a
    LOGGED one: the contact was not emailed)."""
    kind = _EVENT_OF.get(status)
    if message.contact_id is None or kind is None:
        return None
    details = {"subject": message.subject, "kind": message.kind}
    if error is not None:
        details["error"] = error
    return Event(kind, contact_id=message.contact_id, details=details, occurred_at=moment)


async def _quit(smtp: aiosmtplib.SMTP) -> None:
    try:
        if smtp.is_connected:
            await smtp.quit()
    except (aiosmtplib.SMTPException, OSError):
        smtp.close()


class _Recording:
    """The outcome of the message sent last, being recorded in the background."""

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self, recording: Coroutine[Any, Any, None]) -> None:
        assert self._task is None
        self._task = asyncio.create_task(recording)

    async def done(self) -> None:
        """Wait until it is recorded (raising what recording it raised)."""
        task, self._task = self._task, None
        if task is not None:
            await task


async def _envelope(smtp: aiosmtplib.SMTP, sender: str, recipient: str, options: list[str]) -> None:
    """MAIL and RCPT for one recipient: `sendmail` up to the point of DATA."""
    utf8 = "SMTPUTF8" in options
    if utf8:
        if smtp.is_ehlo_or_helo_needed:
            await smtp.ehlo()
        if not smtp.supports_extension("smtputf8"):
            raise aiosmtplib.SMTPNotSupported("SMTPUTF8 is not supported by this server")
    encoding = "utf-8" if utf8 else "ascii"
    await smtp.mail(sender, options=options, encoding=encoding)
    await smtp.rcpt(recipient, encoding=encoding)


class _Pending:
    """The messages of a claimed batch not yet taken by a connection, first first."""

    def __init__(self, batch: Sequence[Claimed]) -> None:
        self._messages = deque(batch)
        self.connections = 0  # connections to the server open now

    def __bool__(self) -> bool:
        return bool(self._messages)

    def next(self) -> Claimed | None:
        return self._messages.popleft() if self._messages else None

    def put_back(self, message: Claimed) -> None:
        self._messages.appendleft(message)

    def take_all(self) -> list[Claimed]:
        taken = list(self._messages)
        self._messages.clear()
        return taken

    async def keep(self, lease: Lease) -> None:
        """Renew the lease of those still to send; drop those taken over meanwhile."""
        asked = {message.id for message in self._messages}
        held = await lease.keep(asked)
        lost = asked - held
        if lost:
            self._messages = deque(m for m in self._messages if m.id not in lost)


async def _all_or_first_error(tasks: Sequence[asyncio.Task[None]]) -> None:
    """Wait for every task; if one raises, cancel the others (once they have stopped)
    and raise its error."""
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
