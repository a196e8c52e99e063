"""Batch loaders for secure messages: each contact's unread count, for the contacts list."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader

from crm.messages.services import unread_counts_by_staff


async def _unread_by_staff(contact_ids: Sequence[int]) -> list[int]:
    counts = await unread_counts_by_staff(contact_ids)
    return [counts.get(contact_id, 0) for contact_id in contact_ids]


class MessageLoaders:
    @cached_property
    def unread_by_staff(self) -> DataLoader[int, int]:
        return DataLoader(load_fn=_unread_by_staff)
