"""Browser tests: a real `crm serve` on a fresh SQLite database, driven by Playwright.

They need the built app (`cd frontend && npm run build`); without frontend/dist they are
skipped, unless CRM_TEST_REQUIRE_E2E=1 makes that a failure.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from tests.mail.conftest import Recorder, SmtpServer

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "frontend" / "dist"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "a long and correct password"
CLIENT_PASSWORD = "Kettle orbit 5731 lantern"  # a portal contact's
ORGANISATION = "Harbour Lane Advisers"  # the mail-sending CRMs' CRM_ORGANISATION_NAME
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

try:
    from playwright.async_api import Browser, BrowserContext, Page, async_playwright
except ImportError:  # pragma: no cover - playwright is a dev extra
    async_playwright = None  # type: ignore[assignment]


def _unavailable(reason: str) -> None:
    if os.environ.get("CRM_TEST_REQUIRE_E2E") == "1":
        pytest.fail(f"{reason} (CRM_TEST_REQUIRE_E2E=1)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _crm(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crm", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"crm {args[0]} failed:\n{result.stdout}\n{result.stderr}")


def require_e2e() -> None:
    """Skips (or fails, with CRM_TEST_REQUIRE_E2E=1) when the app or a browser is missing."""
    if not (DIST / "index.html").is_file():
        _unavailable("frontend/dist/index.html is missing: run `npm run build` in frontend/")
    if async_playwright is None:
        _unavailable("playwright is not installed (pip install playwright)")
    executable = os.environ.get("CRM_TEST_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        _unavailable(f"no Chromium at {executable} (set CRM_TEST_CHROMIUM)")


@contextmanager
def crm_server(
    root: Path,
    port: int | None = None,
    env_overrides: dict[str, str] | None = None,
    *,
    with_admin: bool = True,
) -> Iterator[str]:
    """`crm serve` on a fresh SQLite database under `root`, with one administrator (none
    when not `with_admin`: the first run, whose setup link serve prints to root/server.log).

    `env_overrides` adds CRM_* settings (e.g. CRM_SMTP_URL); yields the base URL.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRM_")}
    env.update(CRM_DATA_DIR=str(root / "data"), CRM_FRONTEND_DIR=str(DIST))
    env.update(env_overrides or {})
    port = port or _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (root / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "crm", "serve", "--port", str(port), "--migrate"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("crm serve did not start:\n" + (root / "server.log").read_text())
            time.sleep(0.2)
        if with_admin:
            _crm(["create-admin", "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD], env)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The CRM serving the built app, with one administrator. Yields its base URL."""
    require_e2e()
    with crm_server(tmp_path_factory.mktemp("e2e")) as base:
        yield base


@pytest_asyncio.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    require_e2e()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=os.environ.get("CRM_TEST_CHROMIUM", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
        )
        yield launched
        await launched.close()


async def staff_session(browser: Browser, base_url: str) -> dict[str, Any]:
    """The cookies of a staff session on the server at `base_url`, signed in through the API."""
    context = await browser.new_context(base_url=base_url)
    response = await context.request.post(
        "/graphql",
        data={
            "query": "mutation($i: LoginInput!) { login(input: $i) { user { id } } }",
            "variables": {"i": {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}},
        },
        headers={"Content-Type": "application/json"},
    )
    body = await response.json()
    assert body["data"]["login"]["user"], body
    state = await context.storage_state()
    await context.close()
    return state


@pytest_asyncio.fixture(scope="session")
async def signed_in_state(browser: Browser, live_server: str) -> dict[str, Any]:
    """The cookies of one staff session, signed in through the API once for all tests."""
    return await staff_session(browser, live_server)


async def new_context(
    browser: Browser, base_url: str, state: dict[str, Any] | None
) -> BrowserContext:
    context = await browser.new_context(
        base_url=base_url, viewport=DESKTOP, storage_state=state, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    return context


@pytest_asyncio.fixture
async def anon_page(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    context = await new_context(browser, live_server, None)
    page = await context.new_page()
    yield page
    await context.close()


@pytest_asyncio.fixture
async def page(
    browser: Browser, live_server: str, signed_in_state: dict[str, Any]
) -> AsyncIterator[Page]:
    """A signed-in staff page at 1280x800."""
    context = await new_context(browser, live_server, signed_in_state)
    signed_in = await context.new_page()
    yield signed_in
    await context.close()


Shoot = Callable[[Page, str], Awaitable[None]]


@pytest.fixture
def shoot() -> Shoot:
    """Saves `<name>-desktop.png` and `<name>-phone.png` of the page as it is now."""

    async def take(page: Page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.set_viewport_size(DESKTOP)
        await page.wait_for_timeout(150)
        await page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
        await page.set_viewport_size(PHONE)
        await page.wait_for_timeout(150)
        await page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
        await page.set_viewport_size(DESKTOP)

    return take


GraphQL = Callable[..., Awaitable[dict[str, Any]]]


async def api(page: Page, query: str, **variables: Any) -> dict[str, Any]:
    """Calls the API with the page's session cookie; fails on any GraphQL error."""
    response = await page.request.post(
        "/graphql",
        data={"query": query, "variables": variables},
        headers={"Content-Type": "application/json"},
    )
    body = await response.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]


@pytest.fixture
def gql(page: Page) -> GraphQL:
    """`api` with the signed-in staff page."""
    return partial(api, page)


@pytest.fixture
def token() -> str:
    """A word unique to one test, so tests sharing the database find only their rows."""
    return "T" + uuid.uuid4().hex[:8]


# The CRMs that send mail: each a `crm serve` of its own whose mail an aiosmtpd server on
# loopback receives, with CRM_PUBLIC_URL at the server itself, so the links in emails open.


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return body.get_content()


@dataclass
class MailCrm:
    base: str
    database: Path
    mailbox: Recorder

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.mailbox.messages if address.lower() in str(m["To"]).lower()]

    async def wait_for(self, address: str, count: int = 1) -> EmailMessage:
        """The `count`-th message to `address`: the mail worker delivers in the background."""
        timeout = 15
        deadline = time.monotonic() + timeout
        while len(self.to(address)) < count:
            if time.monotonic() > deadline:
                got = [(str(m["To"]), str(m["Subject"])) for m in self.mailbox.messages]
                pytest.fail(f"no message #{count} to {address} within {timeout} s; got {got}")
            await asyncio.sleep(0.2)
        return self.to(address)[count - 1]

    def link(self, message: EmailMessage, path: str) -> str:
        """The link to `path` (join, portal/activate, ...) in the message, with its token."""
        match = re.search(rf"{re.escape(self.base)}/{path}\?token=\S+", text_of(message))
        assert match, text_of(message)
        return match.group(0)

    def sql(self, statement: str, *params: object) -> None:
        with sqlite3.connect(self.database, timeout=10) as db:
            db.execute(statement, params)


@contextmanager
def mail_crm_server(root: Path) -> Iterator[MailCrm]:
    require_e2e()
    smtp = SmtpServer(_free_port())
    smtp.start()
    port = _free_port()
    overrides = {
        "CRM_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "CRM_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "CRM_ORGANISATION_NAME": ORGANISATION,
    }
    try:
        with crm_server(root, port, overrides) as base:
            yield MailCrm(base=base, database=root / "data" / "crm.sqlite3", mailbox=smtp.handler)
    finally:
        smtp.stop()


@pytest.fixture(scope="module")
def mail_crm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailCrm]:
    """A mail-sending CRM for one test module (campaigns, secure messages)."""
    with mail_crm_server(tmp_path_factory.mktemp("e2e-mail-module")) as crm:
        yield crm


@pytest_asyncio.fixture
async def admin(browser: Browser, mail_crm: MailCrm) -> AsyncIterator[Page]:
    """The administrator's page on `mail_crm`."""
    context = await new_context(browser, mail_crm.base, await staff_session(browser, mail_crm.base))
    page = await context.new_page()
    yield page
    await context.close()


@pytest.fixture(scope="session")
def mail_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailCrm]:
    """The mail-sending CRM that the portal's tests share, in whichever module."""
    with mail_crm_server(tmp_path_factory.mktemp("e2e-mail")) as crm:
        yield crm


@pytest_asyncio.fixture(scope="session")
async def mail_admin_state(browser: Browser, mail_app: MailCrm) -> dict[str, Any]:
    return await staff_session(browser, mail_app.base)


@pytest_asyncio.fixture
async def staff(
    browser: Browser, mail_app: MailCrm, mail_admin_state: dict[str, Any]
) -> AsyncIterator[Page]:
    """An administrator's page on `mail_app`."""
    context = await new_context(browser, mail_app.base, mail_admin_state)
    page = await context.new_page()
    yield page
    await context.close()


STAFF_SEES_NO_FLASH = """
window.__sawStaffLayout = false;
new MutationObserver(() => {
  if (document.querySelector('.sidebar, .topbar')) window.__sawStaffLayout = true;
}).observe(document, { childList: true, subtree: true });
"""


@pytest_asyncio.fixture
async def client_context(browser: Browser, mail_app: MailCrm) -> AsyncIterator[BrowserContext]:
    """A browser with no session on `mail_app`: the contact reading their email. Whether it
    ever drew the staff app is in `window.__sawStaffLayout`."""
    context = await new_context(browser, mail_app.base, None)
    await context.add_init_script(STAFF_SEES_NO_FLASH)
    yield context
    await context.close()


async def create_client(page: Page, last_name: str, address: str) -> str:
    """A CLIENT contact named Cleo `last_name`, with this email; their id."""
    data = await api(
        page,
        """mutation($input: CreateContactInput!) {
          createContact(input: $input) { contact { id } errors { message } }
        }""",
        input={"firstName": "Cleo", "lastName": last_name, "email": address, "type": "CLIENT"},
    )
    assert data["createContact"]["errors"] == []
    return data["createContact"]["contact"]["id"]


ACTIVATE = """
mutation ($input: ActivatePortalAccountInput!) {
  activatePortalAccount(input: $input) { contact { id fullName } errors { message } }
}
"""


async def accept_invitation(browser: Browser, mail: MailCrm, address: str) -> dict[str, Any]:
    """Accept the portal invitation emailed to `address` (choosing CLIENT_PASSWORD) in a
    browser of its own, closed after: accepting signs in. The contact, id and fullName."""
    link = mail.link(await mail.wait_for(address), "portal/activate")
    context = await new_context(browser, mail.base, None)
    try:
        answer = await api(
            await context.new_page(),
            ACTIVATE,
            input={"token": link.split("token=")[1], "password": CLIENT_PASSWORD},
        )
    finally:
        await context.close()
    assert answer["activatePortalAccount"]["errors"] == []
    return answer["activatePortalAccount"]["contact"]
