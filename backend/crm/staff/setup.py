"""The first run: while nobody has a staff account, `crm serve` prints a one-time link whose
page creates the first administrator (and names the organisation) without a command line.

The link is a `crm.auth.links` link (random token, hashed at rest, single use, a day long);
each start issues a new one and ends the earlier ones, and none is issued or accepted once a
staff account exists. `crm create-admin` remains for scripted installs.
"""

from __future__ import annotations

from datetime import timedelta

from tortoise.transactions import in_transaction

from crm.auth.links import issue_link, link_url, live_link, use_link
from crm.auth.passwords import password_problem
from crm.auth.services import ClientInfo, now, start_session
from crm.core.errors import ErrorCode, ErrorCollector, FieldError, InputError
from crm.core.text import clean
from crm.core.validation import normalize_email, text_field
from crm.organisation.services import SettingsChanges, checked_settings, update_settings
from crm.staff.models import SetupLink, StaffRole, StaffUser
from crm.staff.services import create_staff_user

SETUP_PATH = "setup"
SETUP_LINK_LIFETIME = timedelta(days=1)
NO_LONGER_VALID = (
    "This setup link is no longer valid: restart the server for a new one, or sign in if "
    "the first administrator exists"
)


async def setup_needed() -> bool:
    return not await StaffUser.exists()


async def issue_setup_link() -> str | None:
    """A new setup link while nobody has a staff account (ending earlier ones), else None."""
    if not await setup_needed():
        return None
    token, _ = await issue_link(SetupLink, SETUP_LINK_LIFETIME)
    return link_url(SETUP_PATH, token)


async def setup_link_valid(token: str | None) -> bool:
    return await setup_needed() and await live_link(SetupLink, token) is not None


async def complete_setup(
    token: str,
    *,
    organisation_name: str,
    default_country: str,
    name: str,
    email: str,
    password: str,
    client: ClientInfo,
) -> tuple[StaffUser, str]:
    """Create the first administrator from the setup link, save the organisation's name and
    country, and sign the administrator in."""
    link = await live_link(SetupLink, token)
    if link is None or not await setup_needed():
        raise InputError.single(("token",), NO_LONGER_VALID, ErrorCode.INVALID)
    settings = SettingsChanges(organisation_name=organisation_name, default_country=default_country)
    _check_everything(settings, name, email, password)
    async with in_transaction():
        await use_link(link)
        if not await setup_needed():  # another browser finished first
            raise InputError.single(("token",), NO_LONGER_VALID, ErrorCode.INVALID)
        user = await create_staff_user(email, password, name=clean(name), role=StaffRole.ADMIN)
        await update_settings(settings, user)
        user.last_login_at = now()
        await user.save(update_fields=["last_login_at"])
        session_token, _ = await start_session(client, staff_user=user)
    return user, session_token


def _check_everything(settings: SettingsChanges, name: str, email: str, password: str) -> None:
    """Every problem with the form at once, each on its field."""
    problems: list[FieldError] = []
    errors = ErrorCollector()
    text_field(name, ("name",), errors, label="Your name", max_length=200, required=True)
    address = normalize_email(email, ("email",), errors, required=True)
    problem = password_problem(password, address or email)
    if problem is not None:
        errors.add(("password",), problem, ErrorCode.INVALID)
    for check in (errors.raise_if_any, lambda: checked_settings(settings)):
        try:
            check()
        except InputError as error:
            problems += error.errors
    if problems:
        raise InputError(problems)
