"""`crm serve` delivers mail in-process: an admin's test email reaches the SMTP server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from crm.cli import build_parser
from tests.mail.conftest import SmtpServer, free_port
from tests.test_cli import run_crm

LOGIN = """mutation ($input: LoginInput!) { login(input: $input) { errors { code } } }"""
SEND = """mutation ($input: SendTestEmailInput!) {
  sendTestEmail(input: $input) { message { status } errors { code } } }"""


def test_serve_runs_the_delivery_worker(tmp_path: Path, smtp_server: SmtpServer) -> None:
    # given a migrated database with an administrator, and a server with mail configured
    mail = {"CRM_SMTP_URL": f"smtp://127.0.0.1:{smtp_server.port}", "CRM_MAIL_POLL_SECONDS": "30"}
    assert run_crm(tmp_path, "migrate").returncode == 0
    admin = run_crm(tmp_path, "create-admin", "--email", "a@example.com", "--password", "x" * 16)
    assert admin.returncode == 0, admin.stderr
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRM_")}
    env.update(CRM_DATA_DIR=str(tmp_path / "data"), **mail)
    process = subprocess.Popen(
        [sys.executable, "-m", "crm", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "crm serve did not start"
                time.sleep(0.2)
        credentials = {"email": "a@example.com", "password": "x" * 16}
        with httpx.Client(base_url=base) as client:
            login = client.post(
                "/graphql",
                json={"query": LOGIN, "variables": {"input": credentials}},
            )
            assert login.json()["data"]["login"]["errors"] == []
            # when the admin sends a test email
            sent = client.post(
                "/graphql", json={"query": SEND, "variables": {"input": {"to": "ops@example.com"}}}
            )
            assert sent.json()["data"]["sendTestEmail"]["errors"] == []
        # then the in-process worker delivers it promptly (woken, not after its 30 s poll)
        deadline = time.monotonic() + 10
        while not smtp_server.handler.messages:
            assert time.monotonic() < deadline, "the message was not delivered"
            time.sleep(0.05)
        assert smtp_server.handler.messages[0]["To"] == "ops@example.com"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_can_leave_delivery_to_separate_workers() -> None:
    assert build_parser().parse_args(["serve", "--no-worker"]).worker is False
    assert build_parser().parse_args(["serve"]).worker is True
