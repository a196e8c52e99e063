"""Sessions and sign-in throttling, shared by staff and portal sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from crm.auth.models import LoginFailure, Session
from crm.auth.passwords import verify_password
from crm.auth.tokens import new_token, token_hash
from crm.contacts.models import Contact, PortalStatus
from crm.core.errors import ErrorCode, InputError
from crm.core.validation import email_key
from crm.settings import get_settings
from crm.staff.models import StaffRole, StaffUser

SESSION_COOKIE = "crm_session"
# A tab viewing the portal as a contact (an ADMIN's read-only view) has a session of its own
# in this cookie, so the staff session in the browser's other tabs stays as it is.
VIEW_AS_COOKIE = "crm_view_as"
_TOUCH_EVERY = timedelta(minutes=5)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ClientInfo:
    ip: str
    user_agent: str


async def start_session(
    client: ClientInfo,
    *,
    staff_user: StaffUser | None = None,
    contact: Contact | None = None,
    impersonated_by: StaffUser | None = None,
    lifetime: timedelta | None = None,
) -> tuple[str, Session]:
    """Create a session for a staff user or a portal contact (viewed by `impersonated_by`,
    read-only, when given); returns the cookie's token."""
    assert (staff_user is None) != (contact is None)
    token = new_token()
    moment = now()
    session = await Session.create(
        token_hash=token_hash(token),
        staff_user=staff_user,
        contact=contact,
        impersonated_by=impersonated_by,
        expires_at=moment + (lifetime or timedelta(days=get_settings().session_days)),
        last_seen_at=moment,
        ip=client.ip[:64],
        user_agent=client.user_agent[:300],
    )
    return token, session


async def session_for_token(token: str, *, viewing_as: bool = False) -> Session | None:
    """The live session a cookie names, with its user, in one query (two for a view-as
    session). `viewing_as`: the token comes from VIEW_AS_COOKIE, which alone may name an
    impersonation session, and only that."""
    if not token or len(token) > 100:
        return None
    session = (
        await Session.filter(token_hash=token_hash(token), expires_at__gt=now())
        .select_related("staff_user", "contact")
        .first()
    )
    if session is None or (session.impersonated_by_id is not None) != viewing_as:
        return None
    if session.staff_user_id is not None and not session.staff_user.is_active:
        return None
    if session.contact_id is not None and not _portal_open(session.contact):
        return None
    if viewing_as:
        # Fixed expiry, and only while the one viewing is still an active administrator.
        viewer = await StaffUser.get_or_none(id=session.impersonated_by_id)
        return session if viewer is not None and _may_view_as(viewer) else None
    if now() - session.last_seen_at > _TOUCH_EVERY:
        # Sliding expiry, written at most every few minutes to keep reads read-only.
        session.last_seen_at = now()
        session.expires_at = session.last_seen_at + timedelta(days=get_settings().session_days)
        await Session.filter(id=session.id).update(
            last_seen_at=session.last_seen_at, expires_at=session.expires_at
        )
    return session


def _may_view_as(user: StaffUser) -> bool:
    return user.is_active and user.role == StaffRole.ADMIN


def read_only_reason(session: Session | None) -> str | None:
    """Why nothing may be changed in this session (an ADMIN viewing the portal as a
    contact), or None when the session may change what its user may."""
    if session is None or session.impersonated_by_id is None:
        return None
    return f"Read-only: you are viewing the portal as {session.contact.full_name}"


async def end_session(session: Session) -> None:
    await Session.filter(id=session.id).delete()


async def end_all_sessions(
    *,
    staff_user_id: int | None = None,
    contact_id: int | None = None,
    keep: Session | None = None,
) -> None:
    """Sign a staff user or a contact out everywhere, except the browser `keep` if given; a
    staff user's views of the portal as a contact end too."""
    owners = (
        ("staff_user_id", staff_user_id),
        ("impersonated_by_id", staff_user_id),
        ("contact_id", contact_id),
    )
    for owner, owner_id in owners:
        if owner_id is not None:
            sessions = Session.filter(**{owner: owner_id})
            if keep is not None:
                sessions = sessions.exclude(id=keep.id)
            await sessions.delete()


def _portal_open(contact: Contact) -> bool:
    """A portal session lasts while the contact keeps portal access and is not archived."""
    return contact.portal_status == PortalStatus.ACTIVE and contact.archived_at is None


def sign_in_key(kind: str, email: str) -> str:
    """The account a sign-in names, as the look-up sees it ("staff:" or "portal:" and the
    email's key): every spelling that reaches an account shares that account's throttle."""
    return f"{kind}:{email_key(email.strip()) or ''}"[:300]


TOO_MANY_SIGN_INS = "Too many failed sign-ins. Wait a few minutes and try again."


@dataclass(frozen=True)
class SignInAttempt:
    """A sign-in being checked. Its row counts as a failure unless `succeeded` removes it."""

    account: str
    ip: str

    async def succeeded(self) -> None:
        """The right password: this address's failures on this account are forgotten."""
        await LoginFailure.filter(account=self.account, ip=self.ip).delete()

    async def failed(self) -> None:
        """A wrong password: the row stays; rows older than the window are swept."""
        window = timedelta(minutes=get_settings().login_failure_window_minutes)
        await LoginFailure.filter(created_at__lt=now() - window).delete()


async def _has_session_from(sessions: QuerySet[Session] | None, ip: str) -> bool:
    if sessions is None:
        return False
    return await sessions.filter(ip=ip, expires_at__gt=now()).exists()


class LoginThrottle:
    """Failed sign-ins within a window, limited three ways.

    - per account from one address (CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT): someone guessing
      from elsewhere does not lock the owner out;
    - per address over all accounts (CRM_LOGIN_MAX_FAILURES_PER_IP);
    - per account over all addresses (CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT_ALL_ADDRESSES), a
      looser cap on guessing from many addresses, which spares the addresses the account
      has a live session from, so its owner's usual places still get in.
    """

    @staticmethod
    async def begin(
        account: str, ip: str, owner_sessions: QuerySet[Session] | None
    ) -> SignInAttempt:
        """Record the attempt as failed, then count; TOO_MANY when over a limit.

        Writing before counting is what holds under concurrency: each statement commits on
        its own (SQLite and PostgreSQL alike), so of attempts racing each other the one that
        counts last sees every other's row, and at most the limit get their password checked.
        Attempts that overlap see each other, so a burst may be refused whole.
        """
        settings = get_settings()
        attempt = await LoginFailure.create(account=account[:300], ip=ip[:64])
        since = now() - timedelta(minutes=settings.login_failure_window_minutes)
        counts = (
            await LoginFailure.filter(Q(account=attempt.account) | Q(ip=attempt.ip))
            .filter(created_at__gt=since)
            .annotate(
                pair=Count("id", _filter=Q(account=attempt.account, ip=attempt.ip)),
                by_address=Count("id", _filter=Q(ip=attempt.ip)),
                by_account=Count("id", _filter=Q(account=attempt.account)),
            )
            .values("pair", "by_address", "by_account")
        )[0]
        blocked = (
            counts["pair"] > settings.login_max_failures_per_account
            or counts["by_address"] > settings.login_max_failures_per_ip
            or (
                counts["by_account"] > settings.login_max_failures_per_account_all_addresses
                and not await _has_session_from(owner_sessions, attempt.ip)
            )
        )
        if blocked:
            await LoginFailure.filter(id=attempt.id).delete()
            raise InputError.single(None, TOO_MANY_SIGN_INS, ErrorCode.TOO_MANY)
        return SignInAttempt(attempt.account, attempt.ip)


async def check_current_password(
    account: str,
    client: ClientInfo,
    owner_sessions: QuerySet[Session],
    password_hash: str | None,
    given: str,
) -> None:
    """A signed-in user's current password (before changing it), checked like a sign-in,
    throttle included, so a borrowed session cannot be used to guess it; INVALID on
    `currentPassword` when wrong."""
    attempt = await LoginThrottle.begin(account, client.ip, owner_sessions)
    if not await verify_password(password_hash, given):
        await attempt.failed()
        raise InputError.single(
            ("currentPassword",), "Your current password is not correct", ErrorCode.INVALID
        )
    await attempt.succeeded()
