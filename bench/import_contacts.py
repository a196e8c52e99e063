"""Benchmark a contact import end to end over real HTTP, from a generated CSV.

    python bench/import_contacts.py --rows 1000000 [--database-url postgres://...]
        [--preview] [--workdir DIR]

Writes a CSV of `--rows` contacts (names with accents, emails, 0-3 phones in eight countries
typed in national and international formats, companies, cities, countries by name or code,
consent columns), with 1% bad rows (broken emails, impossible numbers, no last name) and 1%
repeats of an earlier row's email. Builds a fresh database (SQLite in the work directory, or
the given PostgreSQL URL whose public schema is dropped first), starts `crm serve` with the
import runner in the server process, signs in, uploads the file (`POST /import/upload`),
starts the import with the proposed mapping, and polls `importJob` until it ends.

Prints: upload time, import time (start to DONE), rows/s end to end, the created / skipped /
failed counts, the server's CPU seconds and its peak resident memory (VmHWM) during the run.

`--then-export` then downloads the imported contacts as CSV through the same server
(`GET /export/contacts.csv`, read as a stream) and prints the time to the first byte, the
total, rows/s, bytes, server CPU and peak memory of the export. `--export-only` does just
that against the database an earlier run left (the SQLite file in `--workdir`, or the URL).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_contacts import cpu_seconds, peak_rss_mib, reset_peak_rss
from list_contacts import (
    ADMIN_PASSWORD,
    bench_env,
    reset_postgres,
    run_crm,
    start_server,
    stop_server,
)

HEADER = [
    "Title", "First name", "Surname", "E-mail", "Type", "Company", "Mobile", "Tel",
    "City", "Postcode", "Country", "Email consent",
]  # fmt: skip
FIRST = ["Ada", "Zoë", "José", "Łukasz", "Søren", "Amélie", "Chloé", "Jürgen", "Mei", "Omar"]
LAST = ["Lovelace", "Müller", "García", "Nowak", "Øvergaard", "Dubois", "O'Brien", "Rossi"]
CITIES = ["London", "Zürich", "Paris", "Kraków", "Berlin", "Madrid", "Milano", "Lyon"]
# (country as written, mobile pattern, landline pattern); x = a digit
COUNTRIES = [
    ("GB", "07400 1xxxxx", "020 7946 0xxx"),
    ("United Kingdom", "+44 7400 2xxxxx", "+44 121 496 0xxx"),
    ("FR", "06 12 34 5x xx", "01 99 00 xx xx"),
    ("Germany", "+49 1512 345xxxx", "030 1234xxxx"),
    ("ES", "612 34x xxx", "91 123 4x xx"),
    ("IT", "312 345 6xxx", "06 1234 5xxx"),
    ("US", "(201) 555-01xx", "+1 212 555 01xx"),
    ("Australia", "0491 570 xxx", "02 5550 xxxx"),
]
TYPES = ["Lead", "Prospect", "Client", "", "Other"]


def fill(pattern: str, rng: random.Random) -> str:
    return "".join(str(rng.randrange(10)) if ch == "x" else ch for ch in pattern)


def write_csv(path: Path, rows: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    bad = repeated = 0
    emails: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            country, mobile, landline = rng.choice(COUNTRIES)
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()[:3]}.{n}@example.com"
            roll = rng.random()
            kind = rng.choice(TYPES)
            row = [
                rng.choice(["", "", "Mr", "Ms", "Dr"]),
                first,
                last,
                email,
                kind,
                f"Company {rng.randrange(max(1, rows // 8))}" if rng.random() < 0.7 else "",
                fill(mobile, rng) if rng.random() < 0.8 else "",
                fill(landline, rng) if rng.random() < 0.4 else "",
                rng.choice(CITIES),
                f"{rng.randrange(10000, 99999)}",
                country,
                rng.choice(["yes", "no", ""]),
            ]
            if roll < 0.01:
                bad += 1
                problem = rng.randrange(3)
                if problem == 0:
                    row[3] = f"broken.{n}@"
                elif problem == 1:
                    row[6] = "12"
                else:
                    row[2] = ""
            elif roll < 0.02 and emails:
                repeated += 1
                row[3] = rng.choice(emails).upper()
            if len(emails) < 10_000:
                emails.append(email)
            writer.writerow(row)
    return {"bad": bad, "repeated": repeated}


def graphql(http: httpx.Client, query: str, variables: dict) -> dict:
    response = http.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]


JOB = """query ($id: ID!) { importJob(id: $id) { state totalRows rowsDone createdCount
  updatedCount skippedCount failedCount errorMessage columns { index field }
  preview { validRows invalidRows inFileDuplicateRows } } }"""
PLAN = """mutation ($input: %s!) { %s(input: $input) { errors { field message } } }"""


def wait_for(http: httpx.Client, job_id: str, states: set[str]) -> dict:
    while True:
        job = graphql(http, JOB, {"id": job_id})["importJob"]
        if job["state"] in states:
            return job
        time.sleep(0.25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--preview", action="store_true", help="also time the preview")
    parser.add_argument("--then-export", action="store_true", help="then time a CSV export")
    parser.add_argument(
        "--export-only", action="store_true", help="only export the database a run left"
    )
    args = parser.parse_args()

    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="crm-import-bench-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / f"contacts-{args.rows}.csv"
    if not source.exists() and not args.export_only:
        started = time.perf_counter()
        made = write_csv(source, args.rows, args.seed)
        print(
            f"wrote {source} ({source.stat().st_size / 1e6:.0f} MB, {made}) "
            f"in {time.perf_counter() - started:.1f} s"
        )
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    admin_email = f"bench-{secrets.token_hex(4)}@example.com"
    env = bench_env(
        database_url,
        workdir,
        CRM_MAX_UPLOAD_BYTES=str(max(100_000_000, _size(source) + 1)),
    )
    if not args.export_only:
        reset_database(database_url)
    run_crm(env, "migrate")
    run_crm(env, "create-admin", "--email", admin_email)

    server = None
    try:
        server, base_url = start_server(env, workdir)
        http = httpx.Client(base_url=base_url, timeout=3600)
        login = graphql(
            http,
            "mutation ($input: LoginInput!) { login(input: $input) { errors { message } } }",
            {"input": {"email": admin_email, "password": ADMIN_PASSWORD}},
        )
        assert login["login"]["errors"] == []
        if not args.export_only:
            import_file(http, server.pid, source, args, database_url)
        if args.then_export or args.export_only:
            export_csv(http, server.pid)
    finally:
        if server is not None:
            stop_server(server)


def reset_database(database_url: str) -> None:
    """An empty database: PostgreSQL's public schema dropped, or the SQLite file removed."""
    if database_url.startswith(("postgres://", "postgresql://")):
        asyncio.run(reset_postgres(database_url))
    else:
        Path(database_url.removeprefix("sqlite://")).unlink(missing_ok=True)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def import_file(
    http: httpx.Client, server_pid: int, source: Path, args: argparse.Namespace, database_url: str
) -> None:
    reset_peak_rss(server_pid)
    cpu_before = cpu_seconds(server_pid)
    load = os.getloadavg()[0]

    started = time.perf_counter()
    with source.open("rb") as handle:
        response = http.post(
            "/import/upload",
            files={"file": (source.name, handle, "text/csv")},
            headers={"X-CRM-CSRF": "1"},
        )
    assert response.status_code == 201, response.text
    job_id = response.json()["id"]
    uploaded = time.perf_counter() - started
    job = graphql(http, JOB, {"id": job_id})["importJob"]
    columns = [{"index": c["index"], "field": c["field"]} for c in job["columns"]]
    plan = {"jobId": job_id, "columns": columns, "options": {"duplicateMode": "SKIP"}}

    previewed = 0.0
    if args.preview:
        mark = time.perf_counter()
        result = graphql(http, PLAN % ("PreviewImportInput", "previewImport"), {"input": plan})
        assert result["previewImport"]["errors"] == [], result
        job = wait_for(http, job_id, {"PREVIEWED", "FAILED"})
        previewed = time.perf_counter() - mark
        print(f"preview: {previewed:.1f} s, {job['preview']}")

    mark = time.perf_counter()
    result = graphql(http, PLAN % ("StartImportInput", "startImport"), {"input": plan})
    assert result["startImport"]["errors"] == [], result
    job = wait_for(http, job_id, {"DONE", "FAILED", "CANCELLED"})
    imported = time.perf_counter() - mark
    total = uploaded + imported
    backend = database_url.split(":", 1)[0]
    print(f"\n{args.rows:,} rows into {backend}; {os.cpu_count()} CPUs; load {load:.1f}")
    print(f"state {job['state']} {job['errorMessage'] or ''}")
    print(
        f"created {job['createdCount']:,}  skipped {job['skippedCount']:,}  "
        f"failed {job['failedCount']:,}"
    )
    print(
        f"upload {uploaded:.1f} s; import {imported:.1f} s; end to end {total:.1f} s "
        f"({args.rows / total:,.0f} rows/s)"
    )
    print(
        f"server CPU {cpu_seconds(server_pid) - cpu_before:.1f} s; "
        f"peak RSS {peak_rss_mib(server_pid):.0f} MiB"
    )


def export_csv(http: httpx.Client, server_pid: int) -> None:
    """Download every active contact as CSV, reading the stream as it comes."""
    reset_peak_rss(server_pid)
    cpu_before = cpu_seconds(server_pid)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    first_byte = None
    size = lines = 0
    with http.stream("GET", "/export/contacts.csv") as response:
        assert response.status_code == 200, response.read()
        for chunk in response.iter_bytes():
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
    took = time.perf_counter() - started
    rows = lines - 1  # the header; no exported cell holds a line break here
    print(f"\nexport CSV: {rows:,} rows, {size / 1e6:.0f} MB; load {load:.1f}")
    print(
        f"first byte {first_byte or 0:.2f} s; total {took:.1f} s ({rows / took:,.0f} rows/s); "
        f"server CPU {cpu_seconds(server_pid) - cpu_before:.1f} s; "
        f"peak RSS {peak_rss_mib(server_pid):.0f} MiB"
    )


if __name__ == "__main__":
    main()
