"""Benchmark a contact's timeline: the first page for a contact with 10,000 events.

    python bench/timeline.py [--events 10000] [--requests 100] [--database-url postgres://...]

Builds a fresh database (SQLite in a temporary directory, or the given PostgreSQL URL whose
public schema is dropped first), creates a contact through the API, gives it `--events`
events the way the app records them (edits through `updateContact`, notes through `addNote`
for the first few hundred; the rest through the recorder's bulk path, `record_many`, which
the group and import code use), starts `crm serve`, and times the first page of 50 of the
contact's timeline (with notes and changes), a page deep in it (by cursor), and the same
page filtered to notes: wall-time percentiles, SQL statements per request and server CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
    cpu_seconds,
    reset_postgres,
    run_crm,
    start_server,
    stop_server,
)

TIMELINE = """
query ($id: ID!, $first: Int, $after: String, $kinds: [TimelineKind!]) {
  contact(id: $id) {
    timeline(first: $first, after: $after, kinds: $kinds) {
      pageInfo { hasNextPage endCursor }
      edges { node { id kind occurredAt actor summary note { body kind author canEdit }
                     changes { field before after } } }
    }
  }
}
"""
CREATE = """mutation ($input: CreateContactInput!) {
  createContact(input: $input) { contact { id } errors { message } } }"""
UPDATE = """mutation ($input: UpdateContactInput!) {
  updateContact(input: $input) { errors { message } } }"""
NOTE = """mutation ($input: AddNoteInput!) { addNote(input: $input) { errors { message } } }"""
THROUGH_API = 300


def graphql(client: httpx.Client, query: str, variables: dict[str, Any]) -> tuple[dict, int]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"], int(response.headers.get("x-query-count", 0))


async def bulk_events(env: dict[str, str], contact_pk: int, count: int) -> None:
    os.environ.update({k: v for k, v in env.items() if k.startswith("CRM_")})
    from crm.db import close_db, init_db
    from crm.settings import get_settings, reset_settings
    from crm.timeline.models import TimelineKind
    from crm.timeline.services import SYSTEM, Event, record_many

    reset_settings()
    await init_db(get_settings())
    try:
        kinds = [TimelineKind.ADDED_TO_GROUP, TimelineKind.EMAIL_SENT, TimelineKind.INVITED]
        events = [
            Event(kinds[n % 3], contact_id=contact_pk, details={"group": f"Group {n}"})
            for n in range(count)
        ]
        await record_many(SYSTEM, events)
    finally:
        await close_db()


def measure(
    client: httpx.Client, pid: int, variables: dict[str, Any], requests: int
) -> tuple[list[float], int, float]:
    for _ in range(10):
        graphql(client, TIMELINE, variables)
    times, queries = [], 0
    cpu_start = cpu_seconds(pid) or 0.0
    for _ in range(requests):
        started = time.perf_counter()
        _, queries = graphql(client, TIMELINE, variables)
        times.append((time.perf_counter() - started) * 1000)
    cpu = ((cpu_seconds(pid) or 0.0) - cpu_start) * 1000 / requests
    return times, queries, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="crm-bench-timeline-"))
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    if database_url.startswith("postgres"):
        asyncio.run(reset_postgres(database_url))
    env = bench_env(database_url, workdir, CRM_EXPOSE_QUERY_COUNT="1")
    run_crm(env, "migrate")
    run_crm(env, "create-admin", "--email", ADMIN_EMAIL)
    server, base_url = start_server(env, workdir)
    try:
        client = httpx.Client(base_url=base_url, timeout=60)
        graphql(
            client,
            "mutation ($input: LoginInput!) { login(input: $input) { errors { message } } }",
            {"input": {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}},
        )
        data, _ = graphql(client, CREATE, {"input": {"lastName": "Busy", "jobTitle": "0"}})
        contact_id = data["createContact"]["contact"]["id"]
        for n in range(THROUGH_API):
            if n % 3:
                graphql(client, UPDATE, {"input": {"id": contact_id, "jobTitle": f"Title {n}"}})
            else:
                graphql(
                    client,
                    NOTE,
                    {"input": {"contactId": contact_id, "kind": "CALL", "body": f"Call {n}"}},
                )
        import base64

        contact_pk = int(base64.urlsafe_b64decode(contact_id + "==").decode().split(":")[1])
        asyncio.run(bulk_events(env, contact_pk, max(0, args.events - THROUGH_API - 1)))

        first = {"id": contact_id, "first": 50}
        data, _ = graphql(client, TIMELINE, {**first, "first": 500})
        cursor = data["contact"]["timeline"]["pageInfo"]["endCursor"]
        rows = [
            ("first page of 50", first),
            ("a page 500 events in", {**first, "after": cursor}),
            ("first page, notes only", {**first, "kinds": ["NOTE"]}),
        ]
        dialect = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        print(f"\n{dialect}: one contact with {args.events} events, {args.requests} requests each")
        print(f"{'measurement':<26} {'p50 ms':>8} {'p95 ms':>8} {'SQL/req':>8} {'CPU ms':>7}")
        for name, variables in rows:
            times, queries, cpu = measure(client, server.pid, variables, args.requests)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            print(
                f"{name:<26} {statistics.median(times):>8.2f} {p95:>8.2f} {queries:>8} {cpu:>7.1f}"
            )
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
