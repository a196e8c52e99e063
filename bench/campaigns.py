"""Benchmark a campaign: queueing its audience, then delivering it to a local SMTP sink.

    python bench/campaigns.py [--recipients 2000] [--contacts 20000]
        [--database-url sqlite:///path/demo.sqlite3 | postgres://...] [--build]
        [--workers 1,2] [--deliver N] [--memory-sizes 200,2000] [--profile DIR]
        [--index-message-id]

Without `--database-url` a fresh SQLite database of `--contacts` demo contacts is built in a
temp dir (`crm demo-data`). With it, an existing demo database is used as it is (migrated
first; `--build` rebuilds it, dropping a PostgreSQL URL's public schema): point it at the
1M demo database of `bench/list_contacts.py --workdir DIR --build-only` or a copy. The
bench removes what it added at the end (its groups, segments, campaigns, their recipients
and outbox rows, the CAMPAIGN_SENT events) and puts back the recipients' last-contacted
dates, so the database can be measured again; nobody else should write to it meanwhile.

The audience is a segment ("members of a group") over the whole table: the group holds
`--recipients` contacts that can receive email, spread evenly over the contact ids, so the
runner walks the whole id range as it would for a real segment.

1. Queueing. `send_campaign` then one `CampaignRunner.run_once` (what `crm worker` does when
   woken) in a fresh process: the time until every recipient is queued, rows/s, SQL
   statements, the process's resident memory before and its peak (VmHWM) after. First
   each of `--memory-sizes` is queued the same way under tracemalloc (peak Python
   allocations) and deleted again: constant memory means the same peaks for every size.
2. Delivery. An aiosmtpd sink (own process) accepts and discards, counting distinct
   Message-IDs. The queued campaign is delivered in phases, one per `--workers` entry:
   that many `DeliveryWorker` processes (the real runner loop) until the phase's share is
   delivered. Halfway through each phase an invitation is queued (a transactional message:
   it goes before bulk mail); the sink stamps its arrival, which gives how long it waited.
   Per phase: messages/s, each worker's CPU per message and SQL statements per message.
   `--deliver N` stops after N messages (the rest are removed with the campaign);
   `--profile DIR` writes and prints a cProfile of the first worker of each phase.
3. Checks: every message arrived exactly once, every recipient whose message arrived is
   SENT, the campaign SENT once all are.

`--index-message-id` adds an index on campaign_recipient(message_id) for the run (dropped
at the end): the worker finds a claimed batch's recipients by message_id, which without it
is a scan of every campaign's recipients per batch.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import multiprocessing
import os
import pstats
import queue
import secrets
import shutil
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from list_contacts import REPO, free_port, reset_postgres, run_crm

sys.path.insert(0, str(REPO / "backend"))

SUBJECT = '{{ first_name | default: "Hello" }}, our November news'
BODY = """# News from {{ company | default: "us" }}

Dear {{ full_name | default: "friend" }},

Autumn has been busy. Here is what changed since our last letter:

- **New opening hours**: Monday to Saturday, 8:00 to 19:00.
- A *customer portal*, where you can see your invoices and update your details.
- Our team grew: three new colleagues in support and one in the workshop.

We would love to hear from you: [write to us](https://example.com/contact) or simply answer
this email. As always, we read every answer.

## Dates for your diary

1. 12 December: open day at the workshop, coffee and cake from 14:00.
2. 20 December: last orders before the holidays.
3. 6 January: back at work.

Thank you for your trust, {{ first_name | default: "and see you soon" }}.

The whole team
"""
INVITE_PREFIX = "invite-"
INDEX = "bench_campaign_recipient_message_id"


# --- processes: the SMTP sink, the queueing, the delivery workers ------------------------


def run_sink(port: int, received, duplicates, invited, arrivals, ready, stop) -> None:
    """An SMTP server that accepts and discards, counting messages and repeated Message-IDs,
    and stamping when each invitation arrives."""
    from aiosmtpd.controller import Controller

    seen: set[bytes] = set()

    class Sink:
        async def handle_DATA(self, server, session, envelope) -> str:
            arrived = time.time()
            for address in envelope.rcpt_tos:
                if address.startswith(INVITE_PREFIX):
                    arrivals.put((address, arrived))
                    with invited.get_lock():
                        invited.value += 1
            for line in envelope.content.split(b"\r\n"):
                if line.lower().startswith(b"message-id:"):
                    if line in seen:
                        with duplicates.get_lock():
                            duplicates.value += 1
                    seen.add(line)
                    break
            with received.get_lock():
                received.value += 1
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def status_kib(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    return 0


def reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def queue_process(campaign_id: int, trace: bool, results) -> None:
    asyncio.run(_queue(campaign_id, trace, results))


async def _queue(campaign_id: int, trace: bool, results) -> None:
    from crm.campaigns.models import Campaign
    from crm.campaigns.sending import CampaignRunner
    from crm.campaigns.services import send_campaign
    from crm.core.observability import enable_query_counting, start_counting
    from crm.db import close_db, init_db
    from crm.settings import get_settings

    await init_db(get_settings())
    try:
        enable_query_counting()
        await Campaign.filter(id=campaign_id).count()  # connection opened, pool warm
        gc.collect()
        peak_reset = reset_peak_rss()
        rss_before = status_kib("VmRSS")
        if trace:
            tracemalloc.start()
        counter = start_counting()
        started = time.perf_counter()
        await send_campaign(campaign_id)
        await CampaignRunner(owner="bench-queue").run_once()
        elapsed = time.perf_counter() - started
        traced_peak = tracemalloc.get_traced_memory()[1] if trace else None
        tracemalloc.stop()
        campaign = await Campaign.get(id=campaign_id)
        results.put(
            {
                "seconds": elapsed,
                "statements": counter[0],
                "queued": campaign.queued_at is not None,
                "rss_before_kib": rss_before,
                "rss_peak_kib": status_kib("VmHWM"),
                "peak_reset": peak_reset,
                "traced_peak": traced_peak,
            }
        )
    finally:
        await close_db()


# SQL statements are counted over each worker's first messages only (see `counted`).
SQL_COUNTED_MESSAGES = 1000


def worker_process(worker_id: str, ready, go, stop, results, profile: Path | None) -> None:
    asyncio.run(_work(worker_id, ready, go, stop, results, profile))


async def _work(worker_id: str, ready, go, stop, results, profile: Path | None) -> None:
    from crm.core.observability import (
        disable_query_counting,
        enable_query_counting,
        start_counting,
    )
    from crm.db import close_db, init_db
    from crm.mail.worker import DeliveryWorker
    from crm.settings import get_settings

    await init_db(get_settings())
    try:
        enable_query_counting()
        worker = DeliveryWorker(get_settings(), worker_id=worker_id)
        handled = 0
        run_once = worker.run_once

        counted_messages = 0

        async def counted(stop: asyncio.Event | None = None) -> int:
            nonlocal handled, counted_messages
            count = await run_once(stop)
            handled += count
            if counted_messages == 0 and handled >= SQL_COUNTED_MESSAGES:
                # Counting rides on Tortoise's debug log records, a record per statement:
                # enough messages counted, the rest run as in production.
                counted_messages = handled
                disable_query_counting()
            return count

        worker.run_once = counted  # type: ignore[method-assign]
        ready.set()
        await asyncio.to_thread(go.wait)
        stopping = asyncio.Event()

        async def watch() -> None:
            await asyncio.to_thread(stop.wait)
            stopping.set()

        counter = start_counting()
        cpu = time.process_time()
        profiler = cProfile.Profile() if profile else None
        if profiler is not None:
            profiler.enable()
        await asyncio.gather(worker.run_forever(stopping), watch())
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        results.put(
            {
                "worker": worker_id,
                "handled": handled,
                "statements": counter[0],
                "counted": counted_messages or handled,
                "cpu": time.process_time() - cpu,
            }
        )
    finally:
        await close_db()


# --- the bench's own rows -----------------------------------------------------------------


@dataclass
class Made:
    """What the bench added, to take away again."""

    groups: list[int] = field(default_factory=list)
    segments: list[int] = field(default_factory=list)
    campaigns: list[int] = field(default_factory=list)
    invitations: list[int] = field(default_factory=list)
    first_event: int = 0
    last_contacted: list[tuple[Any, int]] = field(default_factory=list)
    index: bool = False


def sql(statement: str, sqlite: bool) -> str:
    """`?` placeholders as the dialect wants them."""
    if sqlite:
        return statement
    parts = statement.split("?")
    return "".join(f"{part}${index}" for index, part in enumerate(parts[:-1], 1)) + parts[-1]


async def execute(statement: str, values: list[Any] | None = None) -> list[dict[str, Any]]:
    from tortoise import connections

    from crm.db import dialect

    connection = connections.get("default")
    return await connection.execute_query_dict(sql(statement, dialect() == "sqlite"), values or [])


async def make_campaign(size: int, made: Made) -> int:
    """A draft to `size` contacts: a segment of a group of contacts that can receive email,
    spread evenly over the whole table."""
    from crm.campaigns.services import CampaignChanges, create_campaign, set_audience
    from crm.contacts.filters import ContactFilterSpec
    from crm.groups.models import Group
    from crm.segments.models import Segment
    from crm.segments.services import spec_to_json

    name = f"Bench campaign {size} {secrets.token_hex(4)}"
    group = await Group.create(name=name, name_key=name.lower())
    made.groups.append(group.id)
    receivable = "email IS NOT NULL AND email_opt_in = TRUE AND archived_at IS NULL"
    [row] = await execute(f"SELECT count(*) AS n FROM contact WHERE {receivable}")
    if row["n"] < size:
        sys.exit(f"only {row['n']} contacts can receive email: ask for fewer recipients")
    stride = row["n"] // size
    await execute(
        "INSERT INTO group_membership (group_id, contact_id, added_at) "
        "SELECT ?, id, CURRENT_TIMESTAMP FROM (SELECT id, row_number() OVER (ORDER BY id) AS n "
        f"FROM contact WHERE {receivable}) AS picked WHERE n % ? = 0 ORDER BY id LIMIT ?",
        [group.id, stride, size],
    )
    spec = spec_to_json(ContactFilterSpec(group_id=group.id))
    segment = await Segment.create(name=name[:100], name_key=name.lower()[:100], filter_json=spec)
    made.segments.append(segment.id)
    campaign = await create_campaign(CampaignChanges(name=name, subject=SUBJECT, body=BODY), None)
    made.campaigns.append(campaign.id)
    await set_audience(campaign.id, segment_ids=[segment.id])
    return campaign.id


async def remove_campaign(campaign_id: int) -> None:
    """Its recipients first, then its outbox rows: with no index on the recipients'
    message_id, deleting a referenced outbox row scans every recipient row."""
    rows = await execute(
        "SELECT message_id FROM campaign_recipient WHERE campaign_id = ? "
        "AND message_id IS NOT NULL",
        [campaign_id],
    )
    message_ids = [row["message_id"] for row in rows]
    for table in ("campaign_recipient", "campaign_part"):
        await execute(f"DELETE FROM {table} WHERE campaign_id = ?", [campaign_id])
    await execute("DELETE FROM campaign WHERE id = ?", [campaign_id])
    for start in range(0, len(message_ids), 500):
        chunk = message_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        await execute(f"DELETE FROM outbox_message WHERE id IN ({marks})", chunk)


async def remember_last_contacted(campaign_id: int, made: Made) -> None:
    rows = await execute(
        "SELECT c.id, c.last_contacted_at FROM contact c JOIN campaign_recipient r "
        "ON r.contact_id = c.id WHERE r.campaign_id = ?",
        [campaign_id],
    )
    made.last_contacted = [(row["last_contacted_at"], row["id"]) for row in rows]


async def clean_up(made: Made) -> None:
    from tortoise import connections

    from crm.db import dialect

    for campaign_id in made.campaigns:
        await remove_campaign(campaign_id)
    for pk in made.invitations:
        await execute("DELETE FROM outbox_message WHERE id = ?", [pk])
    if made.first_event:
        await execute(
            "DELETE FROM timeline_event WHERE id >= ? AND kind = 'CAMPAIGN_SENT'",
            [made.first_event],
        )
    for group_id in made.groups:
        await execute("DELETE FROM group_membership WHERE group_id = ?", [group_id])
        await execute("DELETE FROM contact_group WHERE id = ?", [group_id])
    for segment_id in made.segments:
        await execute("DELETE FROM segment WHERE id = ?", [segment_id])
    if made.last_contacted:
        update = sql("UPDATE contact SET last_contacted_at = ? WHERE id = ?", dialect() == "sqlite")
        await connections.get("default").execute_many(update, made.last_contacted)
    if made.index:
        await execute(f"DROP INDEX IF EXISTS {INDEX}")


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Queued:
    recipients: int
    seconds: float
    statements: int
    rss_before_mib: float
    rss_peak_mib: float
    traced_peak_mib: float | None


async def queue_campaign(context, campaign_id: int, recipients: int, trace: bool) -> Queued:
    results = context.Queue()
    process = context.Process(target=queue_process, args=(campaign_id, trace, results))
    process.start()
    result = await asyncio.to_thread(results.get)
    await asyncio.to_thread(process.join)
    if not result["queued"]:
        sys.exit(f"campaign {campaign_id} was not queued (another due campaign first?)")
    traced = result["traced_peak"]
    return Queued(
        recipients,
        result["seconds"],
        result["statements"],
        result["rss_before_kib"] / 1024,
        result["rss_peak_kib"] / 1024,
        traced / 2**20 if traced is not None else None,
    )


@dataclass
class Phase:
    workers: int
    delivered: int
    seconds: float
    load: float
    cpu_per_message_ms: float
    statements_per_message: float
    invitation_wait: float | None


@dataclass
class Sink:
    received: Any
    duplicates: Any
    invited: Any
    arrivals: Any


async def deliver_phase(
    context, workers: int, sink: Sink, until: int, made: Made, phase: int, profile: Path | None
) -> Phase:
    """Run `workers` delivery workers until the sink has `until` messages; queue an
    invitation halfway."""
    from crm.mail.services import queue_message

    ready = [context.Event() for _ in range(workers)]
    go, stop, results = context.Event(), context.Event(), context.Queue()
    processes = [
        context.Process(
            target=worker_process,
            args=(
                f"bench-{phase}-{index}",
                ready[index],
                go,
                stop,
                results,
                profile if index == 0 else None,
            ),
        )
        for index in range(workers)
    ]
    for process in processes:
        process.start()
    for event in ready:
        await asyncio.to_thread(event.wait, 60)
    start_count = sink.received.value
    halfway = start_count + (until - start_count) // 2
    invite_address = f"{INVITE_PREFIX}{phase}@example.com"
    invited_at: float | None = None
    load = os.getloadavg()[0]
    started = time.perf_counter()
    go.set()
    last_progress, last_count = time.perf_counter(), start_count
    while sink.received.value < until:
        await asyncio.sleep(0.01)
        count = sink.received.value
        if invited_at is None and count >= halfway:
            message = await queue_message(
                kind="INVITATION",
                to_address=invite_address,
                to_name="Invited Person",
                subject="You are invited to our portal",
                text="Follow the link to set your password.",
                html="<p>Follow the link to set your password.</p>",
            )
            invited_at = time.time()
            made.invitations.append(message.id)
            until += 1
        if count != last_count:
            last_progress, last_count = time.perf_counter(), count
        elif time.perf_counter() - last_progress > 60:
            stop.set()
            sys.exit(f"delivery stalled at {count} messages (wanted {until})")
    elapsed = time.perf_counter() - started
    delivered = sink.received.value - start_count
    stop.set()
    reports = [await asyncio.to_thread(results.get) for _ in processes]
    for process in processes:
        await asyncio.to_thread(process.join)
    handled = sum(report["handled"] for report in reports) or 1
    wait = None
    # None when the phase ended before the invitation went (a very short phase).
    with contextlib.suppress(queue.Empty):
        if invited_at is not None:
            wait = (await asyncio.to_thread(sink.arrivals.get, True, 10))[1] - invited_at
    return Phase(
        workers,
        delivered,
        elapsed,
        load,
        sum(report["cpu"] for report in reports) * 1000 / handled,
        sum(report["statements"] for report in reports)
        / max(1, sum(report["counted"] for report in reports)),
        wait,
    )


async def bench(args: argparse.Namespace, sink: Sink) -> None:
    from crm.db import close_db, dialect, init_db
    from crm.settings import get_settings

    context = multiprocessing.get_context("spawn")
    await init_db(get_settings())
    made = Made()
    try:
        name = "SQLite" if dialect() == "sqlite" else "PostgreSQL"
        [contacts] = await execute("SELECT count(*) AS n FROM contact")
        [events] = await execute("SELECT coalesce(max(id), 0) + 1 AS n FROM timeline_event")
        made.first_event = events["n"]
        if args.index_message_id:
            await execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON campaign_recipient (message_id)")
            made.index = True
        print(f"{name}, {contacts['n']:,} contacts, {os.cpu_count()} cores")
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")

        memory = []
        for size in args.memory_sizes:
            campaign_id = await make_campaign(size, made)
            memory.append(await queue_campaign(context, campaign_id, size, trace=True))
            await remove_campaign(campaign_id)
        campaign_id = await make_campaign(args.recipients, made)
        load = os.getloadavg()[0]
        queued = await queue_campaign(context, campaign_id, args.recipients, trace=False)
        print_queueing(queued, memory, load)

        await remember_last_contacted(campaign_id, made)
        to_deliver = min(args.deliver or args.recipients, args.recipients)
        phases: list[Phase] = []
        for index, workers in enumerate(args.workers):
            until = to_deliver * (index + 1) // len(args.workers) + len(made.invitations)
            profile = args.profile / f"worker-phase{index}.prof" if args.profile else None
            phases.append(await deliver_phase(context, workers, sink, until, made, index, profile))
        print_delivery(phases, get_settings().mail_batch_size)
        if args.profile:
            for index in range(len(phases)):
                print(f"\nprofile of the first worker, phase {index + 1} (by own time):")
                stats = pstats.Stats(str(args.profile / f"worker-phase{index}.prof"))
                stats.sort_stats("tottime").print_stats(25)
        await check(campaign_id, sink, args.recipients)
    finally:
        await clean_up(made)
        await close_db()


async def check(campaign_id: int, sink: Sink, recipients: int) -> None:
    """Every message arrived once, each recipient whose message arrived is SENT, and the
    campaign is SENT once all are."""
    from crm.campaigns.models import Campaign, CampaignRecipient, RecipientStatus
    from crm.campaigns.sending import finish_sent_campaigns

    await finish_sent_campaigns()
    campaign = await Campaign.get(id=campaign_id)
    sent = await CampaignRecipient.filter(
        campaign_id=campaign_id, status=RecipientStatus.SENT
    ).count()
    delivered = sink.received.value - sink.invited.value
    print(
        f"\nchecks: the sink received {delivered:,} campaign messages and {sink.invited.value} "
        f"invitations, {sink.duplicates.value} twice; recipients SENT {sent:,} of "
        f"{recipients:,}; campaign {campaign.status.value}"
    )
    finished = campaign.status.value == "SENT"
    if sink.duplicates.value or sent != delivered or finished != (sent == recipients):
        sys.exit("not every message was delivered exactly once")


def print_queueing(queued: Queued, memory: list[Queued], load: float) -> None:
    rate = queued.recipients / queued.seconds
    print(f"queueing {queued.recipients:,} recipients (send_campaign, the runner; load {load:.2f})")
    print(
        f"  until all queued   {queued.seconds:8.2f} s   ({rate:,.0f} "
        f"rows/s; {queued.statements} SQL statements, "
        f"{queued.statements / max(1, queued.recipients / 2000):.1f} per batch of 2,000)"
    )
    print(
        f"  resident memory    {queued.rss_before_mib:8.1f} MiB before, "
        f"{queued.rss_peak_mib:.1f} MiB peak"
    )
    if memory:
        print("  memory by audience size (tracemalloc on, so slower):")
        for run in memory:
            print(
                f"    {run.recipients:>9,} recipients: Python peak {run.traced_peak_mib:6.1f} MiB, "
                f"RSS {run.rss_before_mib:.1f} -> {run.rss_peak_mib:.1f} MiB "
                f"(+{run.rss_peak_mib - run.rss_before_mib:.1f}), {run.seconds:.2f} s"
            )


def print_delivery(phases: list[Phase], batch_size: int) -> None:
    print(f"\ndelivery to the aiosmtpd sink (claim batches of {batch_size})")
    for phase in phases:
        wait = f"{phase.invitation_wait * 1000:.0f} ms" if phase.invitation_wait else "-"
        print(
            f"  {phase.workers} worker{'s' if phase.workers > 1 else ' '}  "
            f"{phase.delivered / phase.seconds:7.0f} messages/s  ({phase.delivered:,} in "
            f"{phase.seconds:.1f} s, load {phase.load:.2f}); worker CPU "
            f"{phase.cpu_per_message_ms:.2f} ms and {phase.statements_per_message:.1f} SQL "
            f"statements per message; an invitation queued halfway waited {wait}"
        )


# --- set-up ------------------------------------------------------------------------------------


def sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--contacts", type=int, default=20_000, help="for a database built here")
    parser.add_argument("--database-url", help="an existing demo database (see above)")
    parser.add_argument("--build", action="store_true", help="rebuild --database-url first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=sizes, default=[1], help="one phase each, e.g. 1,2")
    parser.add_argument("--deliver", type=int, help="deliver only this many (default: all)")
    parser.add_argument("--profile", type=Path, help="cProfile the first worker into this dir")
    parser.add_argument(
        "--index-message-id",
        action="store_true",
        help="add an index on campaign_recipient(message_id) for the run (dropped after)",
    )
    parser.add_argument(
        "--memory-sizes", type=sizes, help="audiences queued under tracemalloc first"
    )
    args = parser.parse_args()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    if args.memory_sizes is None:
        args.memory_sizes = [args.recipients // 10, args.recipients]

    workdir = Path(tempfile.mkdtemp(prefix="crm-bench-campaigns-"))
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    port = free_port()
    env = {
        "CRM_ENV": "development",
        "CRM_DATABASE_URL": database_url,
        "CRM_DATA_DIR": str(workdir),
        "CRM_SECRET_KEY": secrets.token_urlsafe(48),
        "CRM_FRONTEND_DIR": str(workdir / "no-frontend"),
        "CRM_LOG_LEVEL": "WARNING",
        "CRM_SMTP_URL": f"smtp://127.0.0.1:{port}",
        "PYTHONPATH": str(REPO / "backend"),
    }
    os.environ.update(env)
    context = multiprocessing.get_context("spawn")
    received, duplicates, invited = (context.Value("i", 0) for _ in range(3))
    arrivals, ready, stop = context.Queue(), context.Event(), context.Event()
    sink = context.Process(
        target=run_sink, args=(port, received, duplicates, invited, arrivals, ready, stop)
    )
    try:
        if args.database_url is None or args.build:
            if database_url.startswith(("postgres://", "postgresql://")):
                asyncio.run(reset_postgres(database_url))
            else:
                Path(database_url.removeprefix("sqlite://")).unlink(missing_ok=True)
            run_crm(dict(os.environ), "migrate")
            demo = ("demo-data", "--contacts", str(args.contacts), "--seed", str(args.seed))
            print(run_crm(dict(os.environ), *demo))
        else:
            run_crm(dict(os.environ), "migrate")
        sink.start()
        if not ready.wait(20):
            sys.exit("the SMTP sink did not start")
        asyncio.run(bench(args, Sink(received, duplicates, invited, arrivals)))
    finally:
        stop.set()
        if sink.pid is not None:
            sink.join(20)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
