"""Benchmark adding and removing 10,000 contacts to a group over real HTTP.

    python bench/group_members.py [--contacts 20000] [--members 10000] [--repeat 5]
        [--database-url postgres://...] [--workdir DIR]

Builds a fresh database (SQLite in the work directory, or the given PostgreSQL URL whose
public schema is dropped first) with `crm migrate`, `crm demo-data` and `crm create-admin`,
starts `crm serve --no-migrate` on a free port, signs in, and, `--repeat` times, creates a
group and times three calls of `--members` contacts each (the API's ceiling per call is
10,000): `addContactsToGroup` (every membership new: since the activity timeline, one
ADDED_TO_GROUP event each), the same call again (nothing changes, nothing is recorded) and
`removeContactsFromGroup` (one REMOVED_FROM_GROUP event each).

Prints, per call, the median and the slowest wall time and the server's CPU seconds (user +
system; on SQLite the database's work is inside it), and the timeline events the run wrote.
Only the GraphQL names are used, so the same script times a checkout from before the
timeline (its events column then reads "-").
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_contacts import cpu_seconds
from list_contacts import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    bench_env,
    raw_query,
    reset_postgres,
    run_crm,
    start_server,
    stop_server,
)

CREATE_GROUP = """
mutation ($input: CreateGroupInput!) {
  createGroup(input: $input) { group { id } errors { message } }
}
"""
ADD = """
mutation ($input: GroupMembersInput!) {
  addContactsToGroup(input: $input) { changedCount errors { message } }
}
"""
REMOVE = """
mutation ($input: GroupMembersInput!) {
  removeContactsFromGroup(input: $input) { changedCount errors { message } }
}
"""
CALLS = (
    ("add (all new)", ADD, "addContactsToGroup"),
    ("add again (no change)", ADD, "addContactsToGroup"),
    ("remove", REMOVE, "removeContactsFromGroup"),
)


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    changed: set[int] = field(default_factory=set)


def graphql(http: httpx.Client, query: str, variables: dict) -> dict:
    response = http.post("/graphql", json={"query": query, "variables": variables})
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        sys.exit(f"GraphQL errors: {body['errors']}")
    return body["data"]


def global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode()


def build(env: dict[str, str], database_url: str, contacts: int, seed: int) -> None:
    if database_url.startswith(("postgres://", "postgresql://")):
        asyncio.run(reset_postgres(database_url))
    else:
        Path(database_url.removeprefix("sqlite://")).unlink(missing_ok=True)
    run_crm(env, "migrate")
    run_crm(env, "demo-data", "--contacts", str(contacts), "--seed", str(seed))
    run_crm(env, "create-admin", "--email", ADMIN_EMAIL)


def timeline_events(database_url: str) -> str:
    try:
        return str(raw_query(database_url, "SELECT count(*) FROM timeline_event")[0][0])
    except Exception:  # a checkout from before the timeline has no such table
        return "-"


def measure(http: httpx.Client, server_pid: int, ids: list[str], repeat: int) -> dict:
    timings = {name: Timing() for name, _, _ in CALLS}
    for run in range(repeat):
        created = graphql(http, CREATE_GROUP, {"input": {"name": f"Bench {run} {time.time()}"}})
        group_id = created["createGroup"]["group"]["id"]
        for name, document, field_name in CALLS:
            cpu_before = cpu_seconds(server_pid)
            started = time.perf_counter()
            data = graphql(http, document, {"input": {"groupId": group_id, "contactIds": ids}})
            timing = timings[name]
            timing.seconds.append(time.perf_counter() - started)
            timing.cpu.append(cpu_seconds(server_pid) - cpu_before)
            timing.changed.add(data[field_name]["changedCount"])
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()

    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="crm-group-bench-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    env = bench_env(database_url, workdir, CRM_RUN_WORKER="0")
    build(env, database_url, args.contacts, args.seed)
    rows = raw_query(database_url, f"SELECT id FROM contact ORDER BY id LIMIT {args.members}")
    ids = [global_id("Contact", row[0]) for row in rows]

    server, base_url = start_server(env, workdir)
    try:
        http = httpx.Client(base_url=base_url, timeout=600)
        login = graphql(
            http,
            "mutation ($input: LoginInput!) { login(input: $input) { errors { message } } }",
            {"input": {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}},
        )
        assert login["login"]["errors"] == [], login
        warm_up = graphql(http, CREATE_GROUP, {"input": {"name": "Warm-up"}})
        group_id = warm_up["createGroup"]["group"]["id"]
        graphql(http, ADD, {"input": {"groupId": group_id, "contactIds": ids[:100]}})
        timings = measure(http, server.pid, ids, args.repeat)
    finally:
        stop_server(server)

    backend = database_url.split(":", 1)[0]
    print(
        f"\n{len(ids):,} contacts per call on {backend} ({args.contacts:,} in the database); "
        f"{os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}; {args.repeat} runs"
    )
    print(f"{'call':<24} {'p50 s':>7} {'max s':>7} {'CPU s p50':>10} {'changed':>8}")
    for name, timing in timings.items():
        print(
            f"{name:<24} {statistics.median(timing.seconds):>7.3f} {max(timing.seconds):>7.3f} "
            f"{statistics.median(timing.cpu):>10.3f} {'/'.join(map(str, timing.changed)):>8}"
        )
    print(f"timeline events written: {timeline_events(database_url)}")


if __name__ == "__main__":
    main()
