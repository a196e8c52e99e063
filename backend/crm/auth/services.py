"""Sessions and sign-in throttling, shared by staff and portal sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from crm.auth.models import LoginFailure, Session
from crm.auth.tokens import new_token, token_hash
from crm.contacts.models import Contact, PortalStatus
from crm.settings import get_settings
from crm.staff.models import StaffUser

SESSION_COOKIE = "crm_session"
_TOUCH_EVERY = timedelta(minutes=5)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ClientInfo:
    ip: str
    user_agent: str


async def start_session(
    client: ClientInfo, *, staff_user: StaffUser | None = None, contact: Contact | None = None
) -> tuple[str, Session]:
    """Create a session for a staff user or a portal contact; returns the cookie's token."""
    assert (staff_user is None) != (contact is None)
    token = new_token()
    moment = now()
    session = await Session.create(
        token_hash=token_hash(token),
        staff_user=staff_user,
        contact=contact,
        expires_at=moment + timedelta(days=get_settings().session_days),
        last_seen_at=moment,
        ip=client.ip[:64],
        user_agent=client.user_agent[:300],
    )
    return token, session


async def session_for_token(token: str) -> Session | None:
    """The live session a cookie names, with its user, in one query."""
    if not token or len(token) > 100:
        return None
    session = (
        await Session.filter(token_hash=token_hash(token), expires_at__gt=now())
        .select_related("staff_user", "contact")
        .first()
    )
    if session is None:
        return None
    if session.staff_user_id is not None and not session.staff_user.is_active:
        return None
    if session.contact_id is not None and not _portal_open(session.contact):
        return None
    if now() - session.last_seen_at > _TOUCH_EVERY:
        # Sliding expiry, written at most every few minutes to keep reads read-only.
        session.last_seen_at = now()
        session.expires_at = session.last_seen_at + timedelta(days=get_settings().session_days)
        await Session.filter(id=session.id).update(
            last_seen_at=session.last_seen_at, expires_at=session.expires_at
        )
    return session


async def end_session(session: Session) -> None:
    await Session.filter(id=session.id).delete()


async def end_all_sessions(
    *, staff_user_id: int | None = None, contact_id: int | None = None
) -> None:
    if staff_user_id is not None:
        await Session.filter(staff_user_id=staff_user_id).delete()
    if contact_id is not None:
        await Session.filter(contact_id=contact_id).delete()


def _portal_open(contact: Contact) -> bool:
    """A portal session lasts while the contact keeps portal access and is not archived."""
    return contact.portal_status == PortalStatus.ACTIVE and contact.archived_at is None


class LoginThrottle:
    """Counts failed sign-ins per account and per client address within a time window."""

    @staticmethod
    async def is_blocked(account: str, ip: str) -> bool:
        settings = get_settings()
        since = now() - timedelta(minutes=settings.login_failure_window_minutes)
        by_account = await LoginFailure.filter(
            scope="account", key=account, created_at__gt=since
        ).count()
        if by_account >= settings.login_max_failures_per_account:
            return True
        by_ip = await LoginFailure.filter(scope="ip", key=ip, created_at__gt=since).count()
        return by_ip >= settings.login_max_failures_per_ip

    @staticmethod
    async def record_failure(account: str, ip: str) -> None:
        await LoginFailure.bulk_create(
            [LoginFailure(scope="account", key=account[:254]), LoginFailure(scope="ip", key=ip)]
        )
        window = timedelta(minutes=get_settings().login_failure_window_minutes)
        await LoginFailure.filter(created_at__lt=now() - 2 * window).delete()

    @staticmethod
    async def clear(account: str) -> None:
        await LoginFailure.filter(scope="account", key=account).delete()
