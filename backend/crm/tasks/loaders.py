"""Batch loaders for tasks: the staff users they name (assignees, who completed them)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader

from crm.staff.models import StaffUser


async def _staff_by_id(staff_ids: Sequence[int]) -> list[StaffUser | None]:
    found = {user.id: user for user in await StaffUser.filter(id__in=list(staff_ids))}
    return [found.get(staff_id) for staff_id in staff_ids]


class TaskLoaders:
    @cached_property
    def staff_by_id(self) -> DataLoader[int, StaffUser | None]:
        """One loader for assignees and completers alike, so a page reads staff once."""
        return DataLoader(load_fn=_staff_by_id)
