"""Portal sign-in under attack, and which sessions a password change, sign-out or archive ends."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from crm.auth.passwords import verify_password
from crm.auth.services import SESSION_COOKIE
from crm.portal import services
from tests.contacts.helpers import ARCHIVE, RESTORE
from tests.graphql_client import GraphQLClient
from tests.portal.helpers import ME, PASSWORD, PORTAL_LOGIN, activate, invited_client, latest_token

EMAIL = "sam.ross@example.com"
CHANGE_PASSWORD = """
mutation ($input: ChangeMyPasswordInput!) {
  changeMyPassword(input: $input) { ok errors { field message code } }
}
"""
LOGOUT = "mutation ($input: LogoutInput) { logout(input: $input) { ok } }"
RESET_REQUEST = """
mutation ($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { ok } }
"""

Browser = Callable[..., GraphQLClient]


@pytest.fixture
async def browser(app) -> AsyncIterator[Browser]:
    """Opens browsers at given client addresses; closed after the test."""
    opened: list[httpx.AsyncClient] = []

    def open_browser(ip: str = "198.51.100.20", token: str | None = None) -> GraphQLClient:
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(ip, 40000)),
            base_url="http://testserver",
            cookies={SESSION_COOKIE: token} if token else None,
        )
        opened.append(http)
        return GraphQLClient(http)

    yield open_browser
    for http in opened:
        await http.aclose()


@pytest.fixture
async def sam(staff: GraphQLClient, browser: Browser) -> dict:
    """An active portal contact (Sam), signed in on a first browser that activated the link."""
    contact = await invited_client(staff, firstName="Sam", lastName="Ross", email=EMAIL)
    first = browser()
    assert (await activate(first, await latest_token(EMAIL)))["errors"] == []
    return {"contact": contact, "browser": first}


async def _login(client: GraphQLClient, email: str, password: str) -> list[str]:
    """The error codes of a portal sign-in ([] when it worked)."""
    payload = await client.mutate(
        "portalLogin", PORTAL_LOGIN, {"email": email, "password": password}
    )
    return [error["code"] for error in payload["errors"]]


async def _signed_in_email(client: GraphQLClient) -> str | None:
    me = (await client.execute(ME)).data["me"]
    return me["email"] if me else None


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords portal sign-in verified, in order."""
    checked: list[str] = []

    async def counting(password_hash: str | None, password: str) -> bool:
        checked.append(password)
        return await verify_password(password_hash, password)

    monkeypatch.setattr(services, "verify_password", counting)
    return checked


# --- throttling ------------------------------------------------------------------------


async def test_concurrent_wrong_passwords_are_checked_at_most_the_limit(
    sam: dict, browser: Browser, password_checks: list[str]
) -> None:
    # given an active contact, limited to 5 failures per address (the default)
    attacker = browser("203.0.113.7")

    # when 25 wrong passwords for it arrive at once
    codes = await asyncio.gather(*(_login(attacker, EMAIL, f"guess {n}") for n in range(25)))

    # then at most 5 were checked; the others were refused as TOO_MANY without a check
    assert len(password_checks) == codes.count(["INVALID"]) <= 5
    assert codes.count(["TOO_MANY"]) == 25 - len(password_checks)


async def test_a_long_s_spelling_shares_the_real_address_s_throttle(
    sam: dict, browser: Browser
) -> None:
    # given five failures on Sam's address from one place
    attacker = browser("203.0.113.7")
    for _ in range(5):
        assert await _login(attacker, EMAIL, "guess") == ["INVALID"]

    # when the same place writes the address with a long s (U+017F, which casefolds to s)
    codes = await _login(attacker, "\u017fam.ross@example.com", PASSWORD)

    # then it is the same account, and just as blocked
    assert codes == ["TOO_MANY"]


async def test_sam_gets_in_from_home_while_a_stranger_s_address_is_locked_out(
    sam: dict, browser: Browser
) -> None:
    # given a stranger who failed on Sam's address until blocked
    stranger = browser("203.0.113.66")
    for _ in range(5):
        await _login(stranger, EMAIL, "guess")

    # when Sam signs in from home, and the stranger tries again
    from_home = await _login(browser("198.51.100.77"), EMAIL, PASSWORD)
    from_stranger = await _login(stranger, EMAIL, PASSWORD)

    # then Sam is in, the stranger is not
    assert from_home == []
    assert from_stranger == ["TOO_MANY"]


async def test_the_current_password_check_is_throttled_like_a_sign_in(sam: dict) -> None:
    # given a signed-in browser whose holder guesses the current password five times
    borrowed = sam["browser"]
    for n in range(5):
        wrong = await borrowed.mutate(
            "changeMyPassword",
            CHANGE_PASSWORD,
            {"currentPassword": f"guess {n}", "newPassword": "brand new passphrase"},
        )
        assert [e["code"] for e in wrong["errors"]] == ["INVALID"]

    # when the sixth try has the right one
    payload = await borrowed.mutate(
        "changeMyPassword",
        CHANGE_PASSWORD,
        {"currentPassword": PASSWORD, "newPassword": "brand new passphrase"},
    )

    # then it is refused as TOO_MANY and the password is unchanged
    assert [e["code"] for e in payload["errors"]] == ["TOO_MANY"]
    assert payload["ok"] is False


# --- sessions --------------------------------------------------------------------------


async def test_changing_the_password_signs_out_every_other_browser(
    sam: dict, browser: Browser
) -> None:
    # given Sam signed in on a laptop (the first browser) and a phone
    laptop, phone = sam["browser"], browser("198.51.100.30")
    assert await _login(phone, EMAIL, PASSWORD) == []

    # when Sam changes the password on the laptop
    payload = await laptop.mutate(
        "changeMyPassword",
        CHANGE_PASSWORD,
        {"currentPassword": PASSWORD, "newPassword": "brand new passphrase"},
    )

    # then the laptop stays signed in and the phone is signed out
    assert payload == {"ok": True, "errors": []}
    assert await _signed_in_email(laptop) == EMAIL
    assert await _signed_in_email(phone) is None


async def test_logout_everywhere_signs_out_every_browser_of_the_contact(
    sam: dict, browser: Browser
) -> None:
    # given Sam signed in on a laptop and a phone
    laptop, phone = sam["browser"], browser("198.51.100.30")
    assert await _login(phone, EMAIL, PASSWORD) == []

    # when the laptop signs out everywhere
    result = await laptop.execute(LOGOUT, {"input": {"everywhere": True}})

    # then both are signed out
    assert result.data["logout"]["ok"] is True
    assert await _signed_in_email(laptop) is None
    assert await _signed_in_email(phone) is None


async def test_restoring_an_archived_contact_does_not_bring_its_sessions_back(
    sam: dict, staff: GraphQLClient, browser: Browser
) -> None:
    # given Sam signed in, and the browser's cookie kept
    token = sam["browser"].http.cookies[SESSION_COOKIE]

    # when staff archive Sam, then restore Sam
    contact_id = sam["contact"]["id"]
    assert (await staff.mutate("archiveContact", ARCHIVE, {"id": contact_id}))["errors"] == []
    assert (await staff.mutate("restoreContact", RESTORE, {"id": contact_id}))["errors"] == []

    # then the old session stays ended; Sam signs in afresh
    assert await _signed_in_email(browser(token=token)) is None
    assert await _login(browser(), EMAIL, PASSWORD) == []


# --- password reset requests -----------------------------------------------------------


async def test_reset_requests_take_as_long_for_known_and_unknown_addresses(
    sam: dict, anonymous: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given reset requests answered after 50 ms (shortened for the test)
    monkeypatch.setattr(services, "RESET_REQUEST_SECONDS", 0.05)
    durations: dict[str, list[float]] = {EMAIL: [], "nobody@example.com": []}

    # when a known and an unknown address ask in turns, 30 times each
    for _ in range(30):
        for email, taken in durations.items():
            started = time.perf_counter()
            await anonymous.execute(RESET_REQUEST, {"input": {"email": email}})
            taken.append(time.perf_counter() - started)

    # then both take at least the fixed time, and their medians are alike
    known, unknown = (statistics.median(taken) for taken in durations.values())
    assert min(known, unknown) >= 0.05
    assert abs(known - unknown) < 0.005, (known, unknown)
