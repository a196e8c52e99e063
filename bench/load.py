"""Many simulated users at once against `crm serve`, on SQLite or on PostgreSQL.

    python bench/load.py [--seconds 60] [--staff 20] [--portal 10] [--think 1.0]
        [--database-url postgres://127.0.0.1:PORT/DB] [--processes N] [--ramp 10,25,50,100]

Builds a fresh database (SQLite in a temp dir by default; for a PostgreSQL URL, which must
be on this machine, the public schema is dropped and recreated first: point it at a
throwaway database) with `crm migrate` and `crm demo-data`, creates the staff accounts and
portal invitations through the services (bench/load_accounts.py), starts `crm serve` (one
process on SQLite, two on PostgreSQL by default, each on its own port, users spread over
them), and signs every simulated user in once, before the clock starts: staff through the
`login` mutation, portal contacts by activating their invitation.

Then each user runs for --seconds with its own HTTP client, pausing a random 0.5-1.5x
--think seconds between actions (0: no pause, a stress test):
- staff list contacts, search, open a contact (with its timeline), edit it (jobTitle), add
  a note and export the page they listed as CSV (`GET /export/contacts.csv?ids=...`);
- portal contacts read their profile and their messages and update their profile.
Each staff user edits contacts of its own, so that the last acknowledged edit of each is
the value the database must hold; afterwards every acknowledged edit and note is looked
up in the database.

The table gives throughput, p50/p95/p99 per operation and errors by kind (HTTP status,
GraphQL error code, transport error); "database is locked" is counted on its own, in
answers and in the server logs. `--ramp 10,25,50,100` runs one step per number of users
(split between staff and portal as --staff:--portal) and ends with a summary table.

Bounded: --seconds per step and --max-requests per step, a 30 s timeout per request, and
the servers only ever listen on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from list_contacts import (  # the sibling benchmark's server helpers
    ADMIN_PASSWORD,
    REPO,
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

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
REQUEST_TIMEOUT = 30.0
PORTAL_PASSWORD = "portal-load-" + secrets.token_hex(8)

LIST = """
query List($search: String) {
  contacts(first: 50, search: $search) {
    edges { node { id fullName lastName email type status company { name } groups { name }
      phones { number national } } }
  }
}
"""
OPEN = """
query Open($id: ID!) {
  contact(id: $id) {
    id fullName email jobTitle type status updatedAt
    phones { number national } address { line1 city country } company { name }
    groups { name } portal { status }
    timeline(first: 20) { edges { node { id kind occurredAt actor summary } } }
  }
}
"""
EDIT = """
mutation Edit($input: UpdateContactInput!) {
  updateContact(input: $input) { contact { id jobTitle } errors { field message code } }
}
"""
NOTE = """
mutation Note($input: AddNoteInput!) {
  addNote(input: $input) { note { id } errors { field message code } }
}
"""
LOGIN = """
mutation Login($input: LoginInput!) { login(input: $input) { user { email } errors { message } } }
"""
ACTIVATE = """
mutation Activate($input: ActivatePortalAccountInput!) {
  activatePortalAccount(input: $input) { contact { id } errors { message } }
}
"""
PROFILE = """
query Profile {
  me { ... on PortalUser { email contact { id firstName lastName fullName email jobTitle
    address { line1 city country } phones { number } } } }
}
"""
MESSAGES = """
query Messages { myMessages(first: 20) { edges { node { id body sentAt fromStaff author } } } }
"""
UPDATE_PROFILE = """
mutation UpdateProfile($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) { contact { id lastName } errors { field message code } }
}
"""


def contact_id(pk: int) -> str:
    return base64.urlsafe_b64encode(f"Contact:{pk}".encode()).decode()


def contact_pk(global_id: str) -> int:
    return int(base64.urlsafe_b64decode(global_id).decode().split(":", 1)[1])


class Failed(Exception):
    """A request that did not succeed; `kind` is what the table counts it as."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass
class Results:
    """What one step measured, and the writes the server acknowledged."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    locked: int = 0
    edits: dict[int, str] = field(default_factory=dict)  # contact id: last acknowledged value
    notes: set[str] = field(default_factory=set)
    profiles: dict[int, str] = field(default_factory=dict)  # contact id: last name
    requests: int = 0

    def ok(self, operation: str, seconds: float) -> None:
        self.latencies.setdefault(operation, []).append(seconds)

    def failed(self, operation: str, kind: str) -> None:
        self.errors[operation, kind] += 1
        if "locked" in kind.lower() or "DATABASE_BUSY" in kind:
            self.locked += 1


class Budget:
    """The step's end: a deadline and a number of requests, whichever comes first."""

    def __init__(self, seconds: float, max_requests: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.left = max_requests

    @property
    def spent(self) -> bool:
        return self.left <= 0 or time.monotonic() >= self.deadline

    def take(self) -> bool:
        if self.spent:
            return False
        self.left -= 1
        return True


@dataclass
class User:
    """A signed-in simulated user: its session cookie, server and the contacts it edits."""

    name: str
    base_url: str
    cookies: dict[str, str]
    contacts: list[int]  # staff: the contacts it edits; portal: its own contact


class Session:
    """One user's run: one HTTP client, its requests timed and classified."""

    def __init__(self, user: User, client: httpx.AsyncClient, results: Results) -> None:
        self.user = user
        self.client = client
        self.results = results
        self.writes = 0

    async def timed(self, operation: str, send: Callable[[], Awaitable[Any]]) -> Any:
        started = time.perf_counter()
        try:
            answer = await send()
        except Failed as failure:
            self.results.failed(operation, failure.kind)
            return None
        except httpx.HTTPError as error:
            self.results.failed(operation, type(error).__name__)
            return None
        self.results.ok(operation, time.perf_counter() - started)
        return answer

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        if response.status_code != 200:
            raise Failed(f"HTTP {response.status_code} {_error_code(response)}".strip())
        body = response.json()
        if body.get("errors"):
            error = body["errors"][0]
            code = (error.get("extensions") or {}).get("code", "?")
            locked = " (database is locked)" if "locked" in error.get("message", "") else ""
            raise Failed(f"GraphQL {code}{locked}")
        data = body["data"]
        payload = next(iter(data.values()))
        if isinstance(payload, dict) and payload.get("errors"):
            raise Failed(f"UserError {payload['errors'][0]['code']}")
        return data

    def next_value(self, prefix: str) -> str:
        self.writes += 1
        return f"{prefix} {self.user.name}-{self.writes}-{secrets.token_hex(3)}"


def _error_code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        return str((errors[0].get("extensions") or {}).get("code", ""))
    return str(body.get("code", "")) if isinstance(body, dict) else ""


async def staff_actions(session: Session, rng: random.Random) -> list[Awaitable[Any]]:
    """One round of a staff member's work: list, search, open, edit, note, export."""
    results = session.results
    page = await session.timed("list contacts", lambda: session.graphql(LIST))
    edges = page["contacts"]["edges"] if page else []
    ids = [edge["node"]["id"] for edge in edges]
    names = [edge["node"]["lastName"] for edge in edges if len(edge["node"]["lastName"]) >= 3]
    term = rng.choice(names)[:3] if names else "a"

    async def edit() -> None:
        pk = rng.choice(session.user.contacts)
        value = session.next_value("load")
        data = await session.graphql(
            EDIT, {"input": {"id": contact_id(pk), "jobTitle": value[:100]}}
        )
        results.edits[pk] = data["updateContact"]["contact"]["jobTitle"]

    async def note() -> None:
        body = session.next_value("load note")
        await session.graphql(
            NOTE,
            {"input": {"contactId": contact_id(rng.choice(session.user.contacts)), "body": body}},
        )
        results.notes.add(body)

    async def export() -> None:
        response = await session.client.get("/export/contacts.csv", params={"ids": ",".join(ids)})
        if response.status_code != 200:
            raise Failed(f"HTTP {response.status_code} {_error_code(response)}".strip())

    return [
        session.timed("search", lambda: session.graphql(LIST, {"search": term})),
        session.timed(
            "open contact", lambda: session.graphql(OPEN, {"id": rng.choice(ids or [""])})
        ),
        session.timed("edit contact", edit),
        session.timed("add note", note),
        session.timed("export page (CSV)", export),
    ]


def portal_actions(session: Session, _rng: random.Random) -> list[Awaitable[Any]]:
    results = session.results
    own = session.user.contacts[0]

    async def update() -> None:
        last_name = session.next_value("Load")[:100]
        await session.graphql(UPDATE_PROFILE, {"input": {"lastName": last_name}})
        results.profiles[own] = last_name

    return [
        session.timed("portal: profile", lambda: session.graphql(PROFILE)),
        session.timed("portal: messages", lambda: session.graphql(MESSAGES)),
        session.timed("portal: update profile", update),
    ]


async def simulate(
    user: User, staff: bool, results: Results, budget: Budget, think: float, seed: int
) -> None:
    """Round after round of the user's actions, one at a time, pausing between them."""
    rng = random.Random(seed)
    async with httpx.AsyncClient(
        base_url=user.base_url, cookies=user.cookies, timeout=REQUEST_TIMEOUT
    ) as client:
        session = Session(user, client, results)
        # Users arrive spread over the first pause, not all in the same millisecond.
        await asyncio.sleep(rng.uniform(0, min(think, budget.deadline - time.monotonic())))
        while budget.take():
            if staff:
                actions = await staff_actions(session, rng)
            else:
                actions = portal_actions(session, rng)
                budget.left += 1  # the round's first action takes the request counted above
            for index, action in enumerate(actions):
                await pause(rng, think, budget)
                if not budget.take():
                    for unsent in actions[index:]:
                        unsent.close()  # type: ignore[attr-defined]
                    return
                await action
            await pause(rng, think, budget)


async def pause(rng: random.Random, think: float, budget: Budget) -> None:
    """A user's think time, cut short at the step's end."""
    if think > 0:
        left = budget.deadline - time.monotonic()
        await asyncio.sleep(max(0.0, min(left, think * rng.uniform(0.5, 1.5))))


async def sign_in(
    base_urls: list[str], accounts: dict[str, Any], password: str, staff_contacts: list[int]
) -> tuple[list[User], list[User]]:
    """Every user's session, opened one after another (the sign-in throttle counts bursts)."""
    staff: list[User] = []
    for index, email in enumerate(accounts["staff"]):
        base_url = base_urls[index % len(base_urls)]
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            await _must(client, LOGIN, {"email": email, "password": password}, "login")
            mine = staff_contacts[index :: len(accounts["staff"])]
            staff.append(User(f"s{index}", base_url, dict(client.cookies), mine))
    portal: list[User] = []
    for index, invited in enumerate(accounts["portal"]):
        base_url = base_urls[index % len(base_urls)]
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            variables = {"token": invited["token"], "password": PORTAL_PASSWORD}
            await _must(client, ACTIVATE, variables, "activatePortalAccount")
            portal.append(User(f"p{index}", base_url, dict(client.cookies), [invited["id"]]))
    return staff, portal


async def _must(
    client: httpx.AsyncClient, query: str, input: dict[str, Any], mutation: str
) -> None:
    response = await client.post("/graphql", json={"query": query, "variables": {"input": input}})
    body = response.json()
    if body.get("errors") or body["data"][mutation]["errors"]:
        sys.exit(f"{mutation} failed: {body}")


async def run_step(
    staff: list[User], portal: list[User], seconds: float, think: float, max_requests: int
) -> tuple[Results, float]:
    results = Results()
    budget = Budget(seconds, max_requests)
    started = time.perf_counter()
    await asyncio.gather(
        *(simulate(u, True, results, budget, think, i) for i, u in enumerate(staff)),
        *(simulate(u, False, results, budget, think, 10_000 + i) for i, u in enumerate(portal)),
    )
    results.requests = max_requests - budget.left
    return results, time.perf_counter() - started


@dataclass
class Verification:
    edits_missing: int
    notes_missing: int
    profiles_missing: int

    @property
    def lost(self) -> int:
        return self.edits_missing + self.notes_missing + self.profiles_missing


def verify(database_url: str, results: Results) -> Verification:
    """Look every acknowledged write up in the database."""
    url = raw_url(database_url)

    def column(table_column: str, wanted: dict[int, str]) -> int:
        if not wanted:
            return 0
        ids = ",".join(str(pk) for pk in wanted)
        rows = raw_query(url, f"SELECT id, {table_column} FROM contact WHERE id IN ({ids})")
        stored = dict(rows)
        return sum(1 for pk, value in wanted.items() if stored.get(pk) != value)

    stored_notes = {
        row[0] for row in raw_query(url, "SELECT body FROM note WHERE body LIKE 'load note %'")
    }
    return Verification(
        edits_missing=column("job_title", results.edits),
        notes_missing=len(results.notes - stored_notes),
        profiles_missing=column("last_name", results.profiles),
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index] * 1000


def print_step(label: str, results: Results, elapsed: float, verification: Verification) -> None:
    done = sum(len(values) for values in results.latencies.values())
    failed = sum(results.errors.values())
    print(f"\n{label}: {done + failed} requests in {elapsed:.1f} s, {done / elapsed:.1f} ok/s")
    header = f"{'operation':<26} {'ok':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(header)
    print("-" * len(header))
    operations = sorted({*results.latencies, *(op for op, _ in results.errors)})
    for operation in operations:
        values = results.latencies.get(operation, [])
        errors = sum(n for (op, _), n in results.errors.items() if op == operation)
        cells = (
            f"{percentile(values, 50):>8.1f} {percentile(values, 95):>8.1f} "
            f"{percentile(values, 99):>8.1f}"
            if values
            else f"{'-':>8} {'-':>8} {'-':>8}"
        )
        print(f"{operation:<26} {len(values):>6} {errors:>6} {cells}")
    for (operation, kind), count in sorted(results.errors.items()):
        print(f"  error: {operation}: {kind} x{count}")
    print(
        f"'database is locked' reaching a user: {results.locked}; acknowledged writes checked: "
        f"{len(results.edits)} contacts' last edit, {len(results.notes)} notes, "
        f"{len(results.profiles)} portal profiles; missing: edits {verification.edits_missing}, "
        f"notes {verification.notes_missing}, profiles {verification.profiles_missing}"
    )


@dataclass
class StepSummary:
    users: int
    throughput: float
    p95: float
    worst_p99: tuple[str, float]
    errors: int
    locked: int
    lost: int
    server_cpu: float
    client_cpu: float
    load_average: float


def summarise(
    users: int, results: Results, elapsed: float, cpu: tuple[float, float], lost: int
) -> StepSummary:
    every = [v for values in results.latencies.values() for v in values]
    worst = max(
        ((op, percentile(values, 99)) for op, values in results.latencies.items()),
        key=lambda pair: pair[1],
        default=("-", 0.0),
    )
    return StepSummary(
        users=users,
        throughput=len(every) / elapsed,
        p95=percentile(every, 95) if every else 0.0,
        worst_p99=worst,
        errors=sum(results.errors.values()),
        locked=results.locked,
        lost=lost,
        server_cpu=cpu[0] / elapsed,
        client_cpu=cpu[1] / elapsed,
        load_average=os.getloadavg()[0],
    )


def print_ramp(dialect: str, steps: list[StepSummary]) -> None:
    print(
        f"\n{dialect}: users at once (server CPU: all crm serve processes, in cores; this CPU: "
        "the load script's own; load 1m: the machine's load average, on 2 cores)"
    )
    header = (
        f"{'users':>5} {'ok/s':>7} {'p95 ms':>8} {'worst p99 ms':>28} {'errors':>6} "
        f"{'locked':>6} {'lost':>5} {'server CPU':>10} {'this CPU':>8} {'load 1m':>7}"
    )
    print(header)
    print("-" * len(header))
    for s in steps:
        worst = f"{s.worst_p99[1]:.0f} ({s.worst_p99[0]})"
        print(
            f"{s.users:>5} {s.throughput:>7.1f} {s.p95:>8.1f} {worst:>28} {s.errors:>6} "
            f"{s.locked:>6} {s.lost:>5} {s.server_cpu:>10.0%} {s.client_cpu:>8.0%} "
            f"{s.load_average:>7.1f}"
        )


def require_loopback(database_url: str | None) -> None:
    if database_url is None:
        return
    host = urlsplit(database_url).hostname
    if host not in LOOPBACK:
        sys.exit(f"refusing to load a database that is not on this machine ({host})")


def split_users(total: int, staff: int, portal: int) -> tuple[int, int]:
    staff_share = round(total * staff / (staff + portal))
    return staff_share, total - staff_share


def build(env: dict[str, str], database_url: str, args: argparse.Namespace, most: int) -> dict:
    if database_url.startswith(("postgres://", "postgresql://")):
        asyncio.run(reset_postgres(raw_url(database_url)))
    run_crm(env, "migrate")
    run_crm(env, "demo-data", "--contacts", str(args.contacts), "--seed", "1")
    staff, portal = (
        split_users(most, args.staff, args.portal)
        if args.ramp
        else (
            args.staff,
            args.portal,
        )
    )
    made = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "load_accounts.py"),
            str(staff),
            str(portal),
            ADMIN_PASSWORD,
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        sys.exit(f"creating the accounts failed:\n{made.stdout}\n{made.stderr}")
    if database_url.startswith(("postgres://", "postgresql://")) and args.analyze:
        # Freshly filled tables have no statistics until autovacuum comes by (up to a minute):
        # meanwhile PostgreSQL plans a contact search as a nested loop over every contact,
        # seconds per search, and a few of them hold the whole connection pool (--no-analyze
        # shows it). The figures are for the steady state.
        raw_execute(raw_url(database_url), ["ANALYZE"])
    return json.loads(made.stdout)


def editable_contacts(database_url: str, portal_ids: set[int], count: int) -> list[int]:
    rows = raw_query(
        raw_url(database_url),
        f"SELECT id FROM contact WHERE archived_at IS NULL ORDER BY id LIMIT {count}",
    )
    return [row[0] for row in rows if row[0] not in portal_ids]


def server_logs_locked(workdir: Path) -> int:
    return sum(
        log.read_text(errors="replace").count("database is locked")
        for log in workdir.glob("server-*/server.log")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="per step")
    parser.add_argument("--staff", type=int, default=20, help="simulated staff users")
    parser.add_argument("--portal", type=int, default=10, help="simulated portal contacts")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between actions")
    parser.add_argument("--ramp", help="users per step, e.g. 10,25,50,100 (split as staff:portal)")
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--database-url", help="postgres://127.0.0.1/... (schema dropped!)")
    parser.add_argument("--processes", type=int, help="crm serve processes (1 SQLite, 2 PG)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="per step")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    parser.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="PostgreSQL: leave the new tables without statistics (autovacuum's job)",
    )
    args = parser.parse_args()
    require_loopback(args.database_url)

    steps = [int(n) for n in args.ramp.split(",")] if args.ramp else [args.staff + args.portal]
    workdir = Path(tempfile.mkdtemp(prefix="crm-load-"))
    database_url = args.database_url or f"sqlite://{workdir}/load.sqlite3"
    postgres = not database_url.startswith("sqlite")
    processes = args.processes or (2 if postgres else 1)
    env = bench_env(database_url, workdir)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        accounts = build(env, database_url, args, max(steps))
        portal_ids = {invited["id"] for invited in accounts["portal"]}
        staff_contacts = editable_contacts(database_url, portal_ids, 2000)
        base_urls = []
        for index in range(processes):
            (workdir / f"server-{index}").mkdir()
            server, base_url = start_server(env, workdir / f"server-{index}")
            servers.append(server)
            base_urls.append(base_url)
        staff, portal = asyncio.run(sign_in(base_urls, accounts, ADMIN_PASSWORD, staff_contacts))
        dialect = "PostgreSQL" if postgres else "SQLite"
        print(
            f"{dialect}, {args.contacts} demo contacts, {processes} crm serve process(es), "
            f"think {args.think} s, {args.seconds:.0f} s per step"
        )
        summaries = []
        for total in steps:
            staff_count, portal_count = (
                split_users(total, args.staff, args.portal)
                if args.ramp
                else (len(staff), len(portal))
            )
            cpu_before = sum(cpu_seconds(s.pid) or 0 for s in servers), time.process_time()
            results, elapsed = asyncio.run(
                run_step(
                    staff[:staff_count],
                    portal[:portal_count],
                    args.seconds,
                    args.think,
                    args.max_requests,
                )
            )
            cpu = (
                sum(cpu_seconds(s.pid) or 0 for s in servers) - cpu_before[0],
                time.process_time() - cpu_before[1],
            )
            verification = verify(database_url, results)
            label = f"{staff_count} staff + {portal_count} portal users"
            print_step(label, results, elapsed, verification)
            summaries.append(summarise(total, results, elapsed, cpu, verification.lost))
        print_ramp(dialect, summaries)
        print(f"'database is locked' in the server logs: {server_logs_locked(workdir)}")
    finally:
        for server in servers:
            stop_server(server)
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
