"""Staff accounts managed in the app: inviting colleagues, roles, deactivation, one's own
name and password, and "forgot password".

An invited colleague is a StaffUser without a password (INVITED) and a one-time link
(`crm.auth.links`: random token, hashed at rest, single use, expiring after the invitation
expiry) to choose it. Deactivating ends the person's sessions at once and keeps everything
they wrote. There is always an active administrator: the last one can be neither demoted nor
deactivated, checked under a lock on the administrators' rows so that two admins demoting
each other at once cannot both succeed.
"""

from __future__ import annotations

from datetime import timedelta

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
from crm.auth.passwords import hash_password, require_acceptable_password
from crm.auth.services import (
    ClientInfo,
    check_current_password,
    end_all_sessions,
    now,
    sign_in_key,
    start_session,
)
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.validation import normalize_email, text_field
from crm.mail.models import MessageKind
from crm.mail.services import queue_message
from crm.mail.templates import render_staff_invitation, render_staff_password_reset
from crm.settings import get_settings
from crm.staff.models import (
    StaffInviteLink,
    StaffPasswordReset,
    StaffRole,
    StaffStatus,
    StaffUser,
)

INVITE_PATH = "join"
RESET_PATH = "reset-password"
RESET_LINK_LIFETIME = timedelta(hours=1)
RESET_EMAIL_INTERVAL = timedelta(minutes=1)
RESET_REQUEST_SECONDS = 0.25
LAST_ADMIN = "There must be an active administrator: make someone else an administrator first"
_ROLE_WORDS = {StaffRole.ADMIN: "an administrator", StaffRole.MEMBER: "a member"}


async def get_staff_user(user_id: int, field: str = "id") -> StaffUser:
    user = await StaffUser.get_or_none(id=user_id)
    if user is None:
        raise InputError.single((field,), "No staff member has this id", ErrorCode.NOT_FOUND)
    return user


# --- inviting --------------------------------------------------------------------------


async def invite_staff(email: str, role: StaffRole, by: StaffUser) -> StaffUser:
    """Invite a colleague by email (again, with a new link, if they have not joined yet)."""
    errors = ErrorCollector()
    address = normalize_email(email, ("email",), errors, required=True)
    errors.raise_if_any()
    assert address is not None
    address = address.lower()
    async with in_transaction():
        user = await StaffUser.get_or_none(email=address)
        if user is not None and user.status != StaffStatus.INVITED:
            raise InputError.single(
                ("email",), "A staff account with this email already exists", ErrorCode.DUPLICATE
            )
        if user is None:
            user = await StaffUser.create(email=address, password_hash="", role=role)
        user.role, user.invited_at, user.invited_by_id = role, now(), by.id
        await user.save(update_fields=["role", "invited_at", "invited_by_id"])
        settings = get_settings()
        lifetime = timedelta(days=settings.invite_expiry_days)
        token, link = await issue_link(StaffInviteLink, lifetime, staff_user_id=user.id)
        subject, text, html = render_staff_invitation(
            organisation=settings.organisation_name,
            inviter=by.name or by.email,
            role=_ROLE_WORDS[role],
            link=link_url(INVITE_PATH, token),
            expires_at=link.expires_at,
        )
        await queue_message(
            kind=MessageKind.STAFF_INVITATION,
            to_address=address,
            to_name="",
            subject=subject,
            text=text,
            html=html,
        )
    return user


async def pending_invitation(token: str | None) -> StaffInviteLink | None:
    """The live invitation a link's token names, for a colleague who has not joined yet."""
    link = await live_link(StaffInviteLink, token, "staff_user")
    if link is None or link.staff_user.status != StaffStatus.INVITED:
        return None
    return link


async def accept_invitation(
    token: str, name: str, password: str, client: ClientInfo
) -> tuple[StaffUser, str]:
    """Join: choose a name and a password, and be signed in."""
    link = await pending_invitation(token)
    if link is None:
        raise InputError.single(
            ("token",),
            "This invitation link is no longer valid: ask for a new one",
            ErrorCode.INVALID,
        )
    user = link.staff_user
    errors = ErrorCollector()
    full_name = text_field(name, ("name",), errors, label="Name", max_length=200, required=True)
    errors.raise_if_any()
    require_acceptable_password(password, user.email)
    password_hash = await hash_password(password)
    async with in_transaction():
        await use_link(link)
        user.name, user.password_hash, user.last_login_at = full_name or "", password_hash, now()
        await user.save(update_fields=["name", "password_hash", "last_login_at"])
        session_token, _ = await start_session(client, staff_user=user)
    return user, session_token


# --- roles and deactivation ----------------------------------------------------------------


async def update_staff_user(
    user_id: int, *, role: StaffRole | None = None, active: bool | None = None
) -> StaffUser:
    """Change a colleague's role or deactivate / reactivate them (ADMIN's work)."""
    async with in_transaction() as conn:
        # Lock the administrators' rows: a concurrent demotion waits, then sees this one.
        # (Whole rows: tortoise drops FOR UPDATE from a values_list query.)
        locked = await (
            StaffUser.filter(role=StaffRole.ADMIN, is_active=True)
            .exclude(password_hash="")
            .select_for_update()
            .using_db(conn)
        )
        admins = {admin.id for admin in locked}
        user = await get_staff_user(user_id)
        loses_admin = user.id in admins and (
            (role is not None and role != StaffRole.ADMIN) or active is False
        )
        if loses_admin and len(admins) == 1:
            raise InputError.single(("id",), LAST_ADMIN, ErrorCode.NOT_ALLOWED)
        if role is not None:
            user.role = role
        if active is not None:
            user.is_active = active
        await user.save(update_fields=["role", "is_active"], using_db=conn)
        if active is False:
            await end_all_sessions(staff_user_id=user.id)
    return user


# --- one's own account -------------------------------------------------------------------


async def update_profile(user: StaffUser, name: str) -> StaffUser:
    errors = ErrorCollector()
    full_name = text_field(name, ("name",), errors, label="Name", max_length=200, required=True)
    errors.raise_if_any()
    user.name = full_name or ""
    await user.save(update_fields=["name"])
    return user


async def change_password(
    user: StaffUser, current: str, new: str, *, client: ClientInfo, session: Session | None
) -> None:
    """Change one's own password (the current one checked like a sign-in); every other
    browser is signed out."""
    await check_current_password(
        sign_in_key("staff", user.email),
        client,
        Session.filter(staff_user_id=user.id),
        user.password_hash,
        current,
    )
    require_acceptable_password(new, user.email, ("newPassword",))
    password_hash = await hash_password(new)
    async with in_transaction():
        await StaffUser.filter(id=user.id).update(password_hash=password_hash)
        await end_all_sessions(staff_user_id=user.id, keep=session)


# --- forgot password -------------------------------------------------------------------------


async def request_password_reset(email: str) -> None:
    """Email a reset link to an active staff member with this address; the same answer, after
    the same time, whatever the address."""
    await answer_in_fixed_time(RESET_REQUEST_SECONDS, _send_reset_link(email))


async def _send_reset_link(email: str) -> None:
    address = (email or "").strip().lower()
    user = await StaffUser.get_or_none(email=address, is_active=True) if address else None
    if user is None or user.status != StaffStatus.ACTIVE:
        return
    if await issued_since(StaffPasswordReset, RESET_EMAIL_INTERVAL, staff_user_id=user.id):
        return  # one email a minute is enough
    settings = get_settings()
    async with in_transaction():
        token, reset = await issue_link(
            StaffPasswordReset, RESET_LINK_LIFETIME, staff_user_id=user.id
        )
        subject, text, html = render_staff_password_reset(
            organisation=settings.organisation_name,
            name=user.name or user.email,
            link=link_url(RESET_PATH, token),
            expires_at=reset.expires_at,
        )
        await queue_message(
            kind=MessageKind.PASSWORD_RESET,
            to_address=user.email,
            to_name=user.name,
            subject=subject,
            text=text,
            html=html,
        )


async def reset_password(token: str, password: str, client: ClientInfo) -> tuple[StaffUser, str]:
    """Choose a new password from a reset link: every session ends, this browser signs in."""
    reset = await live_link(StaffPasswordReset, token, "staff_user")
    if reset is None or reset.staff_user.status != StaffStatus.ACTIVE:
        raise InputError.single(
            ("token",), "This reset link is no longer valid. Ask for a new one.", ErrorCode.INVALID
        )
    user = reset.staff_user
    require_acceptable_password(password, user.email)
    password_hash = await hash_password(password)
    async with in_transaction():
        await use_link(reset)
        user.password_hash, user.last_login_at = password_hash, now()
        await user.save(update_fields=["password_hash", "last_login_at"])
        await end_all_sessions(staff_user_id=user.id)
        session_token, _ = await start_session(client, staff_user=user)
    return user, session_token
