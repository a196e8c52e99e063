"""`crm serve` delivers mail in-process: an admin's test email reaches the SMTP server."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from crm.cli import build_parser
from tests.mail.conftest import SmtpServer
from tests.servers import crm_serve, wait_for
from tests.test_cli import run_crm

LOGIN = """mutation ($input: LoginInput!) { login(input: $input) { errors { code } } }"""
SEND = """mutation ($input: SendTestEmailInput!) {
  sendTestEmail(input: $input) { message { status } errors { code } } }"""


def send_test_email(base_url: str) -> None:
    credentials = {"email": "a@example.com", "password": "x" * 16}
    with httpx.Client(base_url=base_url) as client:
        login = client.post("/graphql", json={"query": LOGIN, "variables": {"input": credentials}})
        assert login.json()["data"]["login"]["errors"] == []
        sent = client.post(
            "/graphql", json={"query": SEND, "variables": {"input": {"to": "ops@example.com"}}}
        )
        assert sent.json()["data"]["sendTestEmail"]["errors"] == []


def migrated_with_an_admin(root: Path) -> None:
    assert run_crm(root, "migrate").returncode == 0
    admin = run_crm(root, "create-admin", "--email", "a@example.com", "--password", "x" * 16)
    assert admin.returncode == 0, admin.stderr


def test_serve_runs_the_delivery_worker(tmp_path: Path, smtp_server: SmtpServer) -> None:
    # given a migrated database with an administrator, and a server with mail configured
    migrated_with_an_admin(tmp_path)
    mail = {"CRM_SMTP_URL": f"smtp://127.0.0.1:{smtp_server.port}", "CRM_MAIL_POLL_SECONDS": "30"}
    with crm_serve(tmp_path, **mail) as served:
        # when the admin sends a test email
        send_test_email(served.url)
        # then the in-process worker delivers it promptly (woken, not after its 30 s poll)
        wait_for(lambda: bool(smtp_server.handler.messages), "not delivered", seconds=10)
    assert smtp_server.handler.messages[0]["To"] == "ops@example.com"


def test_serve_with_no_worker_leaves_delivery_to_separate_workers(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    # given a migrated database with an administrator, and a server told to run no worker
    migrated_with_an_admin(tmp_path)
    mail = {"CRM_SMTP_URL": f"smtp://127.0.0.1:{smtp_server.port}", "CRM_MAIL_POLL_SECONDS": "0.1"}
    with crm_serve(tmp_path, "--no-worker", **mail) as served:
        # when the admin sends a test email
        send_test_email(served.url)
        time.sleep(2)
    # then it waits in the outbox for a `crm worker` (one would have sent it at once)
    assert smtp_server.handler.messages == []


def test_serve_can_leave_delivery_to_separate_workers() -> None:
    assert build_parser().parse_args(["serve", "--no-worker"]).worker is False
    assert build_parser().parse_args(["serve"]).worker is True
