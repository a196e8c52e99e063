"""The outbox rules: queue a message in the caller's transaction; list and retry them.

A message is a row first and an email second: the change that causes it (an invitation,
a reset) and the row commit together, so a crash or a mail server that is down can
delay a message but never lose it. `crm.mail.worker` delivers the rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import make_msgid, parseaddr

from tortoise.queryset import QuerySet

from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.validation import normalize_email
from crm.jobs.wake import wake
from crm.mail.models import MessageKind, MessageStatus, OutboxMessage
from crm.mail.templates import one_line, render_test_email
from crm.settings import Settings, get_settings

# A link's token in an email: 256 random bits, URL-safe base64 (see crm.auth.tokens).
_LINK_TOKEN = re.compile(r"([?&#]token=)[A-Za-z0-9_\-]{16,}")
SENT_TOKEN = "sent"


def without_link_tokens(body: str) -> str:
    """The body as kept after sending: the database keeps only hashes of tokens, so a sent
    email's links (activation, reset) are kept without theirs; the recipient has them."""
    return _LINK_TOKEN.sub(rf"\g<1>{SENT_TOKEN}", body)


# What `crm.jobs.wake` calls the delivery workers.
KIND = "mail"


def wake_worker() -> None:
    """Ask this process's delivery worker to look for messages now, not at its next poll;
    after the transaction that queued them has committed (see `crm.jobs.wake`)."""
    wake(KIND)


def sender_domain(settings: Settings) -> str:
    address = parseaddr(settings.mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


async def queue_message(
    *,
    kind: str,
    to_address: str,
    to_name: str,
    subject: str,
    text: str,
    html: str,
    contact_id: int | None = None,
) -> OutboxMessage:
    """Write one message to the outbox; a worker sends it once the caller commits.

    Runs in whatever transaction the caller has open (`async with in_transaction():`),
    so the message exists exactly when the change that caused it does.
    """
    kind = MessageKind(kind).value
    now = datetime.now(UTC)
    message = await OutboxMessage.create(
        kind=kind,
        to_address=to_address.strip(),
        to_name=one_line(to_name),
        subject=one_line(subject),
        text_body=text,
        html_body=html,
        message_id=make_msgid(domain=sender_domain(get_settings())),
        status=MessageStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
        contact_id=contact_id,
    )
    wake_worker()
    return message


async def queue_test_email(to: str | None, settings: Settings | None = None) -> OutboxMessage:
    """The "send test email" action: checks the address, then queues a TEST message."""
    settings = settings or get_settings()
    errors = ErrorCollector()
    address = normalize_email(to, ("to",), errors, required=True)
    errors.raise_if_any()
    assert address is not None
    subject, text, html = render_test_email(organisation=settings.organisation_name)
    return await queue_message(
        kind=MessageKind.TEST, to_address=address, to_name="", subject=subject, text=text, html=html
    )


def outbox_messages(
    statuses: Sequence[MessageStatus] | None = None, kind: str | None = None
) -> QuerySet[OutboxMessage]:
    queryset = OutboxMessage.all()
    if statuses:
        queryset = queryset.filter(status__in=list(statuses))
    if kind:
        queryset = queryset.filter(kind=kind.strip().upper())
    return queryset


async def retry_message(message_id: int) -> OutboxMessage:
    """Put a FAILED message back in the queue with a fresh set of attempts."""
    message = await OutboxMessage.get_or_none(id=message_id)
    if message is None:
        raise InputError.single(("id",), "No outbox message has this id", ErrorCode.NOT_FOUND)
    updated = await OutboxMessage.filter(id=message_id, status=MessageStatus.FAILED).update(
        status=MessageStatus.QUEUED,
        attempts=0,
        next_attempt_at=datetime.now(UTC),
        claimed_by=None,
        lease_until=None,
        updated_at=datetime.now(UTC),
    )
    if not updated:
        raise InputError.single(
            ("id",), "Only a message that failed can be sent again", ErrorCode.NOT_ALLOWED
        )
    wake_worker()
    await message.refresh_from_db()
    return message
