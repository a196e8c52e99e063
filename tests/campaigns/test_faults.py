"""Faults while a campaign goes out: the mail server down, a runner that dies or stops while
queueing the audience, several runners and workers at once. Nobody is missed, nobody gets
two copies."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crm.campaigns import sending
from crm.campaigns.models import Campaign, CampaignRecipient, CampaignStatus
from crm.campaigns.sending import CampaignRunner
from crm.mail.models import MessageStatus, OutboxMessage
from crm.mail.worker import DeliveryWorker
from tests.campaigns.helpers import (
    campaign_of,
    contact,
    draft,
    group,
    run_campaigns_and_mail,
    send,
    set_audience,
)
from tests.graphql_client import GraphQLClient
from tests.mail.conftest import SmtpServer, make_due, worker_settings


async def campaign_to(staff: GraphQLClient, people: list[dict[str, Any]], **fields: Any) -> str:
    campaign = await draft(staff, **fields)
    await set_audience(staff, campaign["id"], contactIds=[person["id"] for person in people])
    await send(staff, campaign["id"])
    return campaign["id"]


async def people(staff: GraphQLClient, n: int) -> list[dict[str, Any]]:
    return [await contact(staff, f"Person {i}", f"person{i}@example.com") for i in range(n)]


async def test_the_mail_server_down_halfway_everyone_gets_it_once_it_is_back(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given a campaign to 8 people queued, and a worker sending 3 at a time
    campaign_id = await campaign_to(staff, await people(staff, 8))
    settings = worker_settings(smtp_server.port, mail_batch_size=3)
    await CampaignRunner().run_once()
    worker = DeliveryWorker(settings)

    # when the server answers one message "try later", then goes down after the first batch
    smtp_server.handler.data_answers = ["421 4.3.0 Busy, try again later"]
    assert await worker.run_once() == 3
    assert len(smtp_server.handler.messages) == 2
    smtp_server.stop()
    assert await worker.run_once() == 3  # refused: back in the queue for later
    assert await worker.run_once() == 2
    assert await worker.run_once() == 0
    assert await OutboxMessage.filter(status=MessageStatus.QUEUED).count() == 6
    stats = (await campaign_of(staff, campaign_id))["stats"]
    assert (stats["sent"], stats["queued"], stats["failed"]) == (2, 6, 0)

    # when it is back and the retries come due
    smtp_server.start()
    await make_due()
    await run_campaigns_and_mail(settings)

    # then everyone has it, each message once
    counts = smtp_server.handler.message_ids
    assert len(counts) == 8 and set(counts.values()) == {1}
    received = Counter(m["To"].addresses[0].addr_spec for m in smtp_server.handler.messages)
    assert set(received.values()) == {1} and len(received) == 8
    final = await campaign_of(staff, campaign_id)
    assert final["status"] == "SENT"
    assert (final["stats"]["sent"], final["stats"]["failed"]) == (8, 0)


async def expire_leases() -> None:
    """Time passes: every runner's lease on a campaign has run out."""
    await Campaign.all().update(lease_until=datetime.now(UTC) - timedelta(seconds=1))


async def assert_queued_once(campaign_id: int, people: int) -> None:
    rows = await CampaignRecipient.filter(campaign_id=campaign_id).values_list(
        "contact_id", "message_id"
    )
    assert len(rows) == people
    assert len({contact_id for contact_id, _ in rows}) == people
    messages = await OutboxMessage.filter(kind="CAMPAIGN").values_list("id", "contact_id")
    assert sorted(messages) == sorted((message_id, contact_id) for contact_id, message_id in rows)


@pytest.mark.parametrize("dies", ["between batches", "inside a batch"])
async def test_a_runner_that_dies_while_queueing_is_taken_over_and_nobody_is_queued_twice(
    staff: GraphQLClient,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    dies: str,
) -> None:
    # given a campaign to a group of 7 and 2 single contacts, queued 2 at a time
    everyone = await people(staff, 9)
    campaign = await draft(staff)
    await set_audience(
        staff,
        campaign["id"],
        groupIds=[await group(staff, "Most", everyone[:7])],
        contactIds=[everyone[6]["id"], everyone[7]["id"], everyone[8]["id"]],
    )
    await send(staff, campaign["id"])
    monkeypatch.setattr(sending, "BATCH", 2)
    progress, calls = sending._progress, 0

    async def crash_on_the_third_batch(*args: Any) -> bool:
        nonlocal calls
        calls += 1
        moved = await progress(*args)
        if calls == 3:
            raise RuntimeError("killed")  # the process dies: this batch is never committed
        return moved

    queue_batch = sending._queue_batch

    async def crash_after_the_third_batch(*args: Any) -> None:
        nonlocal calls
        await queue_batch(*args)
        calls += 1
        if calls == 3:
            raise RuntimeError("killed")  # the process dies between two batches

    if dies == "inside a batch":
        monkeypatch.setattr(sending, "_progress", crash_on_the_third_batch)
    else:
        monkeypatch.setattr(sending, "_queue_batch", crash_after_the_third_batch)

    # when the first runner dies part-way
    with pytest.raises(RuntimeError, match="killed"):
        await CampaignRunner("first").run_once()
    queued_before = await CampaignRecipient.all().count()
    assert queued_before == (4 if dies == "inside a batch" else 6)

    # then another runner cannot take it while the lease holds
    assert await CampaignRunner("second").run_once() == 0

    # when the lease runs out, another runner takes it over and the mail goes out
    await expire_leases()
    await run_campaigns_and_mail(worker_settings(smtp_server.port))

    # then all 9 were queued once, and each got one email
    (pk,) = await Campaign.all().values_list("id", flat=True)
    await assert_queued_once(pk, 9)
    received = Counter(m["To"].addresses[0].addr_spec for m in smtp_server.handler.messages)
    assert len(received) == 9 and set(received.values()) == {1}
    assert (await campaign_of(staff, campaign["id"]))["status"] == "SENT"


async def test_a_runner_stopped_while_queueing_hands_the_campaign_back_at_once(
    staff: GraphQLClient, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a campaign to 5 people queued 2 at a time
    await campaign_to(staff, await people(staff, 5))
    monkeypatch.setattr(sending, "BATCH", 2)
    stop = asyncio.Event()
    queue_batch = sending._queue_batch

    async def then_stop(*args: Any) -> None:
        await queue_batch(*args)
        stop.set()  # the process is told to stop (deploy, restart) after the first batch

    monkeypatch.setattr(sending, "_queue_batch", then_stop)

    # when the runner stops after its first batch
    await CampaignRunner("first").run_once(stop)
    assert await CampaignRecipient.all().count() == 2
    monkeypatch.setattr(sending, "_queue_batch", queue_batch)

    # then the next runner goes on from there at once, without waiting for a lease to run out
    assert await CampaignRunner("second").run_once() == 1
    (pk,) = await Campaign.all().values_list("id", flat=True)
    await assert_queued_once(pk, 5)
    await run_campaigns_and_mail(worker_settings(smtp_server.port))
    assert len(smtp_server.handler.message_ids) == 5
    assert await Campaign.filter(status=CampaignStatus.SENT).count() == 1


async def work_until_done(run_once: Any) -> int:
    """Call a runner's or worker's round until every campaign is sent; rounds that did
    something."""
    busy = 0
    while True:
        if await run_once():
            busy += 1
            continue
        unfinished = await Campaign.exclude(status=CampaignStatus.SENT).exists()
        waiting = await OutboxMessage.filter(
            status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]
        ).exists()
        if not unfinished and not waiting:
            return busy
        await asyncio.sleep(0.005)


async def test_two_runners_and_two_workers_at_once_send_each_address_each_campaign_once(
    staff: GraphQLClient, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL each on its own connection, with row locks (SKIP LOCKED); SQLite
    serialises their writes."""
    # given two campaigns to 120 people (the second to two overlapping groups), queued 15 at
    # a time, delivered 10 at a time
    everyone = await people(staff, 120)
    first = await draft(staff, name="First", subject="First")
    await set_audience(staff, first["id"], contactIds=[p["id"] for p in everyone])
    second = await draft(staff, name="Second", subject="Second")
    await set_audience(
        staff,
        second["id"],
        groupIds=[await group(staff, "A", everyone[:80]), await group(staff, "B", everyone[40:])],
    )
    await send(staff, first["id"])
    await send(staff, second["id"])
    monkeypatch.setattr(sending, "BATCH", 15)
    settings = worker_settings(smtp_server.port, mail_batch_size=10)

    # when two campaign runners and two mail workers work at the same time
    rounds = await asyncio.gather(
        work_until_done(CampaignRunner("runner-1").run_once),
        work_until_done(CampaignRunner("runner-2").run_once),
        work_until_done(DeliveryWorker(settings, worker_id="worker-1").run_once),
        work_until_done(DeliveryWorker(settings, worker_id="worker-2").run_once),
    )

    # then each address got each campaign exactly once
    received = Counter(
        (m["Subject"], m["To"].addresses[0].addr_spec) for m in smtp_server.handler.messages
    )
    assert len(received) == 240 and set(received.values()) == {1}
    assert set(smtp_server.handler.message_ids.values()) == {1}
    assert rounds[0] and rounds[1] and rounds[2] and rounds[3]  # all four took part
    for campaign in (first, second):
        stats = (await campaign_of(staff, campaign["id"]))["stats"]
        assert (stats["recipients"], stats["sent"]) == (120, 120)
