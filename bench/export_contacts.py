"""Benchmark the streamed contact export over real HTTP against a filled database.

    python bench/export_contacts.py --contacts 100000 [--database-url postgres://...]
        [--formats csv,vcf,xlsx] [--workdir DIR] [--repeat N]

Builds a database (SQLite in the work directory by default; for a PostgreSQL URL the public
schema is dropped and recreated first: point it at a throwaway database) with `crm migrate`,
`crm demo-data` and `crm create-admin`, starts `crm serve --no-migrate` on a free port, logs
in, and downloads `/export/contacts.<format>` per format, reading the body as a stream.

Building 1,000,000 contacts takes minutes, so `--workdir DIR` keeps the database: a later
run with the same directory, URL, --contacts and --seed reuses it (`--build-only` just builds).

`--sha256` also prints a digest of each body, to check that a change keeps the output.

Reports, per export: the time to the first byte, the total time, rows/s, the bytes sent, the
server's CPU seconds (user + system: the machine may be busy, so wall time alone can mislead),
its peak resident memory during that export (VmHWM in /proc/<pid>/status, reset before each
export through /proc/<pid>/clear_refs where the kernel allows it), and the 1-minute load average
when the export started.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
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
    ADMIN_PASSWORD,
    bench_env,
    raw_query,
    reset_postgres,
    run_crm,
    start_server,
    stop_server,
)

BUILT_MARKER = "export-bench-db.json"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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


def reset_peak_rss(leader: int) -> bool:
    """Start the peak-RSS mark afresh (Linux: "5" to clear_refs); False if not allowed."""
    done = True
    for pid in _group_pids(leader):
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            done = False
    return done


def cpu_seconds(leader: int) -> float:
    """User + system CPU time of the server's processes."""
    ticks = 0
    for pid in _group_pids(leader):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / CLOCK_TICKS


def build_database(env: dict[str, str], args: argparse.Namespace, workdir: Path) -> None:
    """Migrate and fill the database, unless the work directory says it already holds it."""
    database_url = env["CRM_DATABASE_URL"]
    wanted = {"database_url": database_url, "contacts": args.contacts, "seed": args.seed}
    marker = workdir / BUILT_MARKER
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        print(f"reusing the database built earlier ({marker})")
        return
    marker.unlink(missing_ok=True)
    if database_url.startswith(("postgres://", "postgresql://")):
        asyncio.run(reset_postgres(database_url))
    else:
        Path(database_url.removeprefix("sqlite://")).unlink(missing_ok=True)
    run_crm(env, "migrate")
    started = time.perf_counter()
    print(run_crm(env, "demo-data", "--contacts", str(args.contacts), "--seed", str(args.seed)))
    print(f"demo data: {time.perf_counter() - started:.1f} s")
    marker.write_text(json.dumps(wanted))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--database-url", help="postgres://... (its public schema is dropped!)")
    parser.add_argument("--formats", default="csv,vcf,xlsx")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) the database here")
    parser.add_argument("--build-only", action="store_true", help="build the database and stop")
    parser.add_argument("--repeat", type=int, default=1, help="downloads per format")
    parser.add_argument(
        "--sha256", action="store_true", help="print each body's SHA-256 (to compare outputs)"
    )
    args = parser.parse_args()

    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="crm-export-bench-"))).resolve()
    database_url = args.database_url or f"sqlite://{workdir}/bench.sqlite3"
    # A fresh administrator per run, so a reused database needs no password of an earlier one.
    admin_email = f"bench-{secrets.token_hex(4)}@example.com"
    env = bench_env(database_url, workdir, CRM_RUN_WORKER="0")
    build_database(env, args, workdir)
    if args.build_only:
        return
    server: subprocess.Popen[bytes] | None = None
    try:
        run_crm(env, "create-admin", "--email", admin_email)
        active = raw_query(database_url, "SELECT count(*) FROM contact WHERE archived_at IS NULL")
        rows = int(active[0][0])

        server, base_url = start_server(env, workdir)
        http = httpx.Client(base_url=base_url, timeout=3600)
        login = http.post(
            "/graphql",
            json={
                "query": "mutation ($input: LoginInput!) { login(input: $input) "
                "{ errors { message } } }",
                "variables": {"input": {"email": admin_email, "password": ADMIN_PASSWORD}},
            },
        )
        assert login.json()["data"]["login"]["errors"] == [], login.text

        backend = database_url.split(":", 1)[0]
        print(
            f"\n{rows} active contacts on {backend}; {os.cpu_count()} CPUs; server peak RSS "
            f"at start {peak_rss_mib(server.pid):.0f} MiB"
        )
        print(
            f"{'format':<6} {'first byte':>10} {'total':>8} {'rows/s':>9} {'MiB sent':>9} "
            f"{'chunks':>7} {'server CPU':>10} {'peak RSS MiB':>13} {'load 1m':>8}"
        )
        peaks_reset = True
        for extension in [f for f in args.formats.split(",") if f] * args.repeat:
            peak_is_per_export = reset_peak_rss(server.pid)
            peaks_reset = peaks_reset and peak_is_per_export
            load = os.getloadavg()[0]
            cpu_before = cpu_seconds(server.pid)
            started = time.perf_counter()
            first_byte: float | None = None
            size = chunks = 0
            digest = hashlib.sha256() if args.sha256 else None
            with http.stream("GET", f"/export/contacts.{extension}") as response:
                response.raise_for_status()
                for chunk in response.iter_raw():
                    if first_byte is None:
                        first_byte = time.perf_counter() - started
                    size += len(chunk)
                    chunks += 1
                    if digest is not None:
                        digest.update(chunk)
            total = time.perf_counter() - started
            cpu = cpu_seconds(server.pid) - cpu_before
            peak = f"{peak_rss_mib(server.pid):.0f}" + ("" if peak_is_per_export else "*")
            print(
                f"{extension:<6} {first_byte or 0:>9.2f}s {total:>7.1f}s {rows / total:>9.0f} "
                f"{size / 2**20:>9.1f} {chunks:>7} {cpu:>9.1f}s {peak:>13} {load:>8.2f}"
                + (f"  sha256 {digest.hexdigest()[:16]}" if digest is not None else "")
            )
        if not peaks_reset:
            print("(* peak since the server started: the kernel refused to reset the mark)")
    finally:
        if server is not None:
            stop_server(server)


if __name__ == "__main__":
    main()
