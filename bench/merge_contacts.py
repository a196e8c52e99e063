"""Benchmark mergeContacts over real HTTP on a demo database of a realistic size.

    python bench/merge_contacts.py [--contacts 100000] [--merges 200] [--events 20]
        [--database-url postgres://...]

Builds a fresh database (SQLite in a temporary directory, or the given PostgreSQL URL whose
public schema is dropped first), runs `crm migrate`, `crm demo-data` and `crm create-admin`,
then gives every contact a history with one INSERT ... SELECT per kind of row: `--events`
timeline events, 3 notes, 2 secure messages, about 2 groups (20 groups of ~10% each, as the
list benchmark), one of 5 products, and a row in one sent campaign. It starts `crm serve`,
signs in and merges `--merges` pairs of random live contacts one after the other (the second
of each pair into the first, nothing chosen: the defaults), timing each request: wall-time
percentiles, SQL statements per merge (X-Query-Count) and the server's CPU time per merge.
"""

from __future__ import annotations

import argparse
import asyncio
import random
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
    add_groups,
    bench_env,
    cpu_seconds,
    raw_execute,
    raw_query,
    raw_url,
    reset_postgres,
    run_crm,
    start_server,
    stop_server,
)

MERGE = """mutation ($input: MergeContactsInput!) {
  mergeContacts(input: $input) { contact { id } errors { field message code } } }"""
LOGIN = "mutation ($input: LoginInput!) { login(input: $input) { errors { message } } }"
NOW = "CURRENT_TIMESTAMP"
NOTES_EACH = 3
MESSAGES_EACH = 2
PRODUCTS = 5
WIDTHS = (7, 8, 8, 8, 10, 7)


def history_statements(events: int, postgres: bool) -> list[str]:
    """Every contact's history, one INSERT ... SELECT per kind of row (a small series
    table stands in for generate_series, which SQLite lacks)."""
    series = max(events, NOTES_EACH, MESSAGES_EACH)
    statements = [
        "CREATE TABLE bench_series (n INTEGER NOT NULL)",
        "INSERT INTO bench_series (n) VALUES " + ", ".join(f"({n})" for n in range(1, series + 1)),
        "INSERT INTO timeline_event (kind, occurred_at, recorded_at, contact_id, actor_kind, "
        "actor_name) SELECT 'EMAIL_SENT', "
        f"{NOW}, {NOW}, c.id, 'SYSTEM', 'System' FROM contact c, bench_series s "
        f"WHERE s.n <= {events}",
        "INSERT INTO note (kind, body, occurred_at, contact_id, author_name, created_at, "
        f"updated_at) SELECT 'CALL', 'Called about the quote', {NOW}, c.id, 'Bench', {NOW}, "
        f"{NOW} FROM contact c, bench_series s WHERE s.n <= {NOTES_EACH}",
        "INSERT INTO secure_message (contact_id, body, from_staff, author_name, sent_at) "
        f"SELECT c.id, 'Your quote is ready', TRUE, 'Bench', {NOW} FROM contact c, "
        f"bench_series s WHERE s.n <= {MESSAGES_EACH}",
        *(
            "INSERT INTO product (name, name_key, code, description, created_at, updated_at) "
            f"VALUES ('Product {n}', 'product {n}', NULL, '', {NOW}, {NOW})"
            for n in range(1, PRODUCTS + 1)
        ),
        "INSERT INTO contact_product (contact_id, product_id) SELECT c.id, p.id "
        f"FROM contact c, product p WHERE (c.id + p.id) % {PRODUCTS} = 0",
        "INSERT INTO campaign (name, name_key, subject, body, status, queued_part, "
        f"queued_to_contact, created_at, updated_at) VALUES ('Bench', 'bench', 'Hello', "
        f"'Hello', 'SENT', 0, 0, {NOW}, {NOW})",
        "INSERT INTO campaign_recipient (campaign_id, contact_id, email, email_key, status) "
        "SELECT (SELECT id FROM campaign WHERE name = 'Bench'), c.id, c.email, c.email_key, "
        "'SENT' FROM contact c WHERE c.email_key IS NOT NULL",
        "DROP TABLE bench_series",
    ]
    if postgres:
        statements += [
            f"ANALYZE {table}"
            for table in ("timeline_event", "note", "secure_message", "contact_product")
        ]
    return statements


def graphql(client: httpx.Client, query: str, variables: dict[str, Any]) -> tuple[dict, int]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"], int(response.headers.get("x-query-count", 0))


def global_id(pk: int) -> str:
    import base64

    return base64.urlsafe_b64encode(f"Contact:{pk}".encode()).decode().rstrip("=")


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, round(share * len(sorted_values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--merges", type=int, default=200)
    parser.add_argument("--events", type=int, default=20, help="timeline events per contact")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="crm-bench-merge-"))
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    if postgres:
        asyncio.run(reset_postgres(raw_url(database_url)))
    env = bench_env(database_url, workdir, CRM_EXPOSE_QUERY_COUNT="1")
    started = time.perf_counter()
    run_crm(env, "migrate")
    print(run_crm(env, "demo-data", "--contacts", str(args.contacts), "--seed", str(args.seed)))
    add_groups(raw_url(database_url), 20, 0.1, args.seed)
    raw_execute(raw_url(database_url), history_statements(args.events, postgres))
    run_crm(env, "create-admin", "--email", ADMIN_EMAIL)
    events = raw_query(raw_url(database_url), "SELECT count(*) FROM timeline_event")[0][0]
    print(f"built in {time.perf_counter() - started:.0f} s: {events} timeline events")

    live = [
        row[0]
        for row in raw_query(
            raw_url(database_url), "SELECT id FROM contact WHERE archived_at IS NULL"
        )
    ]
    chosen = random.Random(args.seed).sample(live, 2 * args.merges)
    pairs = list(zip(chosen[0::2], chosen[1::2], strict=True))

    server, base_url = start_server(env, workdir)
    try:
        client = httpx.Client(base_url=base_url, timeout=120)
        graphql(client, LOGIN, {"input": {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}})
        times: list[float] = []
        queries: list[int] = []
        cpu_start = cpu_seconds(server.pid) or 0.0
        for kept, merged in pairs:
            variables = {"input": {"keepId": global_id(kept), "mergeIds": [global_id(merged)]}}
            began = time.perf_counter()
            data, count = graphql(client, MERGE, variables)
            times.append((time.perf_counter() - began) * 1000)
            queries.append(count)
            if data["mergeContacts"]["errors"]:
                raise RuntimeError(data["mergeContacts"]["errors"])
        cpu = ((cpu_seconds(server.pid) or 0.0) - cpu_start) * 1000 / len(pairs)
    finally:
        stop_server(server)

    times.sort()
    dialect = "PostgreSQL" if postgres else "SQLite"
    print(
        f"\n{dialect}: {args.contacts} contacts, each with {args.events} events, "
        f"{NOTES_EACH} notes, {MESSAGES_EACH} messages, ~2 groups, a product and a campaign row"
    )
    header = ("merges", "p50 ms", "p95 ms", "max ms", "SQL/merge", "CPU ms")
    print(" ".join(f"{name:>{width}}" for name, width in zip(header, WIDTHS, strict=True)))
    print(
        f"{len(pairs):>7} {statistics.median(times):>8.1f} {percentile(times, 0.95):>8.1f} "
        f"{times[-1]:>8.1f} {statistics.median(queries):>10.0f} {cpu:>7.1f}"
    )


if __name__ == "__main__":
    main()
