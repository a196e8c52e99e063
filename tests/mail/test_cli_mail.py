"""`crm send-test-email` and `crm worker`, in real subprocesses on a fresh SQLite file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.mail.conftest import SmtpServer
from tests.test_cli import run_crm


@pytest.fixture
def migrated(tmp_path: Path) -> Path:
    result = run_crm(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_send_test_email_without_smtp_logs_the_message_and_says_it_was_not_sent(
    migrated: Path,
) -> None:
    result = run_crm(migrated, "send-test-email", "--to", "ops@example.com")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Not sent: no mail server is configured")
    assert "ops@example.com was written to the log" in result.stdout
    assert "Sent a test" not in result.stdout
    assert "Test email from" in result.stderr  # the message itself, in the log


def test_send_test_email_through_a_real_server(migrated: Path, smtp_server: SmtpServer) -> None:
    url = f"smtp://bot:pa55word@127.0.0.1:{smtp_server.port}"
    result = run_crm(migrated, "send-test-email", "--to", "ops@example.com", CRM_SMTP_URL=url)
    # aiosmtpd offers no AUTH without TLS: the sign-in is refused, and the message waits
    assert result.returncode == 1
    assert "pa55word" not in result.stdout + result.stderr
    assert "stays in the outbox" in result.stderr

    url = f"smtp://127.0.0.1:{smtp_server.port}"
    result = run_crm(migrated, "send-test-email", "--to", "ops@example.com", CRM_SMTP_URL=url)
    assert result.returncode == 0, result.stderr
    assert f"through smtp://127.0.0.1:{smtp_server.port}" in result.stdout
    # the first (refused) message was due again only later: one delivery, the second one
    [sent] = smtp_server.handler.messages
    assert sent["To"] == "ops@example.com"


def test_send_test_email_reports_a_refusal(migrated: Path, smtp_server: SmtpServer) -> None:
    smtp_server.handler.rcpt_answer = "550 5.7.1 Relaying denied"
    url = f"smtp://127.0.0.1:{smtp_server.port}"
    result = run_crm(migrated, "send-test-email", "--to", "ops@example.com", CRM_SMTP_URL=url)
    assert result.returncode == 1
    assert "550 5.7.1 Relaying denied" in result.stderr


def test_send_test_email_checks_the_address(migrated: Path) -> None:
    result = run_crm(migrated, "send-test-email", "--to", "nobody")
    assert result.returncode == 1
    assert "not a valid email address" in result.stderr


def test_crm_worker_stops_gracefully_on_sigterm(migrated: Path) -> None:
    import os

    env = {key: value for key, value in os.environ.items() if not key.startswith("CRM_")}
    env["CRM_DATA_DIR"] = str(migrated / "data")
    process = subprocess.Popen(
        [sys.executable, "-m", "crm", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    try:
        # once it is running (it says where it delivers to), ask it to stop
        started = ""
        while "delivering to" not in started:
            line = process.stdout.readline()
            assert line, "crm worker exited before it started"
            started += line
        assert "delivering to the log" in started
        time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, started + output
    assert "stopped" in output
