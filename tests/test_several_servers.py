"""Two `crm serve` processes, each with a data directory of its own, share one PostgreSQL
database: work started through one is finished by the other, and nothing is done twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from crm.tasks import reminders as reminders_module
from tests.imports.helpers import CSRF, JOB, START, csv_bytes
from tests.mail.conftest import SmtpServer
from tests.servers import crm_serve, free_port, wait_for
from tests.test_cli import run_crm

LOGIN = "mutation ($input: LoginInput!) { login(input: $input) { errors { code } } }"
CAMPAIGN = """
mutation ($input: CreateCampaignInput!) {
  createCampaign(input: $input) { campaign { id } errors { field code } }
}"""
AUDIENCE = """
mutation ($input: SetCampaignAudienceInput!) {
  setCampaignAudience(input: $input) { errors { field code } }
}"""
SEND = """
mutation ($input: SendCampaignInput!) { sendCampaign(input: $input) { errors { field code } } }
"""
TASK = """
mutation ($input: CreateTaskInput!) { createTask(input: $input) { errors { field code } } }
"""
CAMPAIGN_STATS = "query ($id: ID!) { campaign(id: $id) { status stats { sent } } }"
PEOPLE = 1000
ADMIN = {"email": "admin@example.com", "password": "a long enough password"}


@pytest.fixture
def shared_database() -> str:
    """A fresh PostgreSQL database of its own (the test servers migrate it)."""
    url = os.environ.get("CRM_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CRM_TEST_REQUIRE_POSTGRES"):
            pytest.fail("CRM_TEST_POSTGRES_URL is not set but PostgreSQL tests are required")
        pytest.skip("several app servers share a PostgreSQL database")
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_two_servers"
    script = (
        "import asyncio, asyncpg, sys\n"
        "async def main():\n"
        "    conn = await asyncpg.connect(sys.argv[1])\n"
        f"    await conn.execute('DROP DATABASE IF EXISTS {name} WITH (FORCE)')\n"
        f"    await conn.execute('CREATE DATABASE {name}')\n"
        "    await conn.close()\n"
        "asyncio.run(main())\n"
    )
    subprocess.run([sys.executable, "-c", script, url], check=True, timeout=60)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


def graphql(client: httpx.Client, query: str, variables: dict) -> dict:
    answer = client.post("/graphql", json={"query": query, "variables": variables})
    body = answer.json()
    assert not body.get("errors"), body
    return body["data"]


@contextmanager
def signed_in(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as client:
        assert graphql(client, LOGIN, {"input": ADMIN})["login"]["errors"] == []
        yield client


def import_people(client: httpx.Client) -> dict:
    """Upload and start an import of PEOPLE contacts who agreed to email, into a new group."""
    rows = [["First name", "Last name", "Email"]]
    rows += [[f"Pat{n}", f"Server{n}", f"pat{n}@example.com"] for n in range(PEOPLE)]
    upload = client.post(
        "/import/upload", files={"file": ("people.csv", csv_bytes(rows))}, headers=CSRF
    )
    assert upload.status_code == 201, upload.text
    job_id = upload.json()["id"]
    job = graphql(client, JOB, {"id": job_id})["importJob"]
    columns = [{"index": c["index"], "field": c["field"]} for c in job["columns"] if c["field"]]
    options = {"newGroupName": "From the file", "consents": ["EMAIL"]}
    started = graphql(
        client, START, {"input": {"jobId": job_id, "columns": columns, "options": options}}
    )
    assert started["startImport"]["errors"] == []
    return started["startImport"]["job"]


def test_two_servers_share_imports_and_deliver_each_email_and_reminder_once(
    tmp_path: Path, shared_database: str, smtp_server: SmtpServer
) -> None:
    env = {
        "CRM_DATABASE_URL": shared_database,
        "CRM_SECRET_KEY": "two-servers-secret-key-0123456789abcdef",
        "CRM_PUBLIC_URL": "http://crm.example.com",
        "CRM_SMTP_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "CRM_MAIL_BATCH_SIZE": "20",
    }
    migrated = run_crm(tmp_path / "first", "migrate", **env)
    assert migrated.returncode == 0, migrated.stderr
    admin = run_crm(tmp_path / "first", "create-admin", *_admin_args(), **env)
    assert admin.returncode == 0, admin.stderr

    # given a first server that runs no background work, and a second one that does
    with (
        crm_serve(tmp_path / "first", "--no-worker", **env) as first,
        crm_serve(tmp_path / "second", **env),
    ):
        with signed_in(first.url) as client:
            # when a file is uploaded and its import started through the first
            job = import_people(client)
            # then the second's runner, which never saw the file, imports every row
            wait_for(
                lambda: graphql(client, JOB, {"id": job["id"]})["importJob"]["state"] == "DONE",
                "the second server did not finish the import",
            )
            done = graphql(client, JOB, {"id": job["id"]})["importJob"]
            assert done["createdCount"] == PEOPLE
            group_id = done["options"]["group"]["id"]
        # and the first keeps no copy of the file on its disk
        assert not any((tmp_path / "first" / "data" / "imports").glob("*.csv"))

    # given both servers running background work
    with (
        crm_serve(tmp_path / "first", **env) as first,
        crm_serve(tmp_path / "second", **env),
        signed_in(first.url) as client,
    ):
        # when a campaign to the imported group is sent
        campaign = graphql(
            client,
            CAMPAIGN,
            {"input": {"name": "Two servers", "subject": "Hello", "body": "Hi {{ first_name }}"}},
        )["createCampaign"]["campaign"]
        audience = {"campaignId": campaign["id"], "groupIds": [group_id]}
        assert graphql(client, AUDIENCE, {"input": audience})["setCampaignAudience"]["errors"] == []
        sent = graphql(client, SEND, {"input": {"campaignId": campaign["id"]}})
        assert sent["sendCampaign"]["errors"] == []

        # then every person receives it exactly once
        wait_for(
            lambda: len(smtp_server.handler.messages) >= PEOPLE,
            "the campaign was not delivered",
            seconds=120,
        )
        time.sleep(1)  # a second copy of any message would arrive meanwhile
        received = Counter(str(message["To"]) for message in smtp_server.handler.messages)
        assert len(received) == PEOPLE and set(received.values()) == {1}
        wait_for(
            lambda: (
                graphql(client, CAMPAIGN_STATS, {"id": campaign["id"]})["campaign"]["stats"]["sent"]
                == PEOPLE
            ),
            "the campaign's stats do not count every message sent",
        )

        # when a task of the administrator's falls due while both servers' runners look
        due = (datetime.now(UTC) + timedelta(seconds=3)).isoformat()
        task = graphql(client, TASK, {"input": {"title": "Call Pat back", "dueAt": due}})
        assert task["createTask"]["errors"] == []

        # then its reminder is emailed once
        def reminders() -> int:
            return sum(str(m["To"]) == ADMIN["email"] for m in smtp_server.handler.messages)

        wait_for(lambda: reminders() >= 1, "no reminder came", seconds=60)
        time.sleep(reminders_module.POLL_SECONDS + 2)  # both runners have looked again since
        assert reminders() == 1


def _admin_args() -> list[str]:
    return ["--email", ADMIN["email"], "--password", ADMIN["password"]]
