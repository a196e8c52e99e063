"""Sending a campaign: the runner that queues a message per recipient in the outbox.

Scheduled campaigns are a `crm.jobs.queue.Queue`: a runner (in `crm serve` and `crm worker`)
claims a due one under a lease and walks its audience part by part, contacts in id order,
2,000 at a time. Each batch is one transaction: the recipients (queued, or skipped and why)
with their outbox messages, and how far the walk got. A runner that dies is taken over when
its lease runs out and goes on from there, so nobody is queued twice; a cancelled campaign
stops at the next batch. Messages are queued as bulk mail (lower priority than invitations
and resets) and written when sent (`crm.campaigns.delivery`): the outbox keeps no copy.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import make_msgid
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from crm.campaigns.models import (
    Campaign,
    CampaignPart,
    CampaignRecipient,
    CampaignStatus,
    PartKind,
    RecipientStatus,
    SkipReason,
)
from crm.campaigns.templates import compile_email
from crm.contacts.filters import filtered_contacts
from crm.contacts.models import Contact
from crm.core.bulk import insert_sql, reserve_ids
from crm.db import dialect
from crm.groups.models import GroupMembership
from crm.jobs.queue import Lease, Queue, new_worker_id
from crm.jobs.runner import Runner
from crm.jobs.wake import wake
from crm.mail.models import MessageKind, MessageStatus, OutboxMessage
from crm.mail.services import sender_domain, wake_worker
from crm.segments.services import spec_from_json
from crm.settings import get_settings

log = logging.getLogger("crm.campaigns")

KIND = "campaigns"
BATCH = 2000
LEASE_SECONDS = 60
POLL_SECONDS = 5.0
GRACE_SECONDS = 10.0
BULK_PRIORITY = 1
# The single contacts of an audience are walked last, as one source.
CONTACTS_SOURCE = 2**31 - 1

CAMPAIGNS = Queue(
    table="campaign",
    # Due, or handed back part-way by a runner that was stopped (it holds no lease then).
    waiting="(status = 'SCHEDULED' AND scheduled_at <= :now) "
    "OR (status = 'SENDING' AND queued_at IS NULL AND claimed_by IS NULL)",
    in_hand="status = 'SENDING' AND queued_at IS NULL",
    on_claim="status = 'SENDING', started_at = coalesce(started_at, :now)",
)
_CONTACT_VALUES = (
    "id", "email", "email_key", "archived_at", "email_opt_in", "first_name", "last_name",
    "company__name",
)  # fmt: skip
_OUTBOX_COLUMNS = (
    "id", "kind", "to_address", "to_name", "subject", "text_body", "html_body", "message_id",
    "status", "attempts", "next_attempt_at", "contact_id", "priority", "created_at",
    "updated_at",
)  # fmt: skip
_RECIPIENT_COLUMNS = (
    "id", "campaign_id", "contact_id", "email", "email_key", "status", "reason", "message_id",
)  # fmt: skip


def wake_campaigns() -> None:
    wake(KIND)


class Lost(Exception):
    """The campaign was cancelled, or taken over by another runner: stop writing."""


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Source:
    key: int  # the part's id, or CONTACTS_SOURCE
    contacts: QuerySet[Contact]
    # A group's members (a group part, or a segment that filters on a group) are walked in
    # the membership index's contact order, `contacts` filtering each batch of them. Walked
    # as contacts joined to or `IN` the members, each batch read all the members again
    # (SQLite listed or sorted them, PostgreSQL merged from the first): quadratic.
    group_id: int | None = None


def sources(parts: list[CampaignPart]) -> Iterator[Source]:
    """The audience's parts in the order they are walked: groups and segments by part id,
    then the single contacts together. A deleted group or segment names nobody."""
    for part in sorted(parts, key=lambda part: part.id):
        if part.kind == PartKind.GROUP and part.group_id is not None:
            yield Source(part.id, Contact.all(), group_id=part.group_id)
        elif part.kind == PartKind.SEGMENT and part.segment is not None:
            spec = spec_from_json(part.segment.filter_json)
            spec.archived = None  # archived contacts are counted, as skipped
            group_id, spec.group_id = spec.group_id, None
            yield Source(part.id, filtered_contacts(spec, part.segment.search), group_id)
    if any(part.kind == PartKind.CONTACT for part in parts):
        chosen = [part.contact_id for part in parts if part.kind == PartKind.CONTACT]
        yield Source(CONTACTS_SOURCE, Contact.filter(id__in=chosen))


def skip_reason(row: dict[str, Any]) -> SkipReason | None:
    if row["archived_at"] is not None:
        return SkipReason.ARCHIVED
    if not row["email"]:
        return SkipReason.NO_EMAIL
    if not row["email_opt_in"]:
        return SkipReason.NO_CONSENT
    return None


class CampaignRunner:
    def __init__(self, owner: str | None = None) -> None:
        self.lease = CAMPAIGNS.lease(owner or new_worker_id(), LEASE_SECONDS)

    def runner(self) -> Runner:
        return Runner(
            kind=KIND,
            name=f"campaign runner {self.lease.owner}",
            run_once=self.run_once,
            poll_seconds=POLL_SECONDS,
            grace_seconds=GRACE_SECONDS,
            log=log,
        )

    async def run_once(self, stop: asyncio.Event | None = None) -> int:
        """Mark the campaigns whose recipients were all handled as SENT, then queue the next
        due campaign's audience; how many campaigns were queued (0 or 1)."""
        await finish_sent_campaigns()
        await take_back_cancelled_retries()
        claimed = await self.lease.claim(1)
        if not claimed:
            return 0
        campaign = await Campaign.get(id=claimed[0]["id"])
        try:
            await queue_audience(campaign, self.lease, stop)
        except Lost:
            log.info("campaign %s: stopped queueing (cancelled or taken over)", campaign.id)
        return 1


async def queue_audience(campaign: Campaign, lease: Lease, stop: asyncio.Event | None) -> None:
    compiled = compile_email(campaign.subject, campaign.body)
    parts = await CampaignPart.filter(campaign_id=campaign.id).select_related("segment")
    for source in sources(parts):
        if source.key < campaign.queued_part:
            continue
        after = campaign.queued_to_contact if source.key == campaign.queued_part else 0
        while True:
            if stop is not None and stop.is_set():
                await lease.release([campaign.id])
                return
            rows, walked = await _next_batch(source, after)
            if walked is None:
                break
            after = walked
            if rows:
                await _queue_batch(campaign, lease, source.key, rows, compiled, walked)
                campaign.queued_part, campaign.queued_to_contact = source.key, walked
    await _all_queued(campaign, lease)


async def _next_batch(source: Source, after: int) -> tuple[list[dict[str, Any]], int | None]:
    """The source's next contacts after contact id `after`, in id order, and the last id
    walked (None when the walk is over)."""
    if source.group_id is None:
        rows = await (
            source.contacts.filter(id__gt=after)
            .order_by("id")
            .limit(BATCH)
            .values(*_CONTACT_VALUES)
        )
        return rows, rows[-1]["id"] if rows else None
    members = await (
        GroupMembership.filter(group_id=source.group_id, contact_id__gt=after)
        .order_by("contact_id")
        .limit(BATCH)
        .values_list("contact_id", flat=True)
    )
    if not members:
        return [], None
    rows = await source.contacts.filter(id__in=members).order_by("id").values(*_CONTACT_VALUES)
    return rows, members[-1]


async def _queue_batch(
    campaign: Campaign,
    lease: Lease,
    key: int,
    rows: list[dict[str, Any]],
    compiled: Any,
    walked: int,
) -> None:
    sql_dialect = dialect()
    async with in_transaction() as conn:
        if not await lease.renew([campaign.id], conn):
            raise Lost
        fresh = await _not_yet_named(conn, campaign.id, rows)
        queued = [row for row in fresh if skip_reason(row) is None]
        message_ids = await reserve_ids(conn, sql_dialect, "outbox_message", len(queued))
        moment = now()
        domain = sender_domain(get_settings())
        outbox = [
            _outbox_row(pk, row, compiled, moment, domain)
            for pk, row in zip(message_ids, queued, strict=True)
        ]
        if outbox:
            insert = insert_sql(sql_dialect, "outbox_message", _OUTBOX_COLUMNS)
            await conn.execute_many(insert, outbox)
        message_of = dict(zip((row["id"] for row in queued), message_ids, strict=True))
        recipient_ids = await reserve_ids(conn, sql_dialect, "campaign_recipient", len(fresh))
        recipients = [
            _recipient_row(pk, campaign.id, row, message_of.get(row["id"]))
            for pk, row in zip(recipient_ids, fresh, strict=True)
        ]
        if recipients:
            await conn.execute_many(
                insert_sql(sql_dialect, "campaign_recipient", _RECIPIENT_COLUMNS), recipients
            )
        moved = await _progress(conn, campaign, lease, key, walked)
        if not moved:
            raise Lost
    if outbox:
        wake_worker()


async def _not_yet_named(
    conn: BaseDBAsyncClient, campaign_id: int, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows whose contact and address have no recipient row yet. A contact named by an
    earlier part (or an earlier run of this one) has one; so may its address, under another
    contact that had it then (an address moved while the campaign was being queued)."""
    ids = [row["id"] for row in rows]
    keys = [row["email_key"] for row in rows if row["email_key"]]
    known = await (
        CampaignRecipient.filter(campaign_id=campaign_id)
        .filter(Q(contact_id__in=ids) | Q(email_key__in=keys))
        .using_db(conn)
        .values_list("contact_id", "email_key")
    )
    contacts = {contact_id for contact_id, _ in known}
    addresses = {key for _, key in known if key}
    return [row for row in rows if row["id"] not in contacts and row["email_key"] not in addresses]


def _outbox_row(
    pk: int, row: dict[str, Any], compiled: Any, moment: datetime, domain: str
) -> tuple[Any, ...]:
    full_name = f"{row['first_name']} {row['last_name']}".strip()
    values = merge_values(row["first_name"], row["last_name"], row["company__name"])
    subject = compiled.render_subject(values)
    return (
        pk, MessageKind.CAMPAIGN.value, row["email"], full_name[:200], subject[:500], "", "",
        make_msgid(domain=domain), MessageStatus.QUEUED.value, 0, moment, row["id"],
        BULK_PRIORITY, moment, moment,
    )  # fmt: skip


def _recipient_row(
    pk: int, campaign_id: int, row: dict[str, Any], message_id: int | None
) -> tuple[Any, ...]:
    reason = skip_reason(row)
    status = RecipientStatus.SKIPPED if reason is not None else RecipientStatus.QUEUED
    return (
        pk, campaign_id, row["id"], row["email"] or "", row["email_key"], status.value,
        reason.value if reason is not None else None, message_id,
    )  # fmt: skip


def merge_values(first_name: str, last_name: str, company: str | None) -> dict[str, str]:
    return {
        "first_name": first_name or "",
        "last_name": last_name or "",
        "full_name": f"{first_name} {last_name}".strip(),
        "company": company or "",
    }


async def _progress(
    conn: BaseDBAsyncClient, campaign: Campaign, lease: Lease, key: int, last: int
) -> bool:
    """Record how far the walk got; False when the campaign is no longer this runner's to
    send (cancelled meanwhile)."""
    return bool(
        await Campaign.filter(id=campaign.id, status=CampaignStatus.SENDING, claimed_by=lease.owner)
        .using_db(conn)
        .update(queued_part=key, queued_to_contact=last)
    )


async def _all_queued(campaign: Campaign, lease: Lease) -> None:
    moment = now()
    done = await Campaign.filter(
        id=campaign.id, status=CampaignStatus.SENDING, claimed_by=lease.owner
    ).update(queued_at=moment, claimed_by=None, lease_until=None)
    if not done:
        raise Lost
    log.info("campaign %s: every recipient queued", campaign.id)
    await finish_sent_campaigns()


async def finish_sent_campaigns() -> int:
    """Campaigns whose recipients were all queued and all handled are SENT."""
    moment = now()
    queued_left = (
        "SELECT 1 FROM campaign_recipient r WHERE r.campaign_id = campaign.id "
        "AND r.status = 'QUEUED'"
    )
    mark = "$1" if dialect() == "postgres" else "?"
    changed, _ = await connections.get("default").execute_query(
        f"UPDATE campaign SET status = 'SENT', sent_at = {mark} WHERE status = 'SENDING' "
        f"AND queued_at IS NOT NULL AND NOT EXISTS ({queued_left})",
        [moment],
    )
    return int(changed)


async def take_back_cancelled_retries() -> None:
    """A message a worker held when its campaign was cancelled, which the server did not
    take then ("try later"), is back in the queue: take it back as `cancel_unsent` would
    have (before its retry is due: the first retry waits longer than a runner's poll)."""
    cancelled = await (
        CampaignRecipient.filter(
            campaign__status=CampaignStatus.CANCELLED,
            status=RecipientStatus.QUEUED,
            message__status=MessageStatus.QUEUED,
        )
        .distinct()
        .values_list("campaign_id", flat=True)
    )
    for campaign_id in cancelled:
        await cancel_unsent(campaign_id)


async def cancel_unsent(campaign_id: int) -> None:
    """Cancel: the messages not yet sent are taken back from the outbox (not those a worker is
    sending this moment), and their recipients are skipped as cancelled."""
    async with in_transaction():
        await Campaign.filter(
            id=campaign_id, status__in=[CampaignStatus.SCHEDULED, CampaignStatus.SENDING]
        ).update(status=CampaignStatus.CANCELLED, claimed_by=None, lease_until=None)
        # One statement however many wait: their ids bound one by one broke PostgreSQL's
        # limit of 32,767 parameters (a campaign of 40,000 could not be cancelled).
        waiting = CampaignRecipient.filter(
            campaign_id=campaign_id, status=RecipientStatus.QUEUED, message_id__isnull=False
        ).values("message_id")
        await OutboxMessage.filter(id__in=Subquery(waiting), status=MessageStatus.QUEUED).delete()
        await CampaignRecipient.filter(
            campaign_id=campaign_id, status=RecipientStatus.QUEUED, message_id__isnull=True
        ).update(status=RecipientStatus.SKIPPED, reason=SkipReason.CANCELLED)
