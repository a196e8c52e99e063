"""The rules for groups: unique names, and bulk, idempotent membership changes, each
recorded on the timeline of the contacts whose membership really changed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from crm.core.bulk import id_list, id_table
from crm.core.errors import ErrorCode, ErrorCollector, FieldError, InputError
from crm.core.inputs import UNSET, Maybe, is_set
from crm.core.text import fold
from crm.core.unique import save_named
from crm.core.validation import text_field
from crm.db import connection, dialect
from crm.groups.models import Group, GroupMembership
from crm.timeline.bulk import record_for_contacts
from crm.timeline.models import TimelineKind
from crm.timeline.services import Actor

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


async def delete_group(group_id: int, actor: Actor) -> Group:
    """Delete the group; its members stay, only their membership goes (recorded)."""
    group = await get_group(group_id)
    async with in_transaction():
        members = await GroupMembership.filter(group_id=group.id).values_list(
            "contact_id", flat=True
        )
        await group.delete()
        await record_for_contacts(
            actor, TimelineKind.REMOVED_FROM_GROUP, members, {"group": group.name}
        )
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
    sql_dialect = dialect()
    rows = await connection().execute_query_dict(
        f"SELECT id FROM contact WHERE id IN (SELECT id FROM {id_table(sql_dialect, 1)})",
        [id_list(sql_dialect, sorted(set(contact_ids)))],
    )
    existing = {row["id"] for row in rows}
    unknown = [
        FieldError(("contactIds", str(index)), "No contact has this id", ErrorCode.NOT_FOUND)
        for index, pk in enumerate(contact_ids)
        if pk not in existing
    ]
    return sorted(existing), unknown


async def add_contacts(group_id: int, contact_ids: list[int], actor: Actor) -> MembershipResult:
    """Add the contacts; members already in the group are left as they are, and nothing is
    recorded for them."""
    return await _change_members(group_id, contact_ids, actor, TimelineKind.ADDED_TO_GROUP)


async def remove_contacts(group_id: int, contact_ids: list[int], actor: Actor) -> MembershipResult:
    return await _change_members(group_id, contact_ids, actor, TimelineKind.REMOVED_FROM_GROUP)


async def _change_members(
    group_id: int, contact_ids: list[int], actor: Actor, kind: TimelineKind
) -> MembershipResult:
    _check_size(contact_ids)
    group = await get_group(group_id, "groupId")
    known, unknown = await _known(contact_ids)
    change = _insert if kind == TimelineKind.ADDED_TO_GROUP else _delete
    async with in_transaction():
        changed = await change(group.id, known) if known else []
        await record_for_contacts(actor, kind, changed, {"group": group.name})
    return MembershipResult(group, len(changed), unknown)


# One statement for any number of contacts; RETURNING names exactly the memberships it
# changed, even when another request changes the same ones at the same moment.


async def _insert(group_id: int, contact_ids: list[int]) -> list[int]:
    sql_dialect = dialect()
    group, moment = ("?1", "?2") if sql_dialect == "sqlite" else ("$1::int", "$2::timestamptz")
    rows = await connection().execute_query_dict(
        # WHERE true: SQLite would otherwise read ON CONFLICT as the ON of a join.
        "INSERT INTO group_membership (group_id, contact_id, added_at) "
        f"SELECT {group}, id, {moment} FROM {id_table(sql_dialect, 3)} WHERE true "
        "ON CONFLICT DO NOTHING RETURNING contact_id",
        [group_id, datetime.now(UTC), id_list(sql_dialect, contact_ids)],
    )
    return [row["contact_id"] for row in rows]


async def _delete(group_id: int, contact_ids: list[int]) -> list[int]:
    sql_dialect = dialect()
    group = "?1" if sql_dialect == "sqlite" else "$1::int"
    rows = await connection().execute_query_dict(
        f"DELETE FROM group_membership WHERE group_id = {group} "
        f"AND contact_id IN (SELECT id FROM {id_table(sql_dialect, 2)}) RETURNING contact_id",
        [group_id, id_list(sql_dialect, contact_ids)],
    )
    return [row["contact_id"] for row in rows]
