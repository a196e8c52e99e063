"""The organisation's settings: the environment's values, and what an admin changed in the app.

Saved settings live in one database row (`StoredSettings`), so every app process and worker
sees the same ones. Each process keeps them in memory (`crm.settings.live`) and reads the row
again at the start of a request or of a background batch when it was told of a change
(PostgreSQL's NOTIFY, `crm.organisation.changes`) or REFRESH_SECONDS have passed: a change
made in one process is in effect at once in it and, on PostgreSQL, in the others at their
next request. An update writes only the fields it was given, so two admins changing
different fields at once both keep their change.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import formataddr, parseaddr
from typing import Any

from tortoise.exceptions import ConfigurationError, OperationalError

from crm.core.errors import ErrorCode, ErrorCollector
from crm.core.inputs import UNSET, Maybe, is_set
from crm.core.text import clean
from crm.core.validation import normalize_email, text_field
from crm.db import connection, dialect
from crm.organisation.models import SETTINGS_ROW, StoredSettings
from crm.settings import Settings, environment_settings, is_country, use_stored_settings
from crm.staff.models import StaffUser

log = logging.getLogger("crm.organisation")

REFRESH_SECONDS = 2.0
SETTINGS_CHANNEL = "crm_settings"
_SETTINGS_COLUMNS = (
    "id", "organisation_name", "default_country", "invite_expiry_days", "sms_enabled",
    "mail_from_name", "mail_from_address", "has_logo", "logo_version",
)  # fmt: skip
MIN_EXPIRY_DAYS, MAX_EXPIRY_DAYS = 1, 90
_read_at = float("-inf")


@dataclass
class SettingsChanges:
    """Given fields change; None puts a field back to the environment's value."""

    organisation_name: Maybe[str | None] = UNSET
    default_country: Maybe[str | None] = UNSET
    invite_expiry_days: Maybe[int | None] = UNSET
    sms_enabled: Maybe[bool | None] = UNSET
    mail_from_name: Maybe[str | None] = UNSET
    mail_from_address: Maybe[str | None] = UNSET


@dataclass(frozen=True)
class Sender:
    name: str
    address: str


def sender_of(settings: Settings) -> Sender:
    name, address = parseaddr(settings.mail_from)
    return Sender(name, address)


def effective_mail_from(row: StoredSettings, base: Settings) -> str:
    default = sender_of(base)
    name = row.mail_from_name if row.mail_from_name is not None else default.name
    address = row.mail_from_address if row.mail_from_address is not None else default.address
    return formataddr((name, address))


def stored_values(row: StoredSettings | None) -> dict[str, Any]:
    """The Settings fields the row overrides."""
    if row is None:
        return {}
    values: dict[str, Any] = {
        name: getattr(row, name)
        for name in ("organisation_name", "default_country", "invite_expiry_days", "sms_enabled")
        if getattr(row, name) is not None
    }
    if row.mail_from_name is not None or row.mail_from_address is not None:
        values["mail_from"] = effective_mail_from(row, environment_settings())
    if row.has_logo:
        values["logo_version"] = row.logo_version
    return values


async def refresh_stored_settings(*, force: bool = False) -> None:
    """Read the saved settings again if they are older than REFRESH_SECONDS (or `force`)."""
    global _read_at
    moment = time.monotonic()
    if not force and moment - _read_at < REFRESH_SECONDS:
        return
    _read_at = moment
    try:
        # Not the logo itself: it is read only when served.
        row = await StoredSettings.get_or_none(id=SETTINGS_ROW).only(*_SETTINGS_COLUMNS)
    except (OperationalError, ConfigurationError) as error:
        # Not migrated yet, or no database in this process: the environment's settings hold.
        log.debug("saved settings not read: %s", error)
        return
    use_stored_settings(stored_values(row))


async def announce_settings_changed() -> None:
    """Tell the other processes the saved settings changed (call it with or after the write:
    PostgreSQL delivers the notice when the transaction commits; see crm.organisation.changes)."""
    if dialect() == "postgres":
        await connection().execute_script(f"NOTIFY {SETTINGS_CHANNEL}")


def forget_read_time() -> None:
    """Read the saved settings again at the next chance (another process changed them)."""
    global _read_at
    _read_at = float("-inf")


def forget_stored_settings() -> None:
    """Back to the environment's settings until the next read (tests empty the database)."""
    global _read_at
    _read_at = float("-inf")
    use_stored_settings({})


def checked_settings(changes: SettingsChanges) -> dict[str, Any]:
    errors = ErrorCollector()
    values: dict[str, Any] = {}
    if is_set(changes.organisation_name):
        values["organisation_name"] = (
            None
            if changes.organisation_name is None
            else text_field(
                changes.organisation_name,
                ("organisationName",),
                errors,
                label="Organisation name",
                max_length=200,
                required=True,
            )
        )
    if is_set(changes.default_country):
        code = clean(changes.default_country).upper() if changes.default_country else None
        if code is not None and not is_country(code):
            errors.add(("defaultCountry",), "Choose a country from the list", ErrorCode.INVALID)
        values["default_country"] = code
    if is_set(changes.invite_expiry_days):
        days = changes.invite_expiry_days
        if days is not None and not MIN_EXPIRY_DAYS <= days <= MAX_EXPIRY_DAYS:
            errors.add(
                ("inviteExpiryDays",),
                f"Give a number of days from {MIN_EXPIRY_DAYS} to {MAX_EXPIRY_DAYS}",
                ErrorCode.INVALID,
            )
        values["invite_expiry_days"] = days
    if is_set(changes.sms_enabled):
        values["sms_enabled"] = changes.sms_enabled
    if is_set(changes.mail_from_name):
        values["mail_from_name"] = (
            None
            if changes.mail_from_name is None
            else text_field(
                changes.mail_from_name, ("mailFromName",), errors, label="Sender name",
                max_length=200,
            ) or ""
        )  # fmt: skip
    if is_set(changes.mail_from_address):
        values["mail_from_address"] = (
            None
            if changes.mail_from_address is None
            else normalize_email(
                changes.mail_from_address, ("mailFromAddress",), errors, required=True
            )
        )
    errors.raise_if_any()
    return values


async def update_settings(changes: SettingsChanges, by: StaffUser | None) -> None:
    """Save the given settings (only those: the others stay as they are, whoever changed
    them meanwhile); in effect at once in this process, within seconds in the others."""
    values = checked_settings(changes)
    if values:
        await StoredSettings.get_or_create(id=SETTINGS_ROW)
        await StoredSettings.filter(id=SETTINGS_ROW).update(
            **values, updated_at=datetime.now(UTC), updated_by_id=by.id if by else None
        )
        await announce_settings_changed()
    await refresh_stored_settings(force=True)


async def stored_settings() -> StoredSettings:
    """The saved row (an empty one when nothing was ever saved)."""
    return await StoredSettings.get_or_none(id=SETTINGS_ROW) or StoredSettings(id=SETTINGS_ROW)
