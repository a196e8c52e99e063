"""The rules of the client portal: who can be invited, links, activation, sign-in, resets.

Invitation and reset links carry 256 random bits; only their HMAC is stored, each link
works once, and expires. Every email is written to the outbox in the transaction that
causes it, so nothing is sent for a change that did not happen, and nothing is lost; so is
every invitation, resend, revocation and activation on the contact's timeline.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from crm.auth.links import (
    answer_in_fixed_time,
    issue_link,
    issued_since,
    link_url,
    live_link,
    use_link,
)
from crm.auth.models import Session
from crm.auth.passwords import hash_password, require_acceptable_password, verify_password
from crm.auth.services import (
    ClientInfo,
    LoginThrottle,
    SignInAttempt,
    check_current_password,
    end_all_sessions,
    sign_in_key,
    start_session,
)
from crm.auth.tokens import new_token, token_hash
from crm.contacts.models import Contact, ContactType, PortalStatus
from crm.core.errors import ErrorCode, InputError
from crm.core.validation import email_key
from crm.mail.services import queue_message, wake_worker
from crm.mail.templates import render_invitation, render_password_reset
from crm.portal.models import Invitation, InvitationStatus, PasswordReset, PortalAccount
from crm.settings import get_settings
from crm.staff.models import StaffUser
from crm.timeline.models import TimelineKind
from crm.timeline.services import PORTAL, SYSTEM, Actor, Event, record

RESET_LINK_LIFETIME = timedelta(hours=1)
RESET_EMAIL_INTERVAL = timedelta(minutes=1)
# Every reset request answers after this long, whether or not the address is known, so the
# timing cannot tell (a known one does a few more writes and renders an email).
RESET_REQUEST_SECONDS = 0.25
INVITABLE_TYPES = (ContactType.PROSPECT, ContactType.CLIENT)


def now() -> datetime:
    return datetime.now(UTC)


def invite_refusal(contact: Contact) -> str | None:
    """Why this contact cannot be sent a new invitation now, or None if it can."""
    if contact.archived_at is not None:
        return "An archived contact cannot be invited; restore the contact first"
    if contact.type not in INVITABLE_TYPES:
        return "Only prospects and clients can be invited to the portal"
    if not contact.email:
        return "The contact needs an email address to be invited"
    return None


def _link(path: str, token: str) -> str:
    return link_url(f"portal/{path}", token)


async def _issue_invitation(
    contact: Contact, actor: Actor, kind: TimelineKind = TimelineKind.INVITED
) -> Invitation:
    """Write the invitation, its email and its event (`kind`: INVITED or INVITE_RESENT); the
    caller holds the transaction."""
    settings = get_settings()
    token = new_token()
    moment = now()
    expires_at = moment + timedelta(days=settings.invite_expiry_days)
    subject, text, html = render_invitation(
        organisation=settings.organisation_name,
        contact_name=contact.full_name,
        link=_link("activate", token),
        expires_at=expires_at,
    )
    message = await queue_message(
        kind="INVITATION",
        to_address=contact.email or "",
        to_name=contact.full_name,
        subject=subject,
        text=text,
        html=html,
        contact_id=contact.id,
    )
    invitation = await Invitation.create(
        contact_id=contact.id,
        token_hash=token_hash(token),
        email=contact.email or "",
        expires_at=expires_at,
        message_id=message.id,
        invited_by_id=actor.staff_user_id,
    )
    contact.portal_status = PortalStatus.INVITED
    contact.portal_invited_at = contact.portal_invited_at or moment
    contact.portal_last_invited_at = moment
    await Contact.filter(id=contact.id).update(
        portal_status=contact.portal_status,
        portal_invited_at=contact.portal_invited_at,
        portal_last_invited_at=moment,
    )
    await record(actor, Event(kind, contact_id=contact.id, details={"email": invitation.email}))
    return invitation


async def _end_pending(contact_id: int, status: InvitationStatus) -> None:
    await Invitation.filter(contact_id=contact_id, status=InvitationStatus.PENDING).update(
        status=status, ended_at=now()
    )


async def _contact(contact_id: int) -> Contact:
    contact = await Contact.get_or_none(id=contact_id)
    if contact is None:
        raise InputError.single(("contactId",), "No contact has this id", ErrorCode.NOT_FOUND)
    return contact


async def send_invite_in_transaction(
    contact: Contact, invited_by: StaffUser | None, *, actor: Actor | None = None
) -> Invitation:
    """Invite a contact just saved in the caller's transaction (createContact does this);
    `actor` defaults to `invited_by`."""
    refusal = invite_refusal(contact)
    if refusal is not None:
        raise InputError.single(("sendInvite",), refusal, ErrorCode.NOT_ALLOWED)
    return await _issue_invitation(contact, actor or Actor.staff(invited_by))


def send_refusal(contact: Contact) -> str | None:
    """Why a first invitation cannot be sent to this contact now, or None if it can."""
    if contact.portal_status == PortalStatus.ACTIVE:
        return "This contact already has portal access"
    if contact.portal_status == PortalStatus.INVITED:
        return "An invitation is already pending; resend it instead"
    return invite_refusal(contact)


def resend_refusal(contact: Contact) -> str | None:
    """Why the pending invitation cannot be sent again now, or None if it can."""
    if contact.portal_status == PortalStatus.ACTIVE:
        return "This contact already has portal access; they can use 'forgot password'"
    if contact.portal_status != PortalStatus.INVITED:
        return "This contact has not been invited; send an invitation instead"
    return invite_refusal(contact)


def _refuse_if(refusal: str | None) -> None:
    if refusal is not None:
        raise InputError.single(("contactId",), refusal, ErrorCode.NOT_ALLOWED)


async def send_invite(contact_id: int, actor: Actor) -> Invitation:
    contact = await _contact(contact_id)
    _refuse_if(send_refusal(contact))
    async with in_transaction():
        invitation = await _issue_invitation(contact, actor)
    wake_worker()
    return invitation


async def resend_invite(contact_id: int, actor: Actor) -> Invitation:
    """A new link replaces the pending one (the old link stops working) and is emailed."""
    contact = await _contact(contact_id)
    _refuse_if(resend_refusal(contact))
    async with in_transaction():
        await _end_pending(contact.id, InvitationStatus.SUPERSEDED)
        invitation = await _issue_invitation(contact, actor, TimelineKind.INVITE_RESENT)
    wake_worker()
    return invitation


async def revoke_invite(contact_id: int, actor: Actor) -> tuple[Contact, Invitation | None]:
    """Withdraw a pending invitation, or take portal access away; back to NOT_INVITED."""
    contact = await _contact(contact_id)
    if contact.portal_status == PortalStatus.NOT_INVITED:
        raise InputError.single(
            ("contactId",), "This contact has no invitation to revoke", ErrorCode.NOT_ALLOWED
        )
    access_removed = contact.portal_status == PortalStatus.ACTIVE
    async with in_transaction():
        latest = await Invitation.filter(contact_id=contact.id).order_by("-id").first()
        await _end_pending(contact.id, InvitationStatus.REVOKED)
        await PortalAccount.filter(contact_id=contact.id).delete()
        await end_all_sessions(contact_id=contact.id)
        contact.portal_status = PortalStatus.NOT_INVITED
        await Contact.filter(id=contact.id).update(portal_status=PortalStatus.NOT_INVITED)
        await _record_revoked(contact, actor, access_removed=access_removed)
    if latest is not None:
        await latest.refresh_from_db()
    return contact, latest


async def _record_revoked(contact: Contact, actor: Actor, *, access_removed: bool) -> None:
    details = {"access_removed": access_removed}
    await record(actor, Event(TimelineKind.INVITE_REVOKED, contact_id=contact.id, details=details))


async def email_changed(contact: Contact, *, actor: Actor = SYSTEM) -> None:
    """Inside the caller's transaction: a pending invitation went to the old address.

    It is superseded; a new one goes to the new address when the contact can still be
    invited (recorded as sent again), otherwise the contact is no longer invited (recorded
    as revoked). `actor`: who changed the email.
    """
    if contact.portal_status != PortalStatus.INVITED:
        return
    await _end_pending(contact.id, InvitationStatus.SUPERSEDED)
    if invite_refusal(contact) is None:
        await _issue_invitation(contact, actor, TimelineKind.INVITE_RESENT)
    else:
        contact.portal_status = PortalStatus.NOT_INVITED
        await Contact.filter(id=contact.id).update(portal_status=PortalStatus.NOT_INVITED)
        await _record_revoked(contact, actor, access_removed=False)


async def _pending_invitation(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    invitation = (
        await Invitation.filter(token_hash=token_hash(token)).select_related("contact").first()
    )
    if invitation is None or not hmac.compare_digest(invitation.token_hash, token_hash(token)):
        return None
    contact = invitation.contact
    usable = (
        invitation.status == InvitationStatus.PENDING
        and invitation.expires_at > now()
        and contact.portal_status == PortalStatus.INVITED
        and contact.archived_at is None
        and email_key(contact.email) == email_key(invitation.email)
    )
    return invitation if usable else None


async def check_invitation(token: str) -> Invitation | None:
    """The invitation a link names, if it can still be used (for the activation page)."""
    return await _pending_invitation(token)


async def activate(token: str, password: str, client: ClientInfo) -> tuple[Contact, str]:
    """Accept an invitation: set the password, make the contact ACTIVE, sign them in."""
    invitation = await _pending_invitation(token)
    if invitation is None:
        raise InputError.single(
            ("token",),
            "This invitation link is no longer valid: it has expired, been used or been "
            "replaced. Ask for a new invitation.",
            ErrorCode.INVALID,
        )
    contact = invitation.contact
    require_acceptable_password(password, contact.email)
    password_hash = await hash_password(password)
    moment = now()
    async with in_transaction():
        claimed = await Invitation.filter(id=invitation.id, status=InvitationStatus.PENDING).update(
            status=InvitationStatus.ACCEPTED, accepted_at=moment, ended_at=moment
        )
        if not claimed:
            raise InputError.single(
                ("token",), "This invitation link was just used", ErrorCode.INVALID
            )
        await PortalAccount.filter(contact_id=contact.id).delete()
        await PortalAccount.create(
            contact_id=contact.id, password_hash=password_hash, password_changed_at=moment
        )
        contact.portal_status = PortalStatus.ACTIVE
        contact.portal_activated_at = moment
        contact.portal_last_login_at = moment
        await Contact.filter(id=contact.id).update(
            portal_status=PortalStatus.ACTIVE,
            portal_activated_at=moment,
            portal_last_login_at=moment,
        )
        await record(PORTAL, Event(TimelineKind.ACTIVATED, contact_id=contact.id, details={}))
    session_token, _ = await start_session(client, contact=contact)
    return contact, session_token


async def portal_login(email: str, password: str, client: ClientInfo) -> tuple[Contact, str]:
    contact = await Contact.get_or_none(
        email_key=email_key(email.strip()) or "",
        portal_status=PortalStatus.ACTIVE,
        archived_at__isnull=True,
    )
    attempt = await _begin_sign_in(email, client, contact)
    account = await PortalAccount.get_or_none(contact_id=contact.id) if contact else None
    if not await verify_password(account.password_hash if account else None, password):
        await attempt.failed()
        raise InputError.single(
            ("password",), "The email or password is not correct", ErrorCode.INVALID
        )
    assert contact is not None
    await attempt.succeeded()
    contact.portal_last_login_at = now()
    await Contact.filter(id=contact.id).update(portal_last_login_at=contact.portal_last_login_at)
    token, _ = await start_session(client, contact=contact)
    return contact, token


def own_sessions(contact_id: int) -> QuerySet[Session]:
    """The contact's own sessions: not an administrator's views of the portal as them."""
    return Session.filter(contact_id=contact_id, impersonated_by_id__isnull=True)


async def _begin_sign_in(
    email: str | None, client: ClientInfo, contact: Contact | None
) -> SignInAttempt:
    sessions = own_sessions(contact.id) if contact else None
    return await LoginThrottle.begin(sign_in_key("portal", email or ""), client.ip, sessions)


async def request_password_reset(email: str) -> None:
    """Send a reset link to an ACTIVE contact with this email; otherwise do nothing, silently.

    Either way the answer comes after RESET_REQUEST_SECONDS.
    """
    await answer_in_fixed_time(RESET_REQUEST_SECONDS, _send_reset_link(email))


async def _send_reset_link(email: str) -> None:
    key = email_key(email.strip())
    contact = (
        await Contact.get_or_none(
            email_key=key, portal_status=PortalStatus.ACTIVE, archived_at__isnull=True
        )
        if key
        else None
    )
    if contact is None:
        return
    if await issued_since(PasswordReset, RESET_EMAIL_INTERVAL, contact_id=contact.id):
        return  # one email a minute is enough; more would only help someone flood the inbox
    async with in_transaction():
        token, reset = await issue_link(PasswordReset, RESET_LINK_LIFETIME, contact_id=contact.id)
        subject, text, html = render_password_reset(
            organisation=get_settings().organisation_name,
            contact_name=contact.full_name,
            link=_link("reset", token),
            expires_at=reset.expires_at,
        )
        await queue_message(
            kind="PASSWORD_RESET",
            to_address=contact.email or "",
            to_name=contact.full_name,
            subject=subject,
            text=text,
            html=html,
            contact_id=contact.id,
        )
    wake_worker()


async def reset_password(token: str, password: str, client: ClientInfo) -> tuple[Contact, str]:
    reset = await live_link(PasswordReset, token, "contact")
    contact = reset.contact if reset is not None else None
    if (
        reset is None
        or contact is None
        or contact.portal_status != PortalStatus.ACTIVE
        or contact.archived_at is not None
    ):
        raise InputError.single(
            ("token",),
            "This reset link is no longer valid. Ask for a new one.",
            ErrorCode.INVALID,
        )
    require_acceptable_password(password, contact.email)
    password_hash = await hash_password(password)
    async with in_transaction():
        await use_link(reset)
        await PortalAccount.filter(contact_id=contact.id).update(
            password_hash=password_hash, password_changed_at=now()
        )
        await end_all_sessions(contact_id=contact.id)
    session_token, _ = await start_session(client, contact=contact)
    return contact, session_token


async def change_password(
    contact: Contact, current: str, new: str, *, client: ClientInfo, session: Session | None
) -> None:
    """Change a signed-in contact's password; their other browsers are signed out."""
    account = await PortalAccount.get_or_none(contact_id=contact.id)
    await check_current_password(
        sign_in_key("portal", contact.email or ""),
        client,
        own_sessions(contact.id),
        account.password_hash if account else None,
        current,
    )
    require_acceptable_password(new, contact.email, ("newPassword",))
    assert account is not None
    password_hash = await hash_password(new)
    async with in_transaction():
        await PortalAccount.filter(id=account.id).update(
            password_hash=password_hash, password_changed_at=now()
        )
        await end_all_sessions(contact_id=contact.id, keep=session)
