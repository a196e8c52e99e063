"""Benchmark a companies import end to end over real HTTP, from a generated CSV.

    python bench/import_companies.py --rows 100000 [--database-url postgres://...]
        [--workdir DIR]

Writes a CSV of `--rows` companies with headers as other tools write them (Organisation,
Web Site, Sector, Tel, Street, Town, Zip, Country, Product/Service): websites typed several
ways, phones in national and international formats, countries by name or code, 1-2 of 20
products; 1% bad rows (a broken website, an unknown country, no name) and 1% repeats of an
earlier row's domain. Builds a fresh database like `bench/import_contacts.py`, starts
`crm serve`, uploads the file with `target=COMPANIES`, imports it with the proposed mapping
(unknown products created), and prints rows/s end to end, the counts, the server's CPU
seconds and its peak resident memory (VmHWM).
"""

from __future__ import annotations

import argparse
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
from import_contacts import JOB, PLAN, graphql, reset_database, wait_for
from list_contacts import ADMIN_PASSWORD, bench_env, run_crm, start_server, stop_server

HEADER = [
    "Organisation", "Web Site", "Sector", "Tel", "Street", "Town", "Zip", "Country",
    "Product/Service",
]  # fmt: skip
WORDS = ["Nordic", "Acme", "Müller", "Søren", "Atlas", "Zenith", "Orbit", "Garçon", "Kraków"]
SECTORS = ["Retail", "Manufacturing", "Software", "Farming", "Logistics", ""]
COUNTRIES = [("SE", "08-123 45x xx"), ("Germany", "030 1234xxxx"), ("FR", "01 99 00 xx xx"),
             ("United Kingdom", "+44 20 7946 0xxx"), ("US", "(201) 555-01xx")]  # fmt: skip
PRODUCTS = [f"Product {n}" for n in range(20)]


def fill(pattern: str, rng: random.Random) -> str:
    return "".join(str(rng.randrange(10)) if ch == "x" else ch for ch in pattern)


def write_csv(path: Path, rows: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    bad = repeated = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            country, phone = rng.choice(COUNTRIES)
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}"
            domain = f"company-{n}.example.com"
            roll = rng.random()
            if roll < 0.01:
                bad += 1
                domain, country, name = rng.choice(
                    [
                        ("not a site", country, name),
                        (domain, "Atlantis", name),
                        (domain, country, ""),
                    ]
                )
            elif roll < 0.02 and n:
                repeated += 1
                domain = f"company-{rng.randrange(n)}.example.com"
            website = rng.choice([domain, f"https://www.{domain}/", f"http://{domain}"])
            writer.writerow(
                [
                    name,
                    website if rng.random() < 0.9 else "",
                    rng.choice(SECTORS),
                    fill(phone, rng) if rng.random() < 0.7 else "",
                    f"{rng.randrange(1, 200)} High Street",
                    rng.choice(["Stockholm", "Berlin", "Paris", "London", "New York"]),
                    str(rng.randrange(10000, 99999)),
                    country,
                    "; ".join(rng.sample(PRODUCTS, rng.randrange(3))),
                ]
            )
    return {"bad": bad, "repeated": repeated}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()

    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="crm-company-bench-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / f"companies-{args.rows}.csv"
    if not source.exists():
        print(f"wrote {source}: {write_csv(source, args.rows, args.seed)}")
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    admin_email = f"bench-{secrets.token_hex(4)}@example.com"
    env = bench_env(
        database_url, workdir, CRM_MAX_UPLOAD_BYTES=str(max(100_000_000, source.stat().st_size))
    )
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
        import_file(http, server.pid, source, args.rows, database_url)
    finally:
        if server is not None:
            stop_server(server)


def import_file(
    http: httpx.Client, server_pid: int, source: Path, rows: int, database_url: str
) -> None:
    reset_peak_rss(server_pid)
    cpu_before = cpu_seconds(server_pid)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with source.open("rb") as handle:
        response = http.post(
            "/import/upload",
            files={"file": (source.name, handle, "text/csv")},
            data={"target": "COMPANIES"},
            headers={"X-CRM-CSRF": "1"},
        )
    assert response.status_code == 201, response.text
    job_id = response.json()["id"]
    job = graphql(http, JOB, {"id": job_id})["importJob"]
    columns = [{"index": c["index"], "field": c["field"]} for c in job["columns"]]
    options = {"duplicateMode": "SKIP", "unknownProducts": "CREATE"}
    plan = {"jobId": job_id, "columns": columns, "options": options}
    result = graphql(http, PLAN % ("StartImportInput", "startImport"), {"input": plan})
    assert result["startImport"]["errors"] == [], result
    job = wait_for(http, job_id, {"DONE", "FAILED", "CANCELLED"})
    took = time.perf_counter() - started
    print(f"\n{rows:,} companies into {database_url.split(':', 1)[0]}; load {load:.1f}")
    print(f"state {job['state']} {job['errorMessage'] or ''}")
    print(
        f"created {job['createdCount']:,}  skipped {job['skippedCount']:,}  "
        f"failed {job['failedCount']:,}"
    )
    print(
        f"end to end {took:.1f} s ({rows / took:,.0f} rows/s); server CPU "
        f"{cpu_seconds(server_pid) - cpu_before:.1f} s; peak RSS {peak_rss_mib(server_pid):.0f} MiB"
    )


if __name__ == "__main__":
    main()
