"""Benchmark the streamed contact export over real HTTP against a freshly filled database.

    python bench/export_contacts.py --contacts 100000 [--database-url postgres://...]
        [--formats csv,xlsx,vcf]

Builds a fresh database (SQLite in a temp dir by default; for a PostgreSQL URL the public
schema is dropped and recreated first: point it at a throwaway database) with `crm migrate`,
`crm demo-data` and `crm create-admin`, starts `crm serve --no-migrate` on a free port, logs
in, and downloads `/export/contacts.<format>` once per format, reading the body as a stream.
Reports the time to the first byte, the total time, rows/s, the bytes sent, and the server
process's peak resident memory (VmHWM in /proc/<pid>/status) before and after each export.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from list_contacts import (  # the sibling benchmark's server helpers
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    REPO,
    free_port,
    raw_query,
    reset_postgres,
    run_crm,
    stop_server,
    wait_for_health,
)


def _group_pids(leader: int) -> list[int]:
    """Every process in the server's process group (uvicorn may fork a worker)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == leader:  # pgrp
            pids.append(int(entry.name))
    return pids


def _status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def peak_rss_mib(leader: int) -> float:
    return max((_status_kib(pid, "VmHWM") for pid in _group_pids(leader)), default=0) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    parser.add_argument("--formats", default="csv,vcf,xlsx")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="crm-export-bench-"))
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    if database_url.startswith(("postgres://", "postgresql://")):
        asyncio.run(reset_postgres(database_url))
    env = {
        **os.environ,
        "CRM_ENV": "development",
        "CRM_DATABASE_URL": database_url,
        "CRM_DATA_DIR": str(workdir),
        "CRM_SECRET_KEY": secrets.token_urlsafe(48),
        "CRM_FRONTEND_DIR": str(workdir / "no-frontend"),
        "CRM_LOG_LEVEL": "WARNING",
        "CRM_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "CRM_RUN_WORKER": "0",
        "PYTHONPATH": str(REPO / "backend"),
    }
    server: subprocess.Popen[bytes] | None = None
    try:
        run_crm(env, "migrate")
        started = time.perf_counter()
        print(run_crm(env, "demo-data", "--contacts", str(args.contacts), "--seed", str(args.seed)))
        print(f"demo data: {time.perf_counter() - started:.1f} s")
        run_crm(env, "create-admin", "--email", ADMIN_EMAIL)
        active = raw_query(database_url, "SELECT count(*) FROM contact WHERE archived_at IS NULL")
        rows = int(active[0][0])

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
        http = httpx.Client(base_url=base_url, timeout=600)
        login = http.post(
            "/graphql",
            json={
                "query": "mutation ($input: LoginInput!) { login(input: $input) "
                "{ errors { message } } }",
                "variables": {"input": {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}},
            },
        )
        assert login.json()["data"]["login"]["errors"] == [], login.text

        backend = database_url.split(":", 1)[0]
        print(
            f"\n{rows} active contacts on {backend}; server peak RSS at start "
            f"{peak_rss_mib(server.pid):.0f} MiB"
        )
        print(
            f"{'format':<6} {'first byte':>10} {'total':>8} {'rows/s':>9} {'MiB sent':>9} "
            f"{'chunks':>7} {'peak RSS MiB':>13}"
        )
        for extension in args.formats.split(","):
            started = time.perf_counter()
            first_byte: float | None = None
            size = chunks = 0
            with http.stream("GET", f"/export/contacts.{extension}") as response:
                response.raise_for_status()
                for chunk in response.iter_raw():
                    if first_byte is None:
                        first_byte = time.perf_counter() - started
                    size += len(chunk)
                    chunks += 1
            total = time.perf_counter() - started
            print(
                f"{extension:<6} {first_byte or 0:>9.2f}s {total:>7.1f}s {rows / total:>9.0f} "
                f"{size / 2**20:>9.1f} {chunks:>7} {peak_rss_mib(server.pid):>13.0f}"
            )
    finally:
        if server is not None:
            stop_server(server)


if __name__ == "__main__":
    main()
