"""Benchmark the home page over real HTTP on a demo database of a realistic size.

    python bench/home.py [--contacts 1000000] [--requests 200] [--database-url postgres://...]
    python bench/home.py --existing sqlite:////path/bench.sqlite3   # an already built database

Builds a fresh database (SQLite in a temporary directory, or the given PostgreSQL URL whose
public schema is dropped first) with `crm migrate`, `crm demo-data` and `crm create-admin`,
or migrates an existing one (`--existing`, left as it is but for the migrations, the admin
and the rows below). Gives the admin 30 open tasks about contacts and companies, 20 of them
due by today, and 20 recently viewed contacts; starts `crm serve`, signs in and asks for the
whole home page `--requests` times, timing each request: wall-time percentiles and SQL
statements per request (X-Query-Count).
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from list_contacts import (
    ADMIN_PASSWORD,
    bench_env,
    raw_execute,
    raw_query,
    raw_url,
    reset_postgres,
    run_crm,
    start_server,
    stop_server,
)
from merge_contacts import LOGIN, global_id, graphql, percentile

HOME = """query ($timeZone: String!) { home(timeZone: $timeZone) {
  tasksDue { id title dueAt overdue contact { id fullName } company { id name } }
  recentlyViewed { id fullName status } recentlyChanged { id fullName status updatedAt }
  counts { contacts archived newLeadsThisWeek invitationsWaiting campaignsSending
           byStatus { status count } }
  lastImports { id fileName state createdCount } } }"""
VIEWED = """mutation ($input: RecordContactViewInput!) {
  recordContactView(input: $input) { errors { message } } }"""


def build(env: dict[str, str], contacts: int, seed: int) -> None:
    run_crm(env, "migrate")
    print(run_crm(env, "demo-data", "--contacts", str(contacts), "--seed", str(seed)))


def give_tasks(database_url: str, admin_email: str) -> None:
    """30 open tasks for the admin, 20 due by now, about the first contacts and companies."""
    admin = raw_query(database_url, f"SELECT id FROM staff_user WHERE email = '{admin_email}'")
    contacts = raw_query(database_url, "SELECT id, company_id FROM contact ORDER BY id LIMIT 30")
    statements = [f"DELETE FROM task WHERE assignee_id = {admin[0][0]}"]
    for n, (contact_id, company_id) in enumerate(contacts):
        due = "CURRENT_TIMESTAMP" if n < 20 else "'2099-01-01 00:00:00'"
        company = company_id if company_id is not None else "NULL"
        statements.append(
            "INSERT INTO task (title, kind, due_at, assignee_id, contact_id, company_id, "
            f"created_at, updated_at) VALUES ('Call back {n}', 'CALL', {due}, {admin[0][0]}, "
            f"{contact_id}, {company}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
    raw_execute(database_url, statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    parser.add_argument("--existing", help="a database already built (migrated, not dropped)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="crm-bench-home-"))
    database_url = args.existing or args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    env = bench_env(database_url, workdir, CRM_EXPOSE_QUERY_COUNT="1")
    started = time.perf_counter()
    if args.existing:
        run_crm(env, "migrate")
    else:
        if database_url.startswith(("postgres://", "postgresql://")):
            asyncio.run(reset_postgres(raw_url(database_url)))
        build(env, args.contacts, args.seed)
    # A new administrator each run: one an earlier run made may have another password.
    admin_email = f"home-{secrets.token_hex(4)}@example.com"
    run_crm(env, "create-admin", "--email", admin_email)
    give_tasks(raw_url(database_url), admin_email)
    total = raw_query(raw_url(database_url), "SELECT count(*) FROM contact")[0][0]
    print(f"ready in {time.perf_counter() - started:.0f} s: {total} contacts")

    server, base_url = start_server(env, workdir)
    try:
        client = httpx.Client(base_url=base_url, timeout=120)
        signed, _ = graphql(
            client, LOGIN, {"input": {"email": admin_email, "password": ADMIN_PASSWORD}}
        )
        if signed["login"]["errors"]:
            sys.exit(f"could not sign in: {signed['login']['errors']}")
        for contact_id in range(1, 21):
            graphql(client, VIEWED, {"input": {"contactId": global_id(contact_id)}})
        times: list[float] = []
        statements: set[int] = set()
        for index in range(args.warmup + args.requests):
            began = time.perf_counter()
            data, count = graphql(client, HOME, {"timeZone": "Europe/Paris"})
            if index >= args.warmup:
                times.append((time.perf_counter() - began) * 1000)
                statements.add(count)
        counts = data["home"]["counts"]
    finally:
        stop_server(server)

    times.sort()
    dialect = "PostgreSQL" if "postgres" in database_url else "SQLite"
    print(f"\n{dialect}, {total} contacts: home page ({len(data['home']['tasksDue'])} tasks due)")
    print(f"  counts: {counts['contacts']} contacts, {counts['newLeadsThisWeek']} new leads")
    print(
        f"  requests {len(times)}  p50 {percentile(times, 0.5):.1f} ms  "
        f"p95 {percentile(times, 0.95):.1f} ms  p99 {percentile(times, 0.99):.1f} ms  "
        f"SQL/request {sorted(statements)}"
    )


if __name__ == "__main__":
    main()
