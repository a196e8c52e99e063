"""Unsubscribing from campaign email: one link per recipient, and what following it does.

A link's token names its recipient row and carries an HMAC of it under the secret key: it
cannot be guessed, cannot be turned into another person's, and nothing about it is stored.
`GET /unsubscribe?token=…` shows a page with a button, so a mail scanner that opens links
unsubscribes nobody; `POST /unsubscribe` (the button, or a mail client's one-click request
per RFC 8058) withdraws the contact's EMAIL consent, with source UNSUBSCRIBE, on the
timeline.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from tortoise.transactions import in_transaction

from crm.campaigns.models import CampaignRecipient, RecipientStatus, SkipReason
from crm.contacts.models import ConsentSource, Contact
from crm.mail.models import MessageStatus, OutboxMessage
from crm.settings import get_settings
from crm.timeline.models import TimelineKind
from crm.timeline.services import SYSTEM, Event, record

PATH = "/unsubscribe"


def _mac(recipient_id: int) -> str:
    key = get_settings().secret_key.encode()
    digest = hmac.new(key, f"unsubscribe:{recipient_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_for(recipient_id: int) -> str:
    return f"{recipient_id}.{_mac(recipient_id)}"


def link_for(recipient_id: int) -> str:
    return f"{get_settings().public_url}{PATH}?token={token_for(recipient_id)}"


def recipient_of(token: str | None) -> int | None:
    """The recipient a token names, or None for a forged, tampered or malformed one."""
    if not token or len(token) > 100:
        return None
    raw_id, _, mac = token.partition(".")
    # ASCII only: digits of other scripts would be read as a number, and `compare_digest`
    # raises on text that is not ASCII.
    if not token.isascii() or not raw_id.isdigit() or len(raw_id) > 10:
        return None
    recipient_id = int(raw_id)
    return recipient_id if hmac.compare_digest(mac, _mac(recipient_id)) else None


async def unsubscribe(recipient_id: int) -> Contact | None:
    """Withdraw the recipient's EMAIL consent (once; again is harmless): None when the
    recipient is gone (the contact was erased)."""
    async with in_transaction():
        recipient = await CampaignRecipient.get_or_none(id=recipient_id).select_related(
            "contact", "campaign"
        )
        if recipient is None:
            return None
        contact = recipient.contact
        moment = datetime.now(UTC)
        if recipient.unsubscribed_at is None:
            await CampaignRecipient.filter(id=recipient.id).update(unsubscribed_at=moment)
        if contact.email_opt_in or contact.email_opt_in_source != ConsentSource.UNSUBSCRIBE:
            await Contact.filter(id=contact.id).update(
                email_opt_in=False,
                email_opt_in_at=moment,
                email_opt_in_source=ConsentSource.UNSUBSCRIBE,
                updated_at=moment,
            )
            details = {"campaign": recipient.campaign.name}
            await record(
                SYSTEM, Event(TimelineKind.UNSUBSCRIBED, contact_id=contact.id, details=details)
            )
        await _take_back_waiting_mail(contact.id)
        return contact


async def _take_back_waiting_mail(contact_id: int) -> None:
    """Campaign mail queued for them before they unsubscribed (another campaign going out,
    a retry) is not sent: skipped, as they no longer consent. Not a message a worker is
    sending this moment."""
    waiting = CampaignRecipient.filter(contact_id=contact_id, status=RecipientStatus.QUEUED)
    message_ids = [pk for pk in await waiting.values_list("message_id", flat=True) if pk]
    await OutboxMessage.filter(id__in=message_ids, status=MessageStatus.QUEUED).delete()
    await CampaignRecipient.filter(
        contact_id=contact_id, status=RecipientStatus.QUEUED, message_id__isnull=True
    ).update(status=RecipientStatus.SKIPPED, reason=SkipReason.NO_CONSENT)


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    organisation = escape(get_settings().organisation_name)
    return HTMLResponse(
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} - {organisation}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;"
        "padding:0 1rem;line-height:1.5;color:#1f2937}button{font:inherit;padding:.6rem 1.2rem;"
        "border-radius:.4rem;border:0;background:#1d4ed8;color:#fff;cursor:pointer}</style>"
        f"</head><body><p>{organisation}</p><h1>{escape(title)}</h1>{body}</body></html>",
        status_code=status,
        headers={"cache-control": "no-store"},
    )


_INVALID = (
    "This unsubscribe link is not valid",
    "<p>The link may have been cut short when it was copied. Open it again from the email, "
    "or reply to the email and ask to be removed from the list.</p>",
)


async def show(request: Request) -> Response:
    token = request.query_params.get("token")
    if recipient_of(token) is None:
        return _page(*_INVALID, status=400)
    return _page(
        "Stop receiving these emails?",
        f'<form method=post action="{PATH}"><input type=hidden name=token '
        f'value="{escape(token or "")}"><p>We will stop sending you our emails. You can ask us '
        "to start again at any time.</p><button type=submit>Unsubscribe</button></form>",
    )


async def confirm(request: Request) -> Response:
    """The page's button, or a one-click request (token in the URL, `List-Unsubscribe=
    One-Click` in the body)."""
    form = await request.form(max_files=0, max_fields=4)
    token = request.query_params.get("token") or form.get("token")
    recipient_id = recipient_of(token if isinstance(token, str) else None)
    if recipient_id is None:
        return _page(*_INVALID, status=400)
    if await unsubscribe(recipient_id) is None:
        return _page(
            "You are not on our list",
            "<p>We hold no address for this link any more: you will get no more emails.</p>",
            status=410,
        )
    return _page(
        "You are unsubscribed",
        "<p>You will get no more of these emails. If this was a mistake, tell us and we will "
        "add you back.</p>",
    )


routes = [Route(PATH, show, methods=["GET"]), Route(PATH, confirm, methods=["POST"])]
