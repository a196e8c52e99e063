"""Merging at once the contacts that share an email address: the certain cases.

The plan is read from the open SAME_EMAIL pairs: contacts joined by such pairs are one
person, and of each group the contact kept is the one with the best portal access, then the
oldest. Each contact paired with it (not dismissed) is merged into it by the ordinary merge,
one transaction per merge, so a long run never holds one giant transaction and a failure
costs only its own group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from crm.contacts.models import Contact
from crm.core.errors import ErrorCode, FieldError, InputError
from crm.duplicates.merge import MAX_MERGED, PORTAL_RANK, merge_contacts
from crm.duplicates.models import DuplicateReason
from crm.duplicates.services import open_candidates
from crm.timeline.services import SYSTEM, Actor

# Merges per call: a few seconds of work, so a request never runs for minutes; the caller
# asks again while some remain.
DEFAULT_BATCH = 100
MAX_BATCH = 1000


@dataclass(frozen=True)
class PlannedMerge:
    keep_id: int
    merge_ids: tuple[int, ...]


@dataclass
class BulkOutcome:
    merged: int = 0
    remaining: int = 0
    failures: list[FieldError] = field(default_factory=list)


async def same_email_plan() -> list[PlannedMerge]:
    """The merges that would bring every open SAME_EMAIL pair together, kept id order (at
    most MAX_MERGED contacts per merge: a larger group takes several)."""
    pairs = (
        await open_candidates()
        .filter(reasons__contains=DuplicateReason.SAME_EMAIL.value)
        .values_list("low_contact_id", "high_contact_id")
    )
    paired: dict[int, set[int]] = defaultdict(set)
    for low, high in pairs:
        paired[low].add(high)
        paired[high].add(low)
    rank = await _keeping_rank(paired)
    plan: list[PlannedMerge] = []
    for group in _groups(paired):
        keep_id = min(group, key=rank.__getitem__)
        others = sorted(paired[keep_id])
        for start in range(0, len(others), MAX_MERGED):
            plan.append(PlannedMerge(keep_id, tuple(others[start : start + MAX_MERGED])))
    plan.sort(key=lambda step: (step.keep_id, step.merge_ids))
    return plan


async def same_email_count() -> int:
    """How many contacts `merge_same_email` would merge into another."""
    return sum(len(step.merge_ids) for step in await same_email_plan())


async def merge_same_email(limit: int = DEFAULT_BATCH, *, actor: Actor = SYSTEM) -> BulkOutcome:
    """Carry out the first `limit` merges of the plan; how many contacts were merged, how
    many remain, and why a merge failed (its contacts are left as they were)."""
    if not 1 <= limit <= MAX_BATCH:
        message = f"Merge between 1 and {MAX_BATCH} groups at a time"
        raise InputError.single(("limit",), message, ErrorCode.INVALID)
    outcome = BulkOutcome()
    for step in (await same_email_plan())[:limit]:
        try:
            await merge_contacts(step.keep_id, step.merge_ids, actor=actor)
        except InputError as error:
            outcome.failures.append(await _failure(step, error))
        else:
            outcome.merged += len(step.merge_ids)
    outcome.remaining = await same_email_count()
    return outcome


async def _keeping_rank(contact_ids: Iterable[int]) -> dict[int, tuple[int, object, int]]:
    """Sorts the contact to keep first: the best portal access, then the oldest."""
    rows = await Contact.filter(id__in=list(contact_ids)).values_list(
        "id", "portal_status", "created_at"
    )
    return {
        contact_id: (-PORTAL_RANK[status], created_at, contact_id)
        for contact_id, status, created_at in rows
    }


def _groups(paired: dict[int, set[int]]) -> list[set[int]]:
    """The contacts joined by pairs, each group once."""
    seen: set[int] = set()
    groups: list[set[int]] = []
    for start in sorted(paired):
        if start in seen:
            continue
        group, waiting = {start}, [start]
        while waiting:
            for other in paired[waiting.pop()] - group:
                group.add(other)
                waiting.append(other)
        seen |= group
        groups.append(group)
    return groups


async def _failure(step: PlannedMerge, error: InputError) -> FieldError:
    kept = await Contact.get_or_none(id=step.keep_id)
    who = kept.full_name if kept is not None else "A contact"
    reason = "; ".join(problem.message for problem in error.errors)
    message = f"{who} and their duplicates were not merged: {reason}"
    return FieldError(None, message, error.errors[0].code)
