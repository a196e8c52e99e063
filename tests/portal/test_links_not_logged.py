"""Tokens in emailed links never reach the server's log, whichever way the link is used.

A real `crm serve` with a real SMTP server: the invitation and reset emails are received, their
links are opened as a browser would (the page, then the GraphQL calls, GET and POST), and the
whole of the server's output is searched for the tokens.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.mail.conftest import SmtpServer, free_port
from tests.portal.helpers import PASSWORD, TOKEN
from tests.test_cli import run_crm

ADMIN = {"email": "admin@example.com", "password": "a long admin passphrase"}
LOGIN = "mutation ($input: LoginInput!) { login(input: $input) { errors { code } } }"
CREATE = """mutation ($input: CreateContactInput!) {
  createContact(input: $input) { contact { id } errors { message } } }"""
CHECK = "query ($t: String!) { portalInvitation(token: $t) { valid } }"
ACTIVATE = """mutation ($input: ActivatePortalAccountInput!) {
  activatePortalAccount(input: $input) { contact { email } errors { code } } }"""
REQUEST_RESET = """mutation ($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { ok } }"""
RESET = """mutation ($input: ResetPasswordInput!) {
  resetPassword(input: $input) { contact { email } errors { code } } }"""


class Server:
    def __init__(self, base: str, log: Path) -> None:
        self.base = base
        self.log = log


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, SmtpServer]]:
    smtp = SmtpServer(free_port())
    smtp.start()
    assert run_crm(tmp_path, "migrate").returncode == 0
    admin = run_crm(
        tmp_path, "create-admin", "--email", ADMIN["email"], "--password", ADMIN["password"]
    )
    assert admin.returncode == 0, admin.stderr
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>CRM</title>")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRM_")}
    env.update(
        CRM_DATA_DIR=str(tmp_path / "data"),
        CRM_FRONTEND_DIR=str(dist),
        CRM_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}",
        CRM_PUBLIC_URL=f"http://127.0.0.1:{port}",
        CRM_LOG_LEVEL="INFO",
    )
    log = tmp_path / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "crm", "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield Server(base, log), smtp
    finally:
        process.terminate()
        process.wait(timeout=30)
        smtp.stop()


def _graphql(client: httpx.Client, query: str, variables: dict) -> dict:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()


def _token_in_mail(smtp: SmtpServer, count: int) -> str:
    deadline = time.monotonic() + 15
    while len(smtp.handler.messages) < count:
        assert time.monotonic() < deadline, "the email did not arrive"
        time.sleep(0.05)
    message = smtp.handler.messages[count - 1]
    text = message.get_body(("plain",)).get_content()  # type: ignore[attr-defined]
    found = TOKEN.search(text)
    assert found, text
    return found.group(1)


def _open_link(browser: httpx.Client, path: str, token: str) -> None:
    """What a browser does with the link: load the page, then check the token with GraphQL
    (also through GET, which some clients use for queries)."""
    page = browser.get(f"/portal/{path}?token={token}")
    assert page.status_code == 200
    assert page.headers["referrer-policy"] == "no-referrer"
    by_get = browser.get("/graphql", params={"query": CHECK, "variables": json.dumps({"t": token})})
    assert by_get.status_code == 200, by_get.text


def test_activation_and_reset_tokens_never_reach_the_log(
    served: tuple[Server, SmtpServer],
) -> None:
    # given a running server that sends real email, and a client invited by an administrator
    server, smtp = served
    with httpx.Client(base_url=server.base) as staff:
        assert _graphql(staff, LOGIN, {"input": ADMIN})["data"]["login"]["errors"] == []
        created = _graphql(
            staff,
            CREATE,
            {"input": {"lastName": "Ines", "email": "ines@example.com", "type": "CLIENT"}},
        )
        assert created["data"]["createContact"]["errors"] == []

    # when she follows the invitation link, activates, then asks for and uses a reset link
    activation = _token_in_mail(smtp, 1)
    with httpx.Client(base_url=server.base) as browser:
        _open_link(browser, "activate", activation)
        activated = _graphql(
            browser, ACTIVATE, {"input": {"token": activation, "password": PASSWORD}}
        )
        assert activated["data"]["activatePortalAccount"]["errors"] == []
    with httpx.Client(base_url=server.base) as browser:
        _graphql(browser, REQUEST_RESET, {"input": {"email": "ines@example.com"}})
        reset = _token_in_mail(smtp, 2)
        _open_link(browser, "reset", reset)
        done = _graphql(
            browser, RESET, {"input": {"token": reset, "password": "another sturdy passphrase"}}
        )
        assert done["data"]["resetPassword"]["errors"] == []

    # then the log shows each request, and neither token nor any query string
    time.sleep(0.2)
    log = server.log.read_text()
    assert re.search(r'"GET /portal/activate" 200', log), log
    assert re.search(r'"GET /portal/reset" 200', log), log
    assert re.search(r'"GET /graphql" 200', log), log
    for token in (activation, reset):
        assert token not in log
    assert "token=" not in log
