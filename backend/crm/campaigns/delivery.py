"""A campaign email as its recipient gets it: written when the mail worker sends it.

The outbox row of a campaign message holds no body: the worker asks `campaign_emails` for
the batch it claimed, which fills each recipient's merge fields into the campaign compiled
once, adds the unsubscribe link (its token made from the recipient's id, not stored) and the
RFC 8058 headers. The preview in the editor and the test send use the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from html import escape
from typing import Any

from tortoise.transactions import in_transaction

from crm.campaigns import sending
from crm.campaigns.models import (
    Campaign,
    CampaignRecipient,
    CampaignStatus,
    RecipientStatus,
    SkipReason,
)
from crm.campaigns.templates import CompiledEmail, TemplateProblem, compile_email
from crm.campaigns.unsubscribe import link_for
from crm.contacts.models import Contact
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.validation import normalize_email
from crm.db import connection
from crm.jobs.queue import bind
from crm.mail.models import MessageStatus, OutboxMessage
from crm.mail.worker import Claimed, Written
from crm.settings import get_settings
from crm.timeline.models import TimelineKind
from crm.timeline.services import Event

TEST_LINK = "(each recipient's own unsubscribe link goes here)"


@dataclass(frozen=True)
class CampaignEmail:
    subject: str
    text: str
    html: str
    headers: dict[str, str]
    campaign_name: str
    recipient_id: int


def merge_values(contact: Contact | None, company: str | None = None) -> dict[str, str]:
    if contact is None:
        return {}
    return sending.merge_values(contact.first_name, contact.last_name, company)


def wrap(subject: str, text: str, html: str, unsubscribe: str) -> tuple[str, str]:
    """The text and HTML parts with the organisation's footer and the unsubscribe link."""
    organisation = get_settings().organisation_name
    text_part = (
        f"{text.rstrip()}\n\n--\n{organisation}\n"
        f"To stop receiving these emails, unsubscribe: {unsubscribe}\n"
    )
    link = (
        f'<a href="{escape(unsubscribe)}">unsubscribe</a>'
        if unsubscribe.startswith("http")
        else escape(unsubscribe)
    )
    html_part = (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(subject)}</title>'
        '</head><body style="font-family:sans-serif;line-height:1.5;max-width:40rem">'
        f'{html}<hr><p style="color:#6b7280;font-size:0.875em">{escape(organisation)} · '
        f"To stop receiving these emails, {link}.</p></body></html>"
    )
    return text_part, html_part


def compiled(campaign: Campaign) -> CompiledEmail:
    return _compiled(campaign.id, campaign.updated_at, campaign.subject, campaign.body)


@lru_cache(maxsize=32)
def _compiled(_id: int, _version: object, subject: str, body: str) -> CompiledEmail:
    return compile_email(subject, body)


def _checked(subject: str, body: str) -> CompiledEmail:
    errors = ErrorCollector()
    for field, source in (("subject", subject), ("body", body)):
        try:
            compile_email(source, "") if field == "subject" else compile_email("", source)
        except TemplateProblem as problem:
            errors.add((field,), str(problem), ErrorCode.INVALID)
    errors.raise_if_any()
    return compile_email(subject, body)


async def _contact_values(contact_id: int | None) -> dict[str, str]:
    if contact_id is None:
        return {}
    contact = await Contact.get_or_none(id=contact_id).select_related("company")
    if contact is None:
        raise InputError.single(("contactId",), "No contact has this id", ErrorCode.NOT_FOUND)
    company = contact.company.name if contact.company_id is not None else None
    return merge_values(contact, company)


async def preview(subject: str, body: str, contact_id: int | None) -> tuple[str, str, str]:
    """The email as the contact would get it (merge fields blank or their defaults with no
    contact); a broken subject or body is an error on its field."""
    values = await _contact_values(contact_id)
    filled_subject, text, html = _checked(subject, body).render(values)
    text, html = wrap(filled_subject, text, html, TEST_LINK)
    return filled_subject, text, html


async def send_test(campaign_id: int, to: str, contact_id: int | None) -> None:
    """One test email to any address, as `contact_id` would get it, marked as a test."""
    from crm.campaigns.services import get_campaign
    from crm.mail.services import queue_message

    campaign = await get_campaign(campaign_id, "campaignId")
    errors = ErrorCollector()
    address = normalize_email(to, ("to",), errors, required=True)
    errors.raise_if_any()
    subject, text, html = await preview(campaign.subject, campaign.body, contact_id)
    await queue_message(
        kind="TEST",
        to_address=address or "",
        to_name="",
        subject=f"[Test] {subject}",
        text=text,
        html=html,
    )


async def campaign_emails(message_ids: Sequence[int]) -> dict[int, CampaignEmail]:
    """The emails of the campaign messages among `message_ids` (outbox row ids), written
    for their recipients now; the mail worker sends these instead of the stored bodies.
    Each campaign is read once (its body may be long), each recipient as the few values
    its email needs."""
    rows = await CampaignRecipient.filter(message_id__in=list(message_ids)).values(
        "id",
        "message_id",
        "campaign_id",
        "contact__first_name",
        "contact__last_name",
        "contact__company__name",
    )
    campaigns = {
        campaign.id: campaign
        for campaign in await Campaign.filter(id__in={row["campaign_id"] for row in rows})
    }
    emails = {}
    for row in rows:
        campaign = campaigns[row["campaign_id"]]
        values = sending.merge_values(
            row["contact__first_name"], row["contact__last_name"], row["contact__company__name"]
        )
        subject, text, html = compiled(campaign).render(values)
        link = link_for(row["id"])
        text, html = wrap(subject, text, html, link)
        emails[row["message_id"]] = CampaignEmail(
            subject,
            text,
            html,
            {
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            campaign.name,
            row["id"],
        )
    return emails


async def take_back_unwanted(message_ids: Sequence[int]) -> set[int]:
    """Among the claimed messages, those no longer to be sent, as things stand now: their
    campaign was cancelled, or their contact archived or without email consent since the
    audience was queued. Their recipients are skipped, and why; their messages leave the
    outbox. The message ids taken back."""
    rows = await CampaignRecipient.filter(message_id__in=list(message_ids)).values(
        "id", "message_id", "campaign__status", "contact__archived_at", "contact__email_opt_in"
    )
    by_reason: dict[SkipReason, list[dict[str, Any]]] = {}
    for row in rows:
        reason = _reason_not_to_send(row)
        if reason is not None:
            by_reason.setdefault(reason, []).append(row)
    if not by_reason:
        return set()
    taken: set[int] = set()
    async with in_transaction():
        for reason, unwanted in by_reason.items():
            await CampaignRecipient.filter(id__in=[row["id"] for row in unwanted]).update(
                status=RecipientStatus.SKIPPED, reason=reason, message_id=None
            )
            taken.update(row["message_id"] for row in unwanted)
        await OutboxMessage.filter(id__in=list(taken)).delete()
    return taken


def _reason_not_to_send(row: dict[str, Any]) -> SkipReason | None:
    if row["campaign__status"] == CampaignStatus.CANCELLED:
        return SkipReason.CANCELLED
    if row["contact__archived_at"] is not None:
        return SkipReason.ARCHIVED
    if not row["contact__email_opt_in"]:
        return SkipReason.NO_CONSENT
    return None


_RECIPIENT_STATUS = {
    MessageStatus.SENT: RecipientStatus.SENT,
    MessageStatus.LOGGED: RecipientStatus.LOGGED,
    MessageStatus.FAILED: RecipientStatus.FAILED,
}


class CampaignWriter:
    """The mail worker's `MessageWriter` for campaign emails."""

    def __init__(self) -> None:
        # The batch in hand, by outbox id: what its outcomes are recorded on.
        self._written: dict[int, CampaignEmail] = {}

    async def write(self, message_ids: Sequence[int]) -> dict[int, Written | None]:
        withdrawn = await take_back_unwanted(message_ids)
        emails = await campaign_emails([pk for pk in message_ids if pk not in withdrawn])
        self._written = emails
        written: dict[int, Written | None] = {
            pk: Written(email.subject, email.text, email.html, email.headers)
            for pk, email in emails.items()
        }
        written.update(dict.fromkeys(withdrawn))
        return written

    async def settled(
        self, message: Claimed, status: MessageStatus, moment: datetime, error: str | None
    ) -> Event | None:
        """The recipient's status; a campaign sent is on the contact's timeline and counts
        as contacting them, a failure is on the timeline with the server's answer."""
        written = self._written.get(message.id)
        # By the recipient's id when it was written here: one row, through the primary key.
        if written is not None:
            await _execute(
                "UPDATE campaign_recipient SET status = :status WHERE id = :id",
                status=_RECIPIENT_STATUS[status].value,
                id=written.recipient_id,
            )
        else:
            await CampaignRecipient.filter(message_id=message.id).update(
                status=_RECIPIENT_STATUS[status]
            )
        if message.contact_id is None or status == MessageStatus.LOGGED:
            return None
        if status == MessageStatus.FAILED:
            details = {"subject": message.subject, "kind": message.kind, "error": error or ""}
            return Event(
                TimelineKind.EMAIL_FAILED,
                contact_id=message.contact_id,
                details=details,
                occurred_at=moment,
            )
        await _execute(
            "UPDATE contact SET last_contacted_at = :moment WHERE id = :id "
            "AND (last_contacted_at IS NULL OR last_contacted_at < :moment)",
            moment=moment,
            id=message.contact_id,
        )
        name = written.campaign_name if written is not None else None
        if name is None:
            name = (
                await Campaign.filter(recipients__message_id=message.id)
                .first()
                .values_list("name", flat=True)
            )
        return Event(
            TimelineKind.CAMPAIGN_SENT,
            contact_id=message.contact_id,
            details={"campaign": name or "", "subject": message.subject},
            occurred_at=moment,
        )


async def _execute(sql: str, **values: object) -> None:
    """One statement per message sent, written as SQL: the ORM builds each query anew, and
    that was a fifth of the mail worker's time."""
    conn = connection()
    await conn.execute_query(*bind(sql, conn.capabilities.dialect, values))
