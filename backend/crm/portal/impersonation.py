"""An ADMIN viewing the portal as a contact: a one-minute, single-use link opens, in a tab of
the ADMIN's own browser, a read-only session of that contact's portal.

The view is a session of its own (`Session.impersonated_by`), in a cookie of its own, so the
ADMIN's staff session stays signed in beside it; it ends after VIEW_LIFETIME, on Exit, or
when the ADMIN stops being an active administrator. The contact's own sessions and last
sign-in are never touched; the contact's timeline says who viewed it and when.
"""

from __future__ import annotations

from datetime import timedelta

from tortoise.transactions import in_transaction

from crm.auth.links import issue_link, link_url, live_link, use_link
from crm.auth.models import Session
from crm.auth.services import ClientInfo, start_session
from crm.contacts.models import Contact, PortalStatus
from crm.core.errors import ErrorCode, InputError
from crm.portal.models import ImpersonationLink
from crm.staff.models import StaffRole, StaffUser
from crm.timeline.models import TimelineKind
from crm.timeline.services import Actor, Event, record

LINK_LIFETIME = timedelta(minutes=1)
VIEW_LIFETIME = timedelta(hours=1)
LINK_PATH = "portal/view-as"


def view_refusal(contact: Contact) -> str | None:
    """Why the portal cannot be viewed as this contact, or None if it can: only a portal the
    contact can sign in to exists to be viewed."""
    if contact.archived_at is not None:
        return "An archived contact has no portal to view; restore the contact first"
    if contact.portal_status != PortalStatus.ACTIVE:
        return (
            "This contact has no portal account yet: there is nothing to view until they "
            "accept their invitation"
        )
    return None


async def issue_view_link(admin: StaffUser, contact_id: int) -> str:
    """The link that opens the portal as the contact; it ends the ADMIN's earlier unused links
    for that contact."""
    contact = await Contact.get_or_none(id=contact_id)
    if contact is None:
        raise InputError.single(("contactId",), "No contact has this id", ErrorCode.NOT_FOUND)
    refusal = view_refusal(contact)
    if refusal is not None:
        raise InputError.single(("contactId",), refusal, ErrorCode.NOT_ALLOWED)
    token, _ = await issue_link(
        ImpersonationLink, LINK_LIFETIME, contact_id=contact.id, staff_user_id=admin.id
    )
    return link_url(LINK_PATH, token)


async def start_view(
    token: str, admin: StaffUser | None, client: ClientInfo, replacing: Session | None
) -> tuple[Contact, str]:
    """Use a view link: a read-only session of the contact's portal (its cookie's token). The
    link works only for the ADMIN who asked for it, signed in in the same browser; an earlier
    view this browser had open (`replacing`) ends."""
    link = await live_link(ImpersonationLink, token, "contact")
    if (
        link is None
        or admin is None
        or admin.id != link.staff_user_id
        or admin.role != StaffRole.ADMIN
        or view_refusal(link.contact) is not None
    ):
        raise InputError.single(
            ("token",),
            "This link is no longer valid: it works once, within a minute, in the browser of "
            "the administrator who asked for it. Ask for a new one.",
            ErrorCode.INVALID,
        )
    contact = link.contact
    async with in_transaction():
        await use_link(link)
        if replacing is not None:
            await end_view(replacing)
        session_token, _ = await start_session(
            client, contact=contact, impersonated_by=admin, lifetime=VIEW_LIFETIME
        )
        await record(
            Actor.staff(admin), Event(TimelineKind.IMPERSONATED, contact_id=contact.id, details={})
        )
    return contact, session_token


async def end_view(session: Session) -> None:
    """End a view of the portal as a contact (never a session of the contact's own)."""
    await Session.filter(id=session.id, impersonated_by_id__isnull=False).delete()
