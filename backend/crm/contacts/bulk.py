"""Contact and phone rows as the bulk writers insert them (demo data, the importer)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from crm.contacts.models import Contact
from crm.core.validation import ParsedPhone

CONTACT_COLUMNS = (
    "id", "title", "first_name", "last_name", "email", "email_key", "type", "status",
    "job_title", "company_id", "owner_id", "is_primary_contact", "portal_status",
    "archived_at", "last_contacted_at", "sort_name", "search_text", "avatar_version",
    "email_opt_in", "email_opt_in_at", "email_opt_in_source",
    "sms_opt_in", "sms_opt_in_at", "sms_opt_in_source",
    "phone_opt_in", "phone_opt_in_at", "phone_opt_in_source",
    "post_opt_in", "post_opt_in_at", "post_opt_in_source",
    "address_line1", "address_line2", "city", "city_key", "region", "postal_code", "country",
    "created_at", "updated_at",
)  # fmt: skip
# Contact columns the bulk writers leave to their defaults (a test keeps this list complete, so
# a new column is a conscious choice here).
CONTACT_DEFAULTED = frozenset(
    {"portal_invited_at", "portal_last_invited_at", "portal_activated_at", "portal_last_login_at"}
)
PHONE_COLUMNS = (
    "contact_id", "type", "e164", "country", "national", "international", "is_primary",
    "position",
)  # fmt: skip


def _db_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def contact_row(contact: Contact) -> tuple[Any, ...]:
    """The values of CONTACT_COLUMNS for an unsaved contact whose id is already chosen."""
    values = contact.__dict__  # tortoise keeps field values as plain instance attributes
    return tuple(
        _db_value(values[column] if column in values else _DEFAULTS[column])
        for column in CONTACT_COLUMNS
    )


# The model's defaults, for the columns a new contact was not given.
_DEFAULTS = {name: field.default for name, field in Contact._meta.fields_map.items()}


def phone_row(
    contact_id: int, position: int, kind: Any, parsed: ParsedPhone, is_primary: bool
) -> tuple[Any, ...]:
    """A PHONE_COLUMNS row straight from a parsed number (no model object on the way)."""
    return (
        contact_id,
        _db_value(kind),
        parsed.e164,
        parsed.country,
        parsed.national,
        parsed.international,
        is_primary,
        position,
    )
