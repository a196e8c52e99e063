"""Batch loaders for campaigns: the recipient counts behind a page of campaigns' stats."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from strawberry.dataloader import DataLoader
from tortoise.functions import Count

from crm.campaigns.models import CampaignRecipient


@dataclass
class RecipientCounts:
    """A campaign's recipients counted by status and reason, and those who unsubscribed."""

    by_status: dict[tuple[str, str | None], int] = field(default_factory=dict)
    unsubscribed: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def of(self, status: str, reason: str | None = None) -> int:
        return sum(
            n
            for (counted, why), n in self.by_status.items()
            if counted == status and (reason is None or why == reason)
        )


async def recipient_counts(campaign_ids: Sequence[int]) -> list[RecipientCounts]:
    """One statement for any number of campaigns (the list page shows each one's stats)."""
    rows = (
        await CampaignRecipient.filter(campaign_id__in=list(campaign_ids))
        .annotate(n=Count("id"), unsubscribed=Count("unsubscribed_at"))
        .group_by("campaign_id", "status", "reason")
        .values("campaign_id", "status", "reason", "n", "unsubscribed")
    )
    counts: dict[int, RecipientCounts] = defaultdict(RecipientCounts)
    for row in rows:
        found = counts[row["campaign_id"]]
        reason = str(row["reason"]) if row["reason"] is not None else None
        found.by_status[(str(row["status"]), reason)] = row["n"]
        found.unsubscribed += row["unsubscribed"]
    return [counts.get(campaign_id, RecipientCounts()) for campaign_id in campaign_ids]


class CampaignLoaders:
    @cached_property
    def recipient_counts(self) -> DataLoader[int, RecipientCounts]:
        return DataLoader(load_fn=recipient_counts)
