"""Staff accounts and staff sign-in."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from crm.auth.models import Session
from crm.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from crm.auth.services import ClientInfo, LoginThrottle, now, sign_in_key, start_session
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.validation import normalize_email
from crm.staff.models import StaffRole, StaffUser


async def create_staff_user(
    email: str, password: str, *, name: str = "", role: StaffRole = StaffRole.MEMBER
) -> StaffUser:
    errors = ErrorCollector()
    address = normalize_email(email, ("email",), errors, required=True)
    problem = password_problem(password, address or email)
    if problem is not None:
        errors.add(("password",), problem, ErrorCode.INVALID)
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
    address = email.strip().lower()
    user = await StaffUser.get_or_none(email=address, is_active=True) if address else None
    attempt = await LoginThrottle.begin(
        sign_in_key("staff", email),
        client.ip,
        Session.filter(staff_user_id=user.id) if user else None,
    )
    if not await verify_password(user.password_hash if user else None, password) or user is None:
        await attempt.failed()
        raise InputError.single(
            ("password",), "The email or password is not correct", ErrorCode.INVALID
        )
    await attempt.succeeded()
    user.last_login_at = now()
    update_fields = ["last_login_at"]
    if needs_rehash(user.password_hash):
        user.password_hash = await hash_password(password)
        update_fields.append("password_hash")
    await user.save(update_fields=update_fields)
    token, _session = await start_session(client, staff_user=user)
    return user, token
