"""Batch loaders for portal data: each contact's invitations, newest first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader

from crm.portal.models import Invitation


async def _invitations_of_contacts(contact_ids: Sequence[int]) -> list[list[Invitation]]:
    by_contact: dict[int, list[Invitation]] = defaultdict(list)
    for invitation in (
        await Invitation.filter(contact_id__in=list(contact_ids))
        .select_related("message")
        .order_by("-id")
    ):
        by_contact[invitation.contact_id].append(invitation)
    return [by_contact.get(contact_id, []) for contact_id in contact_ids]


class PortalLoaders:
    @cached_property
    def invitations(self) -> DataLoader[int, list[Invitation]]:
        return DataLoader(load_fn=_invitations_of_contacts)
