"""The rules of secure messages: who can be messaged, what a message holds, who is told.

One conversation per contact, between the staff (any staff member, ADMIN or MEMBER) and the
contact signed in to the portal. Only a contact invited to the portal or with portal access
(INVITED, ACTIVE), and not archived, can be messaged. The body stays in the database: the
contact is emailed that a message waits (one notice per burst of messages, see
NOTICE_QUIET_PERIOD), never what it says, and it is never logged. The staff learn of replies
in the app only (unread counts). Both directions go on the contact's timeline as MESSAGE,
without the body; a message sent by the staff counts as being in touch (`lastContactedAt`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from crm.contacts.models import Contact, PortalStatus
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.validation import text_field
from crm.mail.models import MessageKind
from crm.mail.services import queue_message
from crm.mail.templates import render_secure_message_notice
from crm.messages.models import SecureMessage
from crm.notes.services import refresh_last_contacted
from crm.settings import get_settings
from crm.staff.models import StaffUser
from crm.timeline.models import TimelineKind
from crm.timeline.services import PORTAL, Actor, Event, record

MAX_BODY = 20_000
MESSAGEABLE = (PortalStatus.INVITED, PortalStatus.ACTIVE)
# A staff message sent within this long after the previous one to the same contact sends no
# new notice: a burst of messages (a conversation going on) is one email.
NOTICE_QUIET_PERIOD = timedelta(seconds=60)
# Where the notice sends the contact: the portal's inbox (sign-in first if need be).
INBOX_PATH = "portal/messages"


def now() -> datetime:
    return datetime.now(UTC)


def message_refusal(contact: Contact) -> str | None:
    """Why the staff cannot message this contact now, or None if they can."""
    if contact.archived_at is not None:
        return "An archived contact cannot be messaged; restore the contact first"
    if contact.portal_status not in MESSAGEABLE:
        return "Only a contact invited to the portal can be sent secure messages; invite them first"
    return None


def _body(body: str | None, errors: ErrorCollector) -> str | None:
    return text_field(
        body, ("body",), errors, label="Message", max_length=MAX_BODY, required=True, multiline=True
    )


async def _locked_contact(contact_id: int) -> Contact | None:
    """The contact, locked for the caller's transaction (PostgreSQL; SQLite serialises
    writers anyway): two messages sent at once see each other, so one notice goes out."""
    return await Contact.filter(id=contact_id).select_for_update().first()


@dataclass(frozen=True)
class Sent:
    message: SecureMessage
    # Whether this message queued the email telling the contact a message waits: not for
    # the later messages of a burst, nor for a contact without an email address.
    notified: bool


async def send_message(contact_id: int, body: str | None, author: StaffUser) -> Sent:
    """A staff message to the contact; the contact is emailed a notice without the body."""
    errors = ErrorCollector()
    text = _body(body, errors)
    async with in_transaction():
        contact = await _locked_contact(contact_id)
        if contact is None:
            errors.add(("contactId",), "No contact has this id", ErrorCode.NOT_FOUND)
        else:
            refusal = message_refusal(contact)
            if refusal is not None:
                errors.add(("contactId",), refusal, ErrorCode.NOT_ALLOWED)
        errors.raise_if_any()
        assert contact is not None and text is not None
        moment = now()
        notify = bool(contact.email) and not await _sent_since(
            contact.id, moment - NOTICE_QUIET_PERIOD
        )
        message = await SecureMessage.create(
            contact_id=contact.id,
            body=text,
            from_staff=True,
            author_id=author.id,
            author_name=author.name or author.email,
            sent_at=moment,
        )
        if notify:
            await _queue_notice(contact)
        await record(Actor.staff(author), _event(message))
        await refresh_last_contacted(contact.id)
    return Sent(message, notified=notify)


async def send_my_message(contact: Contact, body: str | None) -> SecureMessage:
    """The signed-in portal contact's message to the staff (no email: the app shows it)."""
    errors = ErrorCollector()
    text = _body(body, errors)
    errors.raise_if_any()
    assert text is not None
    async with in_transaction():
        current = await _locked_contact(contact.id)
        if (
            current is None
            or current.portal_status != PortalStatus.ACTIVE
            or current.archived_at is not None
        ):
            # The session ends with portal access; this covers a revocation mid-request.
            raise InputError.single(None, "Your portal access has ended", ErrorCode.NOT_ALLOWED)
        message = await SecureMessage.create(
            contact_id=contact.id,
            body=text,
            from_staff=False,
            author_name=current.full_name,
            sent_at=now(),
        )
        await record(PORTAL, _event(message))
    return message


def _event(message: SecureMessage) -> Event:
    # No body, not even an excerpt: the timeline is read widely, the conversation is not.
    return Event(
        TimelineKind.MESSAGE,
        contact_id=message.contact_id,
        details={"from_staff": message.from_staff},
        occurred_at=message.sent_at,
    )


async def _sent_since(contact_id: int, moment: datetime) -> bool:
    return await SecureMessage.filter(
        contact_id=contact_id, from_staff=True, sent_at__gt=moment
    ).exists()


async def _queue_notice(contact: Contact) -> None:
    settings = get_settings()
    subject, text, html = render_secure_message_notice(
        organisation=settings.organisation_name,
        contact_name=contact.full_name,
        link=f"{settings.public_url}/{INBOX_PATH}",
    )
    await queue_message(
        kind=MessageKind.SECURE_MESSAGE,
        to_address=contact.email or "",
        to_name=contact.full_name,
        subject=subject,
        text=text,
        html=html,
        contact_id=contact.id,
    )


def conversation(contact_id: int) -> QuerySet[SecureMessage]:
    """The contact's messages, both ways (the caller orders and pages them)."""
    return SecureMessage.filter(contact_id=contact_id)


def unread_by_staff() -> QuerySet[SecureMessage]:
    return SecureMessage.filter(from_staff=False, read_at__isnull=True)


async def unread_counts_by_staff(contact_ids: Sequence[int]) -> dict[int, int]:
    """How many of each contact's messages the staff have not read, in one statement."""
    rows = (
        await unread_by_staff()
        .filter(contact_id__in=list(contact_ids))
        .annotate(unread=Count("id"))
        .group_by("contact_id")
        .values("contact_id", "unread")
    )
    return {row["contact_id"]: row["unread"] for row in rows}


def contacts_with_unread() -> QuerySet[Contact]:
    """Contacts not archived who wrote messages no staff member has read (the inbox the
    navigation's badge opens)."""
    writers = unread_by_staff().values("contact_id")
    return Contact.filter(archived_at__isnull=True, id__in=Subquery(writers))


async def unread_by_staff_total() -> int:
    """Messages from contacts no staff member has read yet (the navigation's badge); those of
    archived contacts are left out, as the contacts list leaves them out."""
    return await unread_by_staff().filter(contact__archived_at__isnull=True).count()


async def unread_by_contact(contact_id: int) -> int:
    """Staff messages the contact has not read yet (the portal inbox's badge)."""
    return await SecureMessage.filter(
        contact_id=contact_id, from_staff=True, read_at__isnull=True
    ).count()


async def _mark_read(contact_id: int, *, from_staff: bool, up_to: int | None) -> int:
    unread = SecureMessage.filter(
        contact_id=contact_id, from_staff=from_staff, read_at__isnull=True
    )
    if up_to is not None:
        unread = unread.filter(id__lte=up_to)
    return await unread.update(read_at=now())


async def mark_read_by_staff(contact_id: int, up_to: int | None = None) -> Contact:
    """The contact's messages read by the staff (those up to message `up_to` when given, so
    one that arrived after the page was shown stays unread)."""
    contact = await Contact.get_or_none(id=contact_id)
    if contact is None:
        raise InputError.single(("contactId",), "No contact has this id", ErrorCode.NOT_FOUND)
    await _mark_read(contact_id, from_staff=False, up_to=up_to)
    return contact


async def mark_read_by_contact(contact: Contact, up_to: int | None = None) -> int:
    """The staff's messages to `contact` read by them; how many were newly marked."""
    return await _mark_read(contact.id, from_staff=True, up_to=up_to)


async def contact_of(message: SecureMessage) -> Contact:
    """The message's contact as it is now (its lastContactedAt after a message sent)."""
    return await Contact.get(id=message.contact_id)
