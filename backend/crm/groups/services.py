"""The rules for groups: unique names, and bulk, idempotent membership changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from crm.contacts.models import Contact
from crm.core.bulk import insert_sql
from crm.core.errors import ErrorCode, ErrorCollector, FieldError, InputError
from crm.core.inputs import UNSET, Maybe, is_set
from crm.core.text import fold
from crm.core.unique import save_named
from crm.core.validation import text_field
from crm.db import connection, dialect
from crm.groups.models import Group, GroupMembership

MAX_CONTACTS_PER_CALL = 10_000
MEMBERSHIP_COLUMNS = ("group_id", "contact_id", "added_at")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass
class GroupChanges:
    name: Maybe[str | None] = UNSET
    description: Maybe[str | None] = UNSET
    colour: Maybe[str | None] = UNSET


@dataclass
class MembershipResult:
    group: Group
    changed: int
    # Positions in the given list that name no contact: reported, the rest still applied.
    unknown: list[FieldError]


async def get_group(group_id: int, field: str = "id") -> Group:
    group = await Group.get_or_none(id=group_id)
    if group is None:
        raise InputError.single((field,), "No group has this id", ErrorCode.NOT_FOUND)
    return group


def _apply(group: Group, changes: GroupChanges) -> None:
    errors = ErrorCollector()
    if is_set(changes.name):
        name = text_field(
            changes.name, ("name",), errors, label="Name", max_length=100, required=True
        )
        if name is not None:
            group.name = name
            group.name_key = fold(name)
    if is_set(changes.description):
        group.description = text_field(
            changes.description,
            ("description",),
            errors,
            label="Description",
            max_length=2000,
            multiline=True,
        )
    if is_set(changes.colour):
        colour = (changes.colour or "").strip()
        if colour and not _COLOUR.match(colour):
            errors.add(("colour",), "Colour must look like #1f8a70", ErrorCode.INVALID)
        group.colour = colour.lower() or None
    errors.raise_if_any()


async def create_group(changes: GroupChanges) -> Group:
    group = Group(name="", name_key="")
    if not is_set(changes.name):
        changes.name = None
    _apply(group, changes)
    return await save_named(group, "group")


async def update_group(group_id: int, changes: GroupChanges) -> Group:
    group = await get_group(group_id)
    _apply(group, changes)
    return await save_named(group, "group")


async def delete_group(group_id: int) -> Group:
    """Delete the group; its members stay, only their membership goes."""
    group = await get_group(group_id)
    await group.delete()
    return group


def _check_size(contact_ids: list[int]) -> None:
    if len(contact_ids) > MAX_CONTACTS_PER_CALL:
        raise InputError.single(
            ("contactIds",),
            f"Send at most {MAX_CONTACTS_PER_CALL:,} contacts at once",
            ErrorCode.TOO_MANY,
        )


async def _known(contact_ids: list[int]) -> tuple[list[int], list[FieldError]]:
    """The ids that name contacts, and a NOT_FOUND error for each position that does not."""
    wanted = set(contact_ids)
    existing: set[int] = set()
    ids = list(wanted)
    for start in range(0, len(ids), 900):
        existing.update(
            await Contact.filter(id__in=ids[start : start + 900]).values_list("id", flat=True)
        )
    unknown = [
        FieldError(("contactIds", str(index)), "No contact has this id", ErrorCode.NOT_FOUND)
        for index, pk in enumerate(contact_ids)
        if pk not in existing
    ]
    return sorted(existing), unknown


async def add_contacts(group_id: int, contact_ids: list[int]) -> MembershipResult:
    """Add the contacts; members already in the group are left as they are."""
    _check_size(contact_ids)
    group = await get_group(group_id, "groupId")
    known, unknown = await _known(contact_ids)
    sql = insert_sql(dialect(), "group_membership", MEMBERSHIP_COLUMNS, ignore_conflicts=True)
    added_at = datetime.now(UTC)
    async with in_transaction():
        before = await GroupMembership.filter(group_id=group.id).count()
        if known:
            await connection().execute_many(sql, [[group.id, pk, added_at] for pk in known])
        after = await GroupMembership.filter(group_id=group.id).count()
    return MembershipResult(group, after - before, unknown)


async def remove_contacts(group_id: int, contact_ids: list[int]) -> MembershipResult:
    _check_size(contact_ids)
    group = await get_group(group_id, "groupId")
    known, unknown = await _known(contact_ids)
    removed = 0
    async with in_transaction():
        for start in range(0, len(known), 900):
            removed += await GroupMembership.filter(
                group_id=group.id, contact_id__in=known[start : start + 900]
            ).delete()
    return MembershipResult(group, removed, unknown)
