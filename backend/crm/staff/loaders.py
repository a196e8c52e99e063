"""Batch loaders for staff users: the owners of a page of contacts or companies, the
assignees, completers and creators of a page of tasks (one loader, so a page reads them once)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader

from crm.staff.models import StaffUser


async def _staff_by_id(staff_ids: Sequence[int]) -> list[StaffUser | None]:
    found = {user.id: user for user in await StaffUser.filter(id__in=list(staff_ids))}
    return [found.get(staff_id) for staff_id in staff_ids]


class StaffLoaders:
    @cached_property
    def by_id(self) -> DataLoader[int, StaffUser | None]:
        return DataLoader(load_fn=_staff_by_id)
