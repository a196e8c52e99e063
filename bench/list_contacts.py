"""Benchmark the contact list over real HTTP against a freshly filled database.

    python bench/list_contacts.py --contacts 1000000 [--database-url postgres://...]
        [--workdir DIR [--reuse | --build-only]]

Builds a fresh database (SQLite in a temp dir by default; for a PostgreSQL URL the
public schema is dropped and recreated first: point it at a throwaway database), runs
`crm migrate`, `crm demo-data`, `crm create-admin`, adds GROUPS groups each holding a
random ~10% of the contacts (one INSERT ... SELECT each), starts `crm serve --no-migrate`
on a free port with CRM_EXPOSE_QUERY_COUNT=1, logs in, and times sequential requests
(after a warm-up) for the list screens: wall-time percentiles, SQL statements per request
(X-Query-Count) and the server's CPU time per request (steadier than wall time on a busy
machine). The same first page is also read with one raw SQL query plus json.dumps, as a
floor to compare the API against.

With --workdir the directory (SQLite file, admin password, build time) is kept;
`--reuse` then measures the database built there before instead of building again
(a 1M-contact build takes several minutes), and `--build-only` builds and stops.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
ADMIN_EMAIL = "bench@example.com"
ADMIN_PASSWORD = "bench-password-" + secrets.token_hex(8)

LIST = """
query List($first: Int, $after: String, $search: String, $orderBy: ContactOrder) {
  contacts(first: $first, after: $after, search: $search, orderBy: $orderBy) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id fullName email type status company { name } groups { name }
        phones { number national }
      }
    }
  }
}
"""
LIST_COUNT = LIST.replace("pageInfo {", "totalCount pageInfo {")
FILTERED = LIST.replace(
    "$orderBy: ContactOrder)", "$orderBy: ContactOrder, $filter: ContactFilter)"
).replace("orderBy: $orderBy)", "orderBy: $orderBy, filter: $filter)")
GROUPS = 5
GROUP_SHARE = 0.10
STATE_FILE = "bench-state.json"

# The first page as the API serves it (contact, company, group names, phones) in one query;
# group names come joined by a separator, so the join with phones does not multiply rows.
RAW_SQL = """
SELECT c.id, c.first_name, c.last_name, c.email, c.type, c.status, co.name AS company,
       p.e164, p.national,
       (SELECT {agg} FROM group_membership gm JOIN contact_group g ON g.id = gm.group_id
        WHERE gm.contact_id = c.id) AS groups
FROM (SELECT id, first_name, last_name, email, type, status, company_id, sort_name
      FROM contact WHERE archived_at IS NULL ORDER BY sort_name, id LIMIT 50) c
LEFT JOIN company co ON co.id = c.company_id
LEFT JOIN phone_number p ON p.contact_id = c.id
ORDER BY c.sort_name, c.id, p.position
"""
RAW_SQL_SQLITE = RAW_SQL.format(agg="group_concat(g.name, char(31))")
RAW_SQL_POSTGRES = RAW_SQL.format(agg="string_agg(g.name, chr(31) ORDER BY g.name_key)")


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process so far (Linux /proc), or None elsewhere.

    Per request it is a steadier figure than wall time on a busy machine: it leaves out the
    time the server waited for a core (the database's own CPU time is not in it)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Measurement:
    name: str
    latencies: list[float]
    queries: list[int]
    rows: int
    cpu_ms: float | None = None

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    @property
    def query_count(self) -> str:
        if not self.queries:
            return "-"
        counts = Counter(self.queries)
        return "/".join(str(c) for c in sorted(counts))


def run_crm(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "crm", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"crm {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def reset_postgres(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


def raw_rows_to_json(rows: list[Any]) -> str:
    """Group the join into contacts with their phones, as the API answers, and dump it."""
    contacts: dict[int, dict[str, Any]] = {}
    for row in rows:
        contact = contacts.get(row[0])
        if contact is None:
            contact = contacts[row[0]] = {
                "id": row[0],
                "fullName": f"{row[1]} {row[2]}".strip(),
                "email": row[3],
                "type": row[4],
                "status": row[5],
                "company": {"name": row[6]} if row[6] is not None else None,
                "groups": [{"name": name} for name in sorted((row[9] or "").split("\x1f"))]
                if row[9]
                else [],
                "phones": [],
            }
        if row[7] is not None:
            contact["phones"].append({"number": row[7], "national": row[8]})
    return json.dumps({"data": {"contacts": {"edges": [{"node": c} for c in contacts.values()]}}})


def measure_raw(database_url: str, requests: int, warmup: int) -> Measurement:
    latencies: list[float] = []
    if database_url.startswith("sqlite://"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite://"))
        try:
            for index in range(warmup + requests):
                started = time.perf_counter()
                rows = connection.execute(RAW_SQL_SQLITE).fetchall()
                raw_rows_to_json(rows)
                if index >= warmup:
                    latencies.append(time.perf_counter() - started)
        finally:
            connection.close()
        return Measurement("raw SQL + json.dumps (first page)", latencies, [1], len(rows))

    import asyncpg

    async def run() -> int:
        connection = await asyncpg.connect(database_url)
        try:
            statement = await connection.prepare(RAW_SQL_POSTGRES)
            rows: list[Any] = []
            for index in range(warmup + requests):
                started = time.perf_counter()
                rows = await statement.fetch()
                raw_rows_to_json([tuple(r) for r in rows])
                if index >= warmup:
                    latencies.append(time.perf_counter() - started)
            return len(rows)
        finally:
            await connection.close()

    count = asyncio.run(run())
    return Measurement("raw SQL + json.dumps (first page)", latencies, [1], count)


FLOOR_PAGE_SQL = """
SELECT c.id, c.first_name, c.last_name, c.email, c.type, c.status, c.company_id, co.name
FROM contact c LEFT JOIN company co ON co.id = c.company_id
WHERE c.archived_at IS NULL ORDER BY c.sort_name, c.id LIMIT 50
"""


def measure_floor(database_url: str, requests: int, warmup: int) -> Measurement:
    """The framework floor: the same selection, executed by strawberry over the prebuilt page
    (no HTTP, no database, no loaders), and the answer dumped to JSON, in this process."""
    from floor import floor_schema

    schema = floor_schema(
        raw_query(database_url, FLOOR_PAGE_SQL), lambda sql: raw_query(database_url, sql)
    )

    async def run() -> tuple[list[float], float, int]:
        latencies: list[float] = []
        rows = 0
        cpu_start = time.process_time()
        for index in range(warmup + requests):
            if index == warmup:
                cpu_start = time.process_time()
            started = time.perf_counter()
            result = await schema.execute(LIST, variable_values={"first": 50})
            json.dumps({"data": result.data})
            if index >= warmup:
                latencies.append(time.perf_counter() - started)
            assert result.errors is None, result.errors[:1]
            rows = len(result.data["contacts"]["edges"])  # type: ignore[index]
        return latencies, (time.process_time() - cpu_start) * 1000 / requests, rows

    latencies, cpu_ms, rows = asyncio.run(run())
    return Measurement("framework floor (same selection, no I/O)", latencies, [0], rows, cpu_ms)


def raw_query(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    if database_url.startswith("sqlite://"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite://"))
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()
    import asyncpg

    async def run() -> list[tuple[Any, ...]]:
        connection = await asyncpg.connect(database_url)
        try:
            return [tuple(r) for r in await connection.fetch(sql)]
        finally:
            await connection.close()

    return asyncio.run(run())


def pick_search_terms(database_url: str) -> dict[str, str]:
    """Search terms drawn from the data itself: common and rare name prefixes, a domain, digits."""
    names = [
        row[0]
        for row in raw_query(
            database_url,
            "SELECT sort_name FROM contact WHERE archived_at IS NULL ORDER BY id LIMIT 50000",
        )
    ]
    last_words = [name.split(" ")[0] for name in names if name]
    ascii_words = [w for w in last_words if w.isascii() and w.isalpha() and len(w) >= 5]
    common = Counter(w[:3] for w in ascii_words).most_common(1)[0][0]
    by_four = Counter(w[:4] for w in ascii_words)
    rare = min(
        (prefix for prefix, count in by_four.items() if count == 1), default=ascii_words[0][:4]
    )
    emails = [
        row[0]
        for row in raw_query(
            database_url,
            "SELECT email FROM contact WHERE email IS NOT NULL ORDER BY id LIMIT 50000",
        )
    ]
    company_domains = Counter(
        e.split("@", 1)[1]
        for e in emails
        if e.split("@", 1)[1].count(".") == 1
        and not e.split("@", 1)[1].startswith(("example.", "mail.", "post."))
    )
    # A mid-sized customer's domain: a realistic "everyone at acme" search.
    domains = company_domains.most_common()
    domain = domains[len(domains) // 20][0] if domains else "example.com"
    national = raw_query(
        database_url, "SELECT national FROM phone_number ORDER BY id LIMIT 1 OFFSET 1000"
    )[0][0]
    phone_digits = "".join(ch for ch in national if ch.isdigit()).lstrip("0")
    return {"common": common, "rare": rare, "domain": domain, "phone": phone_digits}


def raw_execute(database_url: str, statements: list[str]) -> None:
    if database_url.startswith("sqlite://"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite://"))
        try:
            for statement in statements:
                connection.execute(statement)
            connection.commit()
        finally:
            connection.close()
        return
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(database_url)
        try:
            async with connection.transaction():
                for statement in statements:
                    await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def add_groups(database_url: str, groups: int, share: float, seed: int) -> None:
    """`groups` groups, each with a random `share` of the contacts: one INSERT ... SELECT each."""
    sqlite = database_url.startswith("sqlite://")
    now = "CURRENT_TIMESTAMP"
    statements = []
    for index in range(1, groups + 1):
        name = f"Bench group {index}"
        statements.append(
            "INSERT INTO contact_group (name, name_key, description, colour, created_at, "
            f"updated_at) VALUES ('{name}', '{name.lower()}', NULL, NULL, {now}, {now})"
        )
        # A multiplicative hash of (id, group, seed): deterministic, independent per group.
        modulus = 1_000_003
        pick = f"((c.id * 2654435761 + {index * 40503 + seed * 7919}) % {modulus})"
        statements.append(
            "INSERT INTO group_membership (group_id, contact_id, added_at) "
            f"SELECT g.id, c.id, {now} FROM contact c, contact_group g "
            f"WHERE g.name_key = '{name.lower()}' AND {pick} < {int(share * modulus)}"
        )
    if not sqlite:
        statements.append("ANALYZE group_membership")
        statements.append("ANALYZE contact_group")
    raw_execute(database_url, statements)


def pick_filter(database_url: str) -> dict[str, Any]:
    """A realistic three-part filter: the first group, the commonest type and country."""
    group_id = raw_query(database_url, "SELECT min(id) FROM contact_group")[0][0]
    contact_type, country = raw_query(
        database_url,
        "SELECT type, country FROM contact WHERE archived_at IS NULL AND country IS NOT NULL "
        "GROUP BY type, country ORDER BY count(*) DESC LIMIT 1",
    )[0]
    global_id = base64.urlsafe_b64encode(f"Group:{group_id}".encode()).decode()
    return {"groupId": global_id, "type": [contact_type], "country": country}


class Client:
    def __init__(self, base_url: str, password: str, server_pid: int | None = None) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=60)
        self.password = password
        self.server_pid = server_pid

    def graphql(self, query: str, variables: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
        response = self.http.post("/graphql", json={"query": query, "variables": variables})
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors: {body['errors']}")
        count = response.headers.get("x-query-count")
        return body["data"], int(count) if count else None

    def login(self) -> None:
        data, _ = self.graphql(
            "mutation ($input: LoginInput!) { login(input: $input) { user { email } "
            "errors { message } } }",
            {"input": {"email": ADMIN_EMAIL, "password": self.password}},
        )
        if data["login"]["errors"]:
            raise RuntimeError(f"login failed: {data['login']['errors']}")

    def measure(
        self, name: str, query: str, variables: dict[str, Any], requests: int, warmup: int
    ) -> Measurement:
        latencies: list[float] = []
        queries: list[int] = []
        rows = 0
        cpu_start: float | None = None
        for index in range(warmup + requests):
            if index == warmup:
                cpu_start = cpu_seconds(self.server_pid)
            started = time.perf_counter()
            data, count = self.graphql(query, variables)
            elapsed = time.perf_counter() - started
            if index >= warmup:
                latencies.append(elapsed)
                if count is not None:
                    queries.append(count)
            rows = len(data["contacts"]["edges"])
        cpu_end = cpu_seconds(self.server_pid)
        cpu_ms = (
            (cpu_end - cpu_start) * 1000 / requests
            if cpu_start is not None and cpu_end is not None and requests
            else None
        )
        return Measurement(name, latencies, queries, rows, cpu_ms)

    def measure_get(self, name: str, path: str, requests: int, warmup: int) -> Measurement:
        latencies: list[float] = []
        for index in range(warmup + requests):
            started = time.perf_counter()
            self.http.get(path).raise_for_status()
            if index >= warmup:
                latencies.append(time.perf_counter() - started)
        return Measurement(name, latencies, [], 0)


def bench_env(database_url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """The environment of `crm` commands and the server a benchmark runs."""
    return {
        **os.environ,
        "CRM_ENV": "development",
        "CRM_DATABASE_URL": database_url,
        "CRM_DATA_DIR": str(workdir),
        "CRM_SECRET_KEY": secrets.token_urlsafe(48),
        "CRM_FRONTEND_DIR": str(workdir / "no-frontend"),
        "CRM_LOG_LEVEL": "WARNING",
        "CRM_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "PYTHONPATH": str(REPO / "backend"),
        **extra,
    }


def start_server(env: dict[str, str], workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`crm serve` on a free port in its own process group, healthy; and its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = workdir / "server.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "crm", "serve", "--no-migrate", "--port", str(port)],
            env=env,
            cwd=REPO,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    wait_for_health(base_url, server, log)
    return server, base_url


def wait_for_health(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit(f"the server did not become healthy:\n{log.read_text()[-3000:]}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def print_table(measurements: list[Measurement], raw: Measurement, floor: Measurement) -> None:
    header = (
        f"{'measurement':<44} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'SQL/req':>8} {'rows':>5}"
        f" {'CPU ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for m in [*measurements, floor, raw]:
        cpu = f"{m.cpu_ms:>7.1f}" if m.cpu_ms is not None else f"{'-':>7}"
        print(
            f"{m.name:<44} {m.percentile(50):>8.2f} {m.percentile(95):>8.2f} "
            f"{m.percentile(99):>8.2f} {m.query_count:>8} {m.rows:>5} {cpu}"
        )
    print(
        "(CPU ms: the API server process's CPU time per request; SQLite runs inside it, so "
        "there it includes the database's work, PostgreSQL's is not in it)"
    )
    first = measurements[0]
    print(
        f"\nAPI / raw (first page, p50): {first.percentile(50) / raw.percentile(50):.1f}x "
        f"({first.percentile(50):.2f} ms vs {raw.percentile(50):.2f} ms)"
    )
    print(
        f"API / framework floor (first page, p50): "
        f"{first.percentile(50) / floor.percentile(50):.2f}x "
        f"({first.percentile(50):.2f} ms vs {floor.percentile(50):.2f} ms); "
        f"server CPU {first.cpu_ms or 0:.1f} ms vs floor CPU {floor.cpu_ms or 0:.1f} ms"
    )


def build(env: dict[str, str], database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    if database_url.startswith(("postgres://", "postgresql://")):
        asyncio.run(reset_postgres(database_url))
    run_crm(env, "migrate")
    started = time.perf_counter()
    summary = run_crm(env, "demo-data", "--contacts", str(args.contacts), "--seed", str(args.seed))
    demo_seconds = time.perf_counter() - started
    started = time.perf_counter()
    add_groups(raw_url(database_url), GROUPS, GROUP_SHARE, args.seed)
    group_seconds = time.perf_counter() - started
    run_crm(env, "create-admin", "--email", ADMIN_EMAIL)
    return {
        "contacts": args.contacts,
        "summary": summary,
        "demo_seconds": demo_seconds,
        "group_seconds": group_seconds,
    }


def raw_url(database_url: str) -> str:
    return database_url.replace("postgresql://", "postgres://", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per row")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--deep-pages", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep the build here (SQLite file, state)")
    parser.add_argument("--reuse", action="store_true", help="measure the build in --workdir")
    parser.add_argument("--build-only", action="store_true", help="build into --workdir, stop")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (SQLite file)")
    args = parser.parse_args()
    if (args.reuse or args.build_only) and args.workdir is None:
        parser.error("--reuse and --build-only need --workdir")

    keep = args.keep or args.workdir is not None
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="crm-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    state_file = workdir / STATE_FILE
    state: dict[str, Any] | None = None
    if args.reuse:
        if not state_file.exists():
            sys.exit(f"nothing built in {workdir}: run with --build-only first")
        state = json.loads(state_file.read_text())
        if state["database_url"] != database_url:
            sys.exit(f"{workdir} holds a build of {state['database_url']}, not {database_url}")
    password = state["admin_password"] if state else ADMIN_PASSWORD
    env = bench_env(database_url, workdir, CRM_EXPOSE_QUERY_COUNT="1", CRM_ADMIN_PASSWORD=password)
    server: subprocess.Popen[bytes] | None = None
    try:
        if state is None:
            state = {
                **build(env, database_url, args),
                "database_url": database_url,
                "admin_password": password,
            }
            state_file.write_text(json.dumps(state, indent=2))
            print(f"built in {state['demo_seconds'] + state['group_seconds']:.0f} s: {state}")
            if args.build_only:
                return
        terms = pick_search_terms(raw_url(database_url))
        filter_values = pick_filter(raw_url(database_url))

        server, base_url = start_server(env, workdir)
        client = Client(base_url, password, server.pid)
        client.login()
        n, w = args.requests, args.warmup
        first: dict[str, Any] = {"first": 50}
        cursor = None
        for _ in range(args.deep_pages):
            data, _ = client.graphql(LIST, {**first, "after": cursor})
            cursor = data["contacts"]["pageInfo"]["endCursor"]
        created_desc = {"field": "CREATED_AT", "direction": "DESC"}
        country = filter_values["country"]
        plan: list[tuple[str, str, dict[str, Any]]] = [
            ("first page (50, NAME ASC)", LIST, first),
            ("first page + totalCount", LIST_COUNT, first),
            (f"deep page ({args.deep_pages} pages in)", LIST, {**first, "after": cursor}),
            ("sorted CREATED_AT DESC", LIST, {**first, "orderBy": created_desc}),
            (
                f"filter group+{filter_values['type'][0]}+{country}",
                FILTERED,
                {**first, "filter": filter_values},
            ),
            (
                f"search common prefix {terms['common']!r}",
                LIST,
                {**first, "search": terms["common"]},
            ),
            (f"search rare prefix {terms['rare']!r}", LIST, {**first, "search": terms["rare"]}),
            (
                f"search domain @{terms['domain'][:21]}",
                LIST,
                {**first, "search": "@" + terms["domain"]},
            ),
            (f"search phone digits {terms['phone']!r}", LIST, {**first, "search": terms["phone"]}),
        ]
        measure: list[Callable[[], Measurement]] = [
            (lambda name=name, q=q, v=v: client.measure(name, q, v, n, w)) for name, q, v in plan
        ]
        measurements = [run() for run in measure]
        measurements.append(client.measure_get("GET /healthz (HTTP floor)", "/healthz", n, w))
        raw = measure_raw(raw_url(database_url), n, w)
        floor = measure_floor(raw_url(database_url), n, w)

        dialect = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
        print(
            f"\n{dialect}, {state['contacts']} contacts, {n} sequential requests per row "
            f"after {w} warm-up, HTTP/1.1 keep-alive, one server process"
        )
        print(
            f"build: demo-data {state['demo_seconds']:.1f} s wall (command incl. start-up), "
            f"groups {state['group_seconds']:.1f} s: {state['summary']}\n"
        )
        print_table(measurements, raw, floor)
        print(
            f"\nmedian of all API p50s: "
            f"{statistics.median(m.percentile(50) for m in measurements[:-1]):.2f} ms"
        )
    finally:
        if server is not None:
            stop_server(server)
        if keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
