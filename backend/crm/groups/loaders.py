"""Batch loaders for groups: a contact's groups, and member counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader
from tortoise.functions import Count

from crm.groups.models import Group, GroupMembership


async def _groups_of_contacts(contact_ids: Sequence[int]) -> list[list[Group]]:
    by_contact: dict[int, list[Group]] = defaultdict(list)
    for membership in await GroupMembership.filter(contact_id__in=list(contact_ids)).select_related(
        "group"
    ):
        by_contact[membership.contact_id].append(membership.group)
    return [
        sorted(by_contact.get(contact_id, []), key=lambda g: g.name_key)
        for contact_id in contact_ids
    ]


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
    def of_contact(self) -> DataLoader[int, list[Group]]:
        return DataLoader(load_fn=_groups_of_contacts)

    @cached_property
    def member_count(self) -> DataLoader[int, int]:
        return DataLoader(load_fn=_member_counts)
