"""Faults under load: PostgreSQL restarted, a worker killed mid-import, SQLite's disk full.

    python bench/faults.py pg-restart --database-url postgres://127.0.0.1:PORT/DB --pg-dir DIR
    python bench/faults.py worker-kill [--database-url postgres://127.0.0.1:PORT/DB]
    python bench/faults.py campaign-kill [--people 3000] [--database-url postgres://…]
    python bench/faults.py full-disk            (as root: mounts a 20 MiB tmpfs)

pg-restart: two `crm serve` processes on a throwaway cluster of your own (start one with
`CRM_TEST_PG_DIR=/tmp/crm-load-pg CRM_TEST_PG_PORT=55499 scripts/pg-test-server.sh`, never
the shared one); staff users list, create contacts with two phones and edit them while the
cluster is stopped for --down seconds and started again. Reports the answers during the
outage (each should be 503 UNAVAILABLE with Retry-After), how long after the restart the
first request succeeds, that nothing fails once it has, and that every contact is whole (two
phones) and every acknowledged one is there.

worker-kill: imports a CSV through `crm serve` with no background worker of its own; a
`crm worker` process starts the import and is killed with SIGKILL part-way; a second worker
takes the job over once the lease (60 s) runs out. Reports that the import finished and that
no row was imported twice.

campaign-kill: a campaign to --people contacts (imported with email consent) delivered by a
`crm worker` to an SMTP sink in this script; the worker is SIGKILLed after a quarter of the
mail went out and a second worker takes the rest over once the mail lease
(CRM_MAIL_LEASE_SECONDS, 20 s here) runs out. Reports that everyone received it and how many
got a second copy (at most the messages in flight at the kill, one per SMTP connection
(CRM_SMTP_CONNECTIONS, 4 here), as the README promises).

full-disk: SQLite on a 20 MiB tmpfs (root only; otherwise skipped, saying why); the disk
filled with a file; notes added until writes fail. Reports the answer (507 DISK_FULL), that
reads still work, `PRAGMA integrity_check`, and that writes work again once space is freed.

Everything listens on 127.0.0.1 only and is bounded in time and requests.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_contacts import JOB, PLAN, write_csv
from list_contacts import (
    ADMIN_PASSWORD,
    REPO,
    bench_env,
    free_port,
    raw_query,
    raw_url,
    reset_postgres,
    run_crm,
    start_server,
    stop_server,
)
from load import (
    LIST,
    Failed,
    Results,
    Session,
    User,
    contact_id,
    contact_pk,
    require_loopback,
    sign_in,
)

CREATE = """
mutation Create($input: CreateContactInput!) {
  createContact(input: $input) { contact { id } errors { field message code } }
}
"""
EDIT = """
mutation Edit($input: UpdateContactInput!) {
  updateContact(input: $input) { contact { id } errors { field message code } }
}
"""
NOTE = """
mutation Note($input: AddNoteInput!) {
  addNote(input: $input) { note { id } errors { field message code } }
}
"""
FAULT_PREFIX = "Fault"


# --- PostgreSQL restarted -------------------------------------------------------------------


@dataclass
class Timeline:
    """Every answer with the time it came, relative to the start of the run."""

    started: float = field(default_factory=time.monotonic)
    answers: list[tuple[float, str, str]] = field(default_factory=list)  # time, op, outcome
    created: set[int] = field(default_factory=set)

    def note(self, operation: str, outcome: str) -> None:
        self.answers.append((time.monotonic() - self.started, operation, outcome))


async def restart_user(
    user: User, index: int, timeline: Timeline, until: float, retry_after: Counter[str]
) -> None:
    """List, create a contact with two phones, edit it: again and again until `until`."""
    async with httpx.AsyncClient(base_url=user.base_url, cookies=user.cookies, timeout=30) as http:
        session = Session(user, http, Results())
        serial = 0
        while time.monotonic() < until:
            serial += 1
            name = f"{FAULT_PREFIX}{index}x{serial}"
            phones = [
                {"number": f"+4420794600{index % 10}{serial % 10}", "type": "OFFICE"},
                {"number": f"+44790011{index % 10:01d}{serial % 1000:03d}", "type": "MOBILE"},
            ]
            created = await attempt(
                session,
                timeline,
                retry_after,
                "create contact",
                CREATE,
                {"input": {"firstName": name, "lastName": "Whole", "phones": phones}},
            )
            if created:
                pk = contact_pk(created["createContact"]["contact"]["id"])
                timeline.created.add(pk)
                await attempt(
                    session,
                    timeline,
                    retry_after,
                    "edit contact",
                    EDIT,
                    {"input": {"id": contact_id(pk), "jobTitle": f"Edited {serial}"}},
                )
            await attempt(session, timeline, retry_after, "list contacts", LIST, {})
            await asyncio.sleep(0.1)


async def attempt(
    session: Session,
    timeline: Timeline,
    retry_after: Counter[str],
    operation: str,
    query: str,
    variables: dict[str, Any],
) -> dict[str, Any] | None:
    try:
        response = await session.client.post(
            "/graphql", json={"query": query, "variables": variables}
        )
    except httpx.HTTPError as error:
        timeline.note(operation, type(error).__name__)
        return None
    if "retry-after" in response.headers:
        retry_after[response.headers["retry-after"]] += 1
    try:
        data = await _checked(response)
    except Failed as failure:
        timeline.note(operation, failure.kind)
        return None
    timeline.note(operation, "ok")
    return data


async def _checked(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise Failed(f"HTTP {response.status_code} not JSON: {response.text[:40]!r}") from None
    if body.get("errors"):
        code = (body["errors"][0].get("extensions") or {}).get("code", "?")
        raise Failed(f"HTTP {response.status_code} {code}")
    if response.status_code != 200:
        raise Failed(f"HTTP {response.status_code}")
    payload = next(iter(body["data"].values()))
    if payload.get("errors"):
        raise Failed(f"UserError {payload['errors'][0]['code']}")
    return body["data"]


def pg_ctl(pg_dir: Path, *args: str) -> None:
    """The throwaway cluster's pg_ctl, as the postgres user when we are root (initdb's rule)."""
    binary = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
    command = [str(binary), "-D", str(pg_dir / "data"), "-w", *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, cwd="/", check=True, capture_output=True)


async def restart_during_load(
    base_urls: list[str], staff: list[User], pg_dir: Path, down: float, seconds: float
) -> tuple[Timeline, float, float, Counter[str]]:
    timeline = Timeline()
    retry_after: Counter[str] = Counter()
    until = timeline.started + seconds
    users = [
        asyncio.create_task(restart_user(user, index, timeline, until, retry_after))
        for index, user in enumerate(staff)
    ]
    await asyncio.sleep(seconds / 4)
    stopped_at = time.monotonic() - timeline.started
    await asyncio.to_thread(pg_ctl, pg_dir, "stop", "-m", "fast")
    await asyncio.sleep(down)
    await asyncio.to_thread(pg_ctl, pg_dir, "start", "-l", str(pg_dir / "server.log"))
    back_at = time.monotonic() - timeline.started
    await asyncio.gather(*users)
    return timeline, stopped_at, back_at, retry_after


def report_restart(
    timeline: Timeline, stopped_at: float, back_at: float, retry_after: Counter[str], url: str
) -> bool:
    before = Counter(o for t, _, o in timeline.answers if t < stopped_at)
    during = Counter(o for t, _, o in timeline.answers if stopped_at <= t < back_at)
    after = [(t, o) for t, _, o in timeline.answers if t >= back_at]
    first_ok = next((t for t, o in after if o == "ok"), None)
    recovered = [o for t, o in after if first_ok is not None and t > first_ok]
    print(f"PostgreSQL stopped at {stopped_at:.1f} s, started again at {back_at:.1f} s")
    print(f"answers before: {dict(before)}")
    print(f"answers while it was down: {dict(during)}")
    print(f"Retry-After headers seen: {dict(retry_after)}")
    if first_ok is None:
        print("no request succeeded after the restart")
        return False
    print(f"first success {first_ok - back_at:.2f} s after the restart")
    print(f"answers after the first success: {dict(Counter(recovered))}")
    half_written = raw_query(
        raw_url(url),
        "SELECT c.id FROM contact c LEFT JOIN phone_number p ON p.contact_id = c.id "
        f"WHERE c.first_name LIKE '{FAULT_PREFIX}%' GROUP BY c.id HAVING count(p.id) <> 2",
    )
    stored = {
        row[0]
        for row in raw_query(
            raw_url(url), f"SELECT id FROM contact WHERE first_name LIKE '{FAULT_PREFIX}%'"
        )
    }
    lost = timeline.created - stored
    print(
        f"contacts created: {len(stored)} stored, {len(timeline.created)} acknowledged; "
        f"acknowledged but missing: {len(lost)}; without both phones (half-written): "
        f"{len(half_written)}"
    )
    unclear = {o for o in during if o != "ok" and "UNAVAILABLE" not in o}
    return not lost and not half_written and set(recovered) <= {"ok"} and not unclear


def pg_restart(args: argparse.Namespace) -> bool:
    if not args.database_url or not args.pg_dir:
        sys.exit("pg-restart needs --database-url and --pg-dir of a throwaway cluster of yours")
    workdir = Path(tempfile.mkdtemp(prefix="crm-faults-"))
    env = bench_env(args.database_url, workdir)
    asyncio.run(reset_postgres(raw_url(args.database_url)))
    run_crm(env, "migrate")
    run_crm(env, "demo-data", "--contacts", "500", "--seed", "1")
    accounts = create_accounts(env, args.users)
    servers, base_urls = start_servers(env, workdir, 2)
    try:
        staff, _ = asyncio.run(sign_in(base_urls, accounts, ADMIN_PASSWORD, []))
        outcome = asyncio.run(
            restart_during_load(base_urls, staff, Path(args.pg_dir), args.down, args.seconds)
        )
        return report_restart(*outcome, args.database_url)
    finally:
        for server in servers:
            stop_server(server)
        keep_logs(workdir)


def keep_logs(workdir: Path) -> None:
    """The servers' logs are kept (the rest is removed) to read what went wrong."""
    for path in workdir.iterdir():
        if path.is_file():
            path.unlink()
    print(f"server logs kept in {workdir}")


def create_accounts(env: dict[str, str], staff: int) -> dict[str, Any]:
    made = subprocess.run(
        [sys.executable, str(REPO / "bench" / "load_accounts.py"), str(staff), "0", ADMIN_PASSWORD],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(made.stdout)


def start_servers(
    env: dict[str, str], workdir: Path, count: int
) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    servers, base_urls = [], []
    for index in range(count):
        (workdir / f"server-{index}").mkdir()
        server, base_url = start_server(env, workdir / f"server-{index}")
        servers.append(server)
        base_urls.append(base_url)
    return servers, base_urls


# --- a worker killed mid-import -------------------------------------------------------------


def graphql(http: httpx.Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = http.post("/graphql", json={"query": query, "variables": variables}).json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


def signed_in_staff(base_url: str) -> httpx.Client:
    http = httpx.Client(base_url=base_url, timeout=60)
    login = graphql(
        http,
        "mutation ($input: LoginInput!) { login(input: $input) { errors { message } } }",
        {"input": {"email": "load-staff-0@example.com", "password": ADMIN_PASSWORD}},
    )
    assert not login["login"]["errors"], login
    return http


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "crm", "worker"],
            env=env,
            cwd=REPO,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_for_job(http: httpx.Client, job_id: str, done: Any, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = graphql(http, JOB, {"id": job_id})["importJob"]
        if done(job):
            return job
        time.sleep(0.2)
    raise TimeoutError(f"import job still {job['state']} after {timeout:.0f} s")


def worker_kill(args: argparse.Namespace) -> bool:
    workdir = Path(tempfile.mkdtemp(prefix="crm-faults-"))
    url = args.database_url or f"sqlite://{workdir}/faults.sqlite3"
    env = bench_env(url, workdir, CRM_RUN_WORKER="0")
    if url.startswith("postgres"):
        asyncio.run(reset_postgres(raw_url(url)))
    run_crm(env, "migrate")
    create_accounts(env, 1)
    source = workdir / "people.csv"
    planted = write_csv(source, args.rows, seed=7)
    servers, (base_url,) = start_servers(env, workdir, 1)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        http = signed_in_staff(base_url)
        job_id = start_import(http, source, {"duplicateMode": "SKIP"})

        workers.append(start_worker(env, workdir / "worker.log"))
        part_way = wait_for_job(http, job_id, lambda j: (j["rowsDone"] or 0) >= args.rows // 4, 300)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        killed_at = time.monotonic()
        print(f"worker killed (SIGKILL) at {part_way['rowsDone']:,} of {args.rows:,} rows")

        workers.append(start_worker(env, workdir / "worker.log"))
        finished = wait_for_job(http, job_id, lambda j: j["state"] in {"DONE", "FAILED"}, 400)
        print(
            f"second worker finished it {time.monotonic() - killed_at:.0f} s after the kill: "
            f"{finished['state']}, created {finished['createdCount']:,}, skipped "
            f"{finished['skippedCount']:,}, failed {finished['failedCount']:,} "
            f"(the file has {planted['bad']} bad rows and {planted['repeated']} repeated emails)"
        )
        twice = raw_query(
            raw_url(url),
            "SELECT email_key FROM contact WHERE email_key IS NOT NULL "
            "GROUP BY email_key HAVING count(*) > 1",
        )
        contacts = raw_query(raw_url(url), "SELECT count(*) FROM contact")[0][0]
        accounted = finished["createdCount"] + finished["skippedCount"] + finished["failedCount"]
        print(
            f"contacts in the database: {contacts:,}; emails stored twice: {len(twice)}; "
            f"rows accounted for: {accounted:,} of {args.rows:,}"
        )
        return (
            finished["state"] == "DONE"
            and not twice
            and contacts == finished["createdCount"]
            and accounted == args.rows
        )
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        for server in servers:
            stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)


# --- a worker killed mid-campaign -----------------------------------------------------------

CAMPAIGN = """mutation ($input: CreateCampaignInput!) {
  createCampaign(input: $input) { campaign { id } errors { message } } }"""
AUDIENCE = """mutation ($input: SetCampaignAudienceInput!) {
  setCampaignAudience(input: $input) { errors { message } } }"""
SEND = """mutation ($input: SendCampaignInput!) {
  sendCampaign(input: $input) { errors { message } } }"""
CAMPAIGN_STATE = "query ($id: ID!) { campaign(id: $id) { status stats { sent failed } } }"
MAIL_LEASE_SECONDS = 20
SMTP_CONNECTIONS = 4


class Sink:
    """An SMTP server on loopback that counts what each address receives."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()

    async def handle_DATA(self, _server: object, _session: object, envelope: Any) -> str:
        for address in envelope.rcpt_tos:
            self.received[address] += 1
        return "250 2.0.0 Accepted"


def start_import(http: httpx.Client, source: Path, options: dict[str, Any]) -> str:
    """Upload the CSV `source` and start importing it, each column as the importer guessed,
    with `options`; the job's id."""
    with source.open("rb") as handle:
        upload = http.post(
            "/import/upload",
            files={"file": (source.name, handle, "text/csv")},
            headers={"X-CRM-CSRF": "1"},
        )
    job_id = upload.json()["id"]
    job = graphql(http, JOB, {"id": job_id})["importJob"]
    columns = [{"index": c["index"], "field": c["field"]} for c in job["columns"]]
    plan = {"jobId": job_id, "columns": columns, "options": options}
    graphql(http, PLAN % ("StartImportInput", "startImport"), {"input": plan})
    return job_id


def import_people(http: httpx.Client, workdir: Path, people: int) -> str:
    """Import `people` contacts who agreed to email into a new group; the group's id."""
    source = workdir / "people.csv"
    rows = ["First name,Last name,Email"]
    rows += [f"Pat{n},Campaign{n},pat{n}@example.com" for n in range(people)]
    source.write_text("\n".join(rows) + "\n")
    job_id = start_import(http, source, {"newGroupName": "Fault campaign", "consents": ["EMAIL"]})
    done = wait_for_job(http, job_id, lambda j: j["state"] in {"DONE", "FAILED"}, 300)
    group = graphql(
        http, "query ($id: ID!) { importJob(id: $id) { options { group { id } } } }", {"id": job_id}
    )
    print(f"imported {done['createdCount']:,} people who agreed to email")
    return group["importJob"]["options"]["group"]["id"]


def wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.1)


def campaign_kill(args: argparse.Namespace) -> bool:
    from aiosmtpd.controller import Controller

    workdir = Path(tempfile.mkdtemp(prefix="crm-faults-"))
    url = args.database_url or f"sqlite://{workdir}/faults.sqlite3"
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = bench_env(
        url,
        workdir,
        CRM_RUN_WORKER="0",
        CRM_SMTP_URL=f"smtp://127.0.0.1:{controller.port}",
        CRM_MAIL_LEASE_SECONDS=str(MAIL_LEASE_SECONDS),
        CRM_SMTP_CONNECTIONS=str(SMTP_CONNECTIONS),
    )
    if url.startswith("postgres"):
        asyncio.run(reset_postgres(raw_url(url)))
    run_crm(env, "migrate")
    create_accounts(env, 1)
    servers, (base_url,) = start_servers(env, workdir, 1)
    workers = [start_worker(env, workdir / "worker.log")]
    try:
        http = signed_in_staff(base_url)
        group_id = import_people(http, workdir, args.people)
        body = {"name": "Fault", "subject": "Hello", "body": "Hi {{ first_name }}"}
        campaign_id = graphql(http, CAMPAIGN, {"input": body})["createCampaign"]["campaign"]["id"]
        graphql(http, AUDIENCE, {"input": {"campaignId": campaign_id, "groupIds": [group_id]}})
        graphql(http, SEND, {"input": {"campaignId": campaign_id}})

        wait_until(lambda: sum(sink.received.values()) >= args.people // 4, 300, "no mail")
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        killed_at, at_kill = time.monotonic(), sum(sink.received.values())
        print(f"worker killed (SIGKILL) after {at_kill:,} of {args.people:,} messages")

        workers.append(start_worker(env, workdir / "worker.log"))
        wait_until(lambda: len(sink.received) >= args.people, 600, "not everyone received it")
        time.sleep(3)  # a second copy of anything would arrive meanwhile
        state = graphql(http, CAMPAIGN_STATE, {"id": campaign_id})["campaign"]
        twice = sum(1 for count in sink.received.values() if count > 1)
        print(
            f"second worker finished {time.monotonic() - killed_at:.0f} s after the kill "
            f"(lease {MAIL_LEASE_SECONDS} s): {len(sink.received):,} people received it, "
            f"{twice} a second copy; campaign {state['status']}, sent {state['stats']['sent']:,}"
        )
        return len(sink.received) == args.people and twice <= SMTP_CONNECTIONS
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        for server in servers:
            stop_server(server)
        controller.stop()
        shutil.rmtree(workdir, ignore_errors=True)


# --- SQLite on a full disk ------------------------------------------------------------------


def mount_small_disk(mountpoint: Path) -> str | None:
    """A 20 MiB tmpfs at `mountpoint`, or why there cannot be one."""
    if os.geteuid() != 0:
        return "not root: cannot mount a small file system (run as root, or skip)"
    mountpoint.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
        check=False,
    )
    return mounted.stderr.strip() or None if mounted.returncode else None


def fill_disk(path: Path) -> None:
    """Write until the file system refuses, then free 64 KiB (room for a few pages)."""
    with path.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    os.truncate(path, max(0, path.stat().st_size - 65536))


def add_notes_until_refused(http: httpx.Client, target: str, limit: int) -> tuple[int, Any]:
    for written in range(limit):
        response = http.post(
            "/graphql",
            json={
                "query": NOTE,
                "variables": {"input": {"contactId": target, "body": "x" * 4000 + str(written)}},
            },
        )
        body = response.json()
        if body.get("errors") or response.status_code != 200:
            return written, (response.status_code, body, response.headers.get("retry-after"))
    return limit, None


def full_disk(args: argparse.Namespace) -> bool:
    mountpoint = Path(args.mountpoint)
    refusal = mount_small_disk(mountpoint)
    if refusal is not None:
        print(f"full-disk skipped: {refusal}")
        return True
    workdir = mountpoint / "crm"
    url = f"sqlite://{workdir}/full.sqlite3"
    env = bench_env(url, workdir)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        workdir.mkdir()
        run_crm(env, "migrate")
        run_crm(env, "demo-data", "--contacts", "300", "--seed", "1")
        create_accounts(env, 1)
        servers, (base_url,) = start_servers(env, workdir, 1)
        http = signed_in_staff(base_url)
        target = contact_id(raw_query(raw_url(url), "SELECT min(id) FROM contact")[0][0])
        filler = mountpoint / "filler"
        fill_disk(filler)
        written, refused = add_notes_until_refused(http, target, 2000)
        print(f"notes written on the nearly full disk before a refusal: {written}")
        if refused is None:
            print("no write was refused: the disk never filled")
            return False
        status, body, retry_after = refused
        error = body["errors"][0]
        print(f"the refusal: HTTP {status}, Retry-After {retry_after}, {error}")
        listed = http.post("/graphql", json={"query": LIST, "variables": {}})
        print(
            f"a read on the full disk: HTTP {listed.status_code}, "
            f"errors: {listed.json().get('errors')}"
        )
        with contextlib.closing(sqlite3.connect(workdir / "full.sqlite3")) as database:
            integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
        print(f"PRAGMA integrity_check while full: {integrity}")
        filler.unlink()
        again, still_refused = add_notes_until_refused(http, target, 5)
        print(f"after freeing space: {again} of 5 notes written, refusal: {still_refused}")
        return (
            status == 507
            and error["extensions"]["code"] == "DISK_FULL"
            and listed.status_code == 200
            and integrity == "ok"
            and again == 5
        )
    finally:
        for server in servers:
            stop_server(server)
        subprocess.run(["umount", str(mountpoint)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "fault", choices=["pg-restart", "worker-kill", "campaign-kill", "full-disk"]
    )
    parser.add_argument("--database-url", help="postgres://127.0.0.1/... (schema dropped!)")
    parser.add_argument("--pg-dir", help="pg-restart: the cluster's CRM_TEST_PG_DIR")
    parser.add_argument("--users", type=int, default=10, help="pg-restart: staff users")
    parser.add_argument("--seconds", type=float, default=40, help="pg-restart: run length")
    parser.add_argument("--down", type=float, default=5, help="pg-restart: seconds stopped")
    parser.add_argument("--rows", type=int, default=20_000, help="worker-kill: rows imported")
    parser.add_argument("--people", type=int, default=3000, help="campaign-kill: recipients")
    parser.add_argument("--mountpoint", default="/mnt/crm-full", help="full-disk: tmpfs here")
    args = parser.parse_args()
    require_loopback(args.database_url)
    run = {
        "pg-restart": pg_restart,
        "worker-kill": worker_kill,
        "campaign-kill": campaign_kill,
        "full-disk": full_disk,
    }
    passed = run[args.fault](args)
    print("PASS" if passed else "FAIL")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
