"""Benchmark a bulk status change over a whole list view, as the app starts it, on a demo
database of a realistic size.

    python bench/bulk_status.py [--contacts 100000] [--database-url postgres://...]

Builds a fresh database (SQLite in a temporary directory, or the given PostgreSQL URL whose
public schema is dropped first) with `crm migrate`, `crm demo-data` and `crm create-admin`,
starts `crm serve` (its background runners included), signs in and starts SET_STATUS
(CONTACTED) on every contact, archived ones too (`filter: {archived: null}`), polling
`bulkOperation` every 0.2 s until it is DONE; then SET_STATUS (QUALIFIED) on the list view
as it opens (live contacts) filtered to status CONTACTED. For each: the time from the start
mutation to DONE, contacts per second, and the server process's memory (VmRSS before and
after; VmHWM, the peak, reset before the start through `/proc/<pid>/clear_refs`, so it is
the run's; the API and the runner share the process). Then, in this process against the
same database, the SQL statements of each batch of a further run (every contact set back
to NEW).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from list_contacts import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    bench_env,
    raw_url,
    reset_postgres,
    run_crm,
    start_server,
    stop_server,
)

LOGIN = "mutation ($input: LoginInput!) { login(input: $input) { errors { message } } }"
START = """mutation ($input: BulkOperationInput!) {
  startBulkOperation(input: $input) { operation { id total } errors { field message } } }"""
PROGRESS = """query ($id: ID!) {
  bulkOperation(id: $id) { state total processed changed failed skipped { reason count } } }"""
EVERY_CONTACT = {"view": True, "filter": {"archived": None}}
LIVE_CONTACTED = {"view": True, "filter": {"status": ["CONTACTED"]}}


def graphql(client: httpx.Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


def peak_memory_mib(pid: int) -> tuple[float, float]:
    """The process's resident memory now and at its peak (VmRSS, VmHWM), in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def reset_peak(pid: int) -> None:
    """Start VmHWM again from the current RSS (Linux: 5 > clear_refs), so the peak after is
    the run's, not the start-up's."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def sign_in(base_url: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=120)
    graphql(client, LOGIN, {"input": {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}})
    return client


def run_in_server(
    client: httpx.Client, pid: int, status: str, selection: dict[str, Any]
) -> dict[str, Any]:
    """Start SET_STATUS `status` on `selection` and follow it to its end."""
    rss_before, peak_before = peak_memory_mib(pid)
    reset_peak(pid)
    began = time.perf_counter()
    started = graphql(
        client,
        START,
        {"input": {"action": "SET_STATUS", "status": status, "selection": selection}},
    )["startBulkOperation"]
    if started["errors"]:
        raise RuntimeError(started["errors"])
    operation_id = started["operation"]["id"]
    peak_during = 0.0
    while True:
        progress = graphql(client, PROGRESS, {"id": operation_id})["bulkOperation"]
        peak_during = max(peak_during, peak_memory_mib(pid)[1])
        if progress["state"] not in ("QUEUED", "RUNNING"):
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - began
    return {
        **progress,
        "seconds": seconds,
        "rss_before": rss_before,
        "peak_before": peak_before,
        "peak_after": peak_during,
        "rss_after": peak_memory_mib(pid)[0],
    }


def report(title: str, result: dict[str, Any]) -> None:
    skipped = {item["reason"]: item["count"] for item in result["skipped"]}
    print(f"\n{title}")
    print(
        f"state {result['state']}: total {result['total']}, processed {result['processed']}, "
        f"changed {result['changed']}, skipped {skipped}, failed {result['failed']}"
    )
    print(
        f"start to DONE {result['seconds']:.1f} s, "
        f"{result['processed'] / result['seconds']:,.0f} contacts/s"
    )
    print(
        f"server memory (VmRSS): {result['rss_before']:.0f} MiB before, "
        f"{result['rss_after']:.0f} MiB after; peak (VmHWM) {result['peak_before']:.0f} MiB "
        f"before the run, {result['peak_after']:.0f} MiB during it (reset at its start)"
    )


async def statements_per_batch(database_url: str, workdir: Path) -> list[int]:
    """Each batch's statements, counted as X-Query-Count counts a request's."""
    import os

    os.environ.update(bench_env(database_url, workdir))
    from crm.bulk.actions import ActionParams
    from crm.bulk.models import BulkAction, BulkOperation
    from crm.bulk.runner import BulkRunner
    from crm.bulk.services import BulkRequest, Selection, start_operation
    from crm.contacts.filters import ContactFilterSpec
    from crm.contacts.models import ContactStatus
    from crm.core.observability import enable_query_counting, start_counting
    from crm.db import close_db, init_db
    from crm.settings import get_settings

    await init_db(get_settings())
    try:
        request = BulkRequest(
            BulkAction.SET_STATUS,
            Selection(spec=ContactFilterSpec(archived=None)),
            ActionParams(status=ContactStatus.NEW),
        )
        operation = await start_operation(request, None)
        runner = BulkRunner(owner="bench")
        (claimed,) = await runner.lease.claim(1)
        held = await BulkOperation.get(id=claimed["id"])
        await runner.begin(held)
        enable_query_counting()
        counts = []
        for _ in range(10):
            counter = start_counting()
            more = await runner.run_batch(held)
            counts.append(counter[0])
            if not more:
                break
        await BulkOperation.filter(id=operation.id).update(state="CANCELLED")
        return counts
    finally:
        await close_db()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="crm-bench-bulk-"))
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    if postgres:
        asyncio.run(reset_postgres(raw_url(database_url)))
    env = bench_env(database_url, workdir)
    built = time.perf_counter()
    run_crm(env, "migrate")
    print(run_crm(env, "demo-data", "--contacts", str(args.contacts), "--seed", str(args.seed)))
    run_crm(env, "create-admin", "--email", ADMIN_EMAIL)
    print(f"built in {time.perf_counter() - built:.0f} s")

    server, base_url = start_server(env, workdir)
    try:
        client = sign_in(base_url)
        everyone = run_in_server(client, server.pid, "CONTACTED", EVERY_CONTACT)
        contacted = run_in_server(client, server.pid, "QUALIFIED", LIVE_CONTACTED)
    finally:
        stop_server(server)
    counts = asyncio.run(statements_per_batch(raw_url(database_url), workdir))

    dialect = "PostgreSQL" if postgres else "SQLite"
    report(f"{dialect}: SET_STATUS CONTACTED on every contact of {args.contacts}", everyone)
    report(
        f"{dialect}: SET_STATUS QUALIFIED on the list's contacts (live ones) filtered to "
        "status CONTACTED",
        contacted,
    )
    print(
        f"\nSQL statements per batch of 500: {counts} "
        f"(median {statistics.median(counts):.0f}; the last batch also marks it DONE)"
    )


if __name__ == "__main__":
    main()
