"""Staff accounts and staff sign-in."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from crm.auth.passwords import hash_password, needs_rehash, verify_password
from crm.auth.services import ClientInfo, LoginThrottle, now, start_session
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.validation import normalize_email
from crm.staff.models import StaffRole, StaffUser

MIN_PASSWORD_LENGTH = 10


async def create_staff_user(
    email: str, password: str, *, name: str = "", role: StaffRole = StaffRole.MEMBER
) -> StaffUser:
    errors = ErrorCollector()
    address = normalize_email(email, ("email",), errors, required=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.add(
            ("password",),
            f"Password must be at least {MIN_PASSWORD_LENGTH} characters",
            ErrorCode.INVALID,
        )
    errors.raise_if_any()
    assert address is not None
    try:
        return await StaffUser.create(
            email=address.lower(),
            name=name.strip()[:200],
            password_hash=await hash_password(password),
            role=role,
        )
    except IntegrityError:
        raise InputError.single(
            ("email",), "A staff account with this email already exists", ErrorCode.DUPLICATE
        ) from None


async def login_staff(email: str, password: str, client: ClientInfo) -> tuple[StaffUser, str]:
    """Check the credentials and open a session; returns the user and the session token."""
    account = email.strip().lower()
    if await LoginThrottle.is_blocked(account, client.ip):
        raise InputError.single(
            None, "Too many failed sign-ins. Wait a few minutes and try again.", ErrorCode.TOO_MANY
        )
    user = await StaffUser.get_or_none(email=account, is_active=True) if account else None
    if not await verify_password(user.password_hash if user else None, password) or user is None:
        await LoginThrottle.record_failure(account, client.ip)
        raise InputError.single(
            ("password",), "The email or password is not correct", ErrorCode.INVALID
        )
    await LoginThrottle.clear(account)
    user.last_login_at = now()
    update_fields = ["last_login_at"]
    if needs_rehash(user.password_hash):
        user.password_hash = await hash_password(password)
        update_fields.append("password_hash")
    await user.save(update_fields=update_fields)
    token, _session = await start_session(client, staff_user=user)
    return user, token
