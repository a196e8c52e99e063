"""Which optional columns each staff user shows in a list, and in what order.

Kept in `StaffUser.preferences` (`{"listColumns": {"CONTACTS": [...]}}`) so the choice follows
the user from one browser to another. The name column is always shown and is not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from crm.core.errors import ErrorCode, InputError
from crm.staff.models import StaffUser

_PREFERENCE = "listColumns"


class ListName(StrEnum):
    CONTACTS = "CONTACTS"
    COMPANIES = "COMPANIES"


@dataclass(frozen=True)
class ListColumns:
    known: tuple[str, ...]
    default: tuple[str, ...]


COLUMNS: dict[ListName, ListColumns] = {
    ListName.CONTACTS: ListColumns(
        known=(
            "company",
            "jobTitle",
            "type",
            "status",
            "owner",
            "email",
            "phone",
            "city",
            "country",
            "portal",
            "lastContacted",
            "created",
            "updated",
        ),
        default=("company", "type", "status", "email", "phone", "portal", "lastContacted"),
    ),
    ListName.COMPANIES: ListColumns(
        known=(
            "industry",
            "phone",
            "website",
            "contacts",
            "primaryContact",
            "owner",
            "city",
            "country",
            "created",
        ),
        default=("industry", "phone", "website", "contacts", "primaryContact", "created"),
    ),
}


def list_columns(user: StaffUser, name: ListName) -> list[str]:
    """The columns `user` chose for the list, or the list's default ones.

    A column the app no longer has is left out, so an old choice never breaks the list."""
    chosen = _chosen(user.preferences).get(name.value)
    if not isinstance(chosen, list):
        return list(COLUMNS[name].default)
    known = COLUMNS[name].known
    return [column for column in chosen if column in known]


async def set_list_columns(user: StaffUser, name: ListName, columns: list[str] | None) -> list[str]:
    """Keep `columns` (in order) as the user's choice for the list; None goes back to the
    default columns."""
    if columns is not None:
        _check(name, columns)
    async with in_transaction():
        # Read again under a lock: the preferences hold other choices that a concurrent
        # change (another list's columns) must not lose.
        row = await StaffUser.select_for_update().get(id=user.id)
        preferences = dict(row.preferences) if isinstance(row.preferences, dict) else {}
        chosen = dict(_chosen(preferences))
        if columns is None:
            chosen.pop(name.value, None)
        else:
            chosen[name.value] = list(columns)
        preferences[_PREFERENCE] = chosen
        row.preferences = preferences
        await row.save(update_fields=["preferences"])
    user.preferences = preferences
    return list_columns(user, name)


def _chosen(preferences: Any) -> dict[str, Any]:
    if not isinstance(preferences, dict):
        return {}
    chosen = preferences.get(_PREFERENCE)
    return chosen if isinstance(chosen, dict) else {}


def _check(name: ListName, columns: list[str]) -> None:
    known = COLUMNS[name].known
    field = ("columns",)
    if len(columns) > len(known):
        raise InputError.single(
            field, f"At most {len(known)} columns can be shown", ErrorCode.TOO_MANY
        )
    unknown = [column for column in columns if column not in known]
    if unknown:
        raise InputError.single(
            field,
            f"Unknown column {unknown[0][:50]!r}; the list has {', '.join(known)}",
            ErrorCode.INVALID,
        )
    if len(set(columns)) != len(columns):
        raise InputError.single(field, "A column is listed twice", ErrorCode.DUPLICATE)
