"""Batch loaders for groups: a contact's groups, and member counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader
from tortoise.functions import Count

from crm.core.rows import Row
from crm.groups.models import GroupMembership

_GROUP_COLUMNS = ("id", "name", "name_key", "description", "colour", "created_at", "updated_at")


async def _groups_of_contacts(contact_ids: Sequence[int]) -> list[list[Row]]:
    """Each contact's groups by name, read as plain values (a list page asks for a few dozen
    at once: ORM models would cost more than the rest of the page)."""
    by_contact: dict[int, list[Row]] = defaultdict(list)
    memberships = GroupMembership.filter(contact_id__in=list(contact_ids)).order_by(
        "group__name_key"
    )
    columns = [f"group__{column}" for column in _GROUP_COLUMNS]
    groups: dict[int, Row] = {}
    for contact_id, *values in await memberships.values_list("contact_id", *columns):
        group = groups.get(values[0])
        if group is None:
            group = groups[values[0]] = Row(dict(zip(_GROUP_COLUMNS, values, strict=True)))
        by_contact[contact_id].append(group)
    return [by_contact.get(contact_id, []) for contact_id in contact_ids]


async def _member_counts(group_ids: Sequence[int]) -> list[int]:
    rows = (
        await GroupMembership.filter(
            group_id__in=list(group_ids), contact__archived_at__isnull=True
        )
        .annotate(n=Count("id"))
        .group_by("group_id")
        .values("group_id", "n")
    )
    counts = {row["group_id"]: row["n"] for row in rows}
    return [counts.get(group_id, 0) for group_id in group_ids]


class GroupLoaders:
    @cached_property
    def of_contact(self) -> DataLoader[int, list[Row]]:
        return DataLoader(load_fn=_groups_of_contacts)

    @cached_property
    def member_count(self) -> DataLoader[int, int]:
        return DataLoader(load_fn=_member_counts)
