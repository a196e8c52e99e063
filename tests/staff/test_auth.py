"""Staff sign-in, sessions, throttling and staff accounts, through the HTTP endpoint."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator

import httpx
import pytest
import pytest_asyncio

from crm.app import create_app
from crm.auth.passwords import verify_password
from crm.auth.services import SESSION_COOKIE
from crm.settings import get_settings, reset_settings
from crm.staff import services
from crm.staff.models import StaffRole, StaffUser
from tests.conftest import STAFF_PASSWORD, make_staff
from tests.graphql_client import GraphQLClient, Result

LOGIN = """
mutation ($input: LoginInput!) {
  login(input: $input) {
    user { id email role }
    errors { field message code }
  }
}
"""

LOGOUT = """
mutation ($input: LogoutInput) {
  logout(input: $input) { ok errors { code } }
}
"""

ME = """
{ me { __typename ... on StaffUser { id email name role } } }
"""

CONTACTS = "{ contacts { totalCount } }"

CREATE_STAFF_USER = """
mutation ($input: CreateStaffUserInput!) {
  createStaffUser(input: $input) {
    user { id email name role }
    errors { field message code }
  }
}
"""

STAFF_USERS = "{ staffUsers { edges { node { email role } } } }"

EMAIL = "staff@example.com"


def _session_cookie_header(response: httpx.Response) -> str | None:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{SESSION_COOKIE}="):
            return header
    return None


def _cookie_attributes(header: str) -> dict[str, str]:
    attributes = {}
    for part in header.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        attributes[name.lower()] = value
    return attributes


async def _post_login(client: GraphQLClient, email: str, password: str) -> httpx.Response:
    return await client.http.post(
        "/graphql",
        json={"query": LOGIN, "variables": {"input": {"email": email, "password": password}}},
    )


def _client(app, ip: str = "127.0.0.1", token: str | None = None) -> GraphQLClient:
    return GraphQLClient(
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(ip, 40000)),
            base_url="http://testserver",
            cookies={SESSION_COOKIE: token} if token else None,
        )
    )


@pytest_asyncio.fixture
async def admin_account(db: str) -> StaffUser:
    return await make_staff(EMAIL, StaffRole.ADMIN)


@pytest.fixture
def throttle_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Lets a test change the CRM_LOGIN_* settings; the real ones come back afterwards."""
    yield monkeypatch
    monkeypatch.undo()
    reset_settings()


# --- sign in ---------------------------------------------------------------------------


async def test_login_sets_an_http_only_lax_session_cookie(
    anonymous: GraphQLClient, admin_account: StaffUser
) -> None:
    # given an admin account

    # when the admin signs in
    response = await _post_login(anonymous, EMAIL, STAFF_PASSWORD)

    # then the user comes back and the session cookie is HttpOnly, SameSite=Lax, not Secure
    payload = response.json()["data"]["login"]
    assert payload["errors"] == []
    assert payload["user"]["email"] == EMAIL
    assert payload["user"]["role"] == "ADMIN"
    header = _session_cookie_header(response)
    assert header is not None
    attributes = _cookie_attributes(header)
    assert "httponly" in attributes
    assert attributes["samesite"].lower() == "lax"
    assert "secure" not in attributes
    assert attributes["path"] == "/"


async def test_login_cookie_is_secure_when_the_public_url_is_https(
    admin_account: StaffUser,
) -> None:
    # given the CRM served at an https address
    settings = dataclasses.replace(get_settings(), public_url="https://crm.example")
    client = _client(create_app(settings, manage_db=False))

    # when the admin signs in
    async with client.http:
        response = await _post_login(client, EMAIL, STAFF_PASSWORD)

    # then the session cookie is marked Secure too
    assert response.json()["data"]["login"]["errors"] == []
    header = _session_cookie_header(response)
    assert header is not None
    attributes = _cookie_attributes(header)
    assert "secure" in attributes
    assert "httponly" in attributes
    assert attributes["samesite"].lower() == "lax"


async def test_me_is_the_signed_in_staff_user_after_login(
    anonymous: GraphQLClient, admin_account: StaffUser
) -> None:
    # given a browser that signed in (with the email typed in another case)
    response = await _post_login(anonymous, "  Staff@Example.COM ", STAFF_PASSWORD)
    assert response.json()["data"]["login"]["errors"] == []

    # when it asks who is signed in
    result = await anonymous.execute(ME)

    # then it is that staff user, and staff-only lists now work
    assert result.data["me"] == {
        "__typename": "StaffUser",
        "id": response.json()["data"]["login"]["user"]["id"],
        "email": EMAIL,
        "name": "Sam Staff",
        "role": "ADMIN",
    }
    assert (await anonymous.execute(CONTACTS)).data["contacts"]["totalCount"] == 0


async def test_me_is_null_when_anonymous(anonymous: GraphQLClient) -> None:
    # given nobody signed in

    # when asking who is signed in
    result = await anonymous.execute(ME)

    # then the answer is null, not an error
    assert result.errors == []
    assert result.data["me"] is None


async def test_wrong_password_is_refused_without_a_cookie(
    anonymous: GraphQLClient, admin_account: StaffUser
) -> None:
    # given an admin account

    # when someone signs in with the wrong password
    response = await _post_login(anonymous, EMAIL, "not the password at all")

    # then it is refused with INVALID, no user, and no session cookie
    payload = response.json()["data"]["login"]
    assert payload["user"] is None
    assert [e["code"] for e in payload["errors"]] == ["INVALID"]
    assert _session_cookie_header(response) is None
    assert (await anonymous.execute(ME)).data["me"] is None


async def test_unknown_email_gets_the_same_answer_as_a_wrong_password(
    anonymous: GraphQLClient, admin_account: StaffUser
) -> None:
    # given an admin account
    wrong_password = await _post_login(anonymous, EMAIL, "not the password at all")

    # when someone signs in with an email nobody has
    unknown_email = await _post_login(anonymous, "nobody@example.com", "not the password at all")

    # then the answer cannot tell the two apart
    assert unknown_email.status_code == wrong_password.status_code
    assert unknown_email.json() == wrong_password.json()
    assert _session_cookie_header(unknown_email) is None


async def test_deactivated_account_cannot_sign_in(
    anonymous: GraphQLClient, admin_account: StaffUser
) -> None:
    # given an account that was deactivated
    await StaffUser.filter(id=admin_account.id).update(is_active=False)

    # when its owner signs in with the right password
    response = await _post_login(anonymous, EMAIL, STAFF_PASSWORD)

    # then it is refused like a wrong password
    payload = response.json()["data"]["login"]
    assert payload["user"] is None
    assert [e["code"] for e in payload["errors"]] == ["INVALID"]
    assert _session_cookie_header(response) is None


# --- throttling ------------------------------------------------------------------------


async def test_sixth_attempt_after_five_failures_is_blocked_even_with_the_right_password(
    anonymous: GraphQLClient, admin_account: StaffUser
) -> None:
    # given five failed sign-ins for one account
    for _ in range(5):
        response = await _post_login(anonymous, EMAIL, "guess")
        assert [e["code"] for e in response.json()["data"]["login"]["errors"]] == ["INVALID"]

    # when the sixth attempt has the right password
    response = await _post_login(anonymous, EMAIL, STAFF_PASSWORD)

    # then it is refused as TOO_MANY, and no session starts
    payload = response.json()["data"]["login"]
    assert payload["user"] is None
    assert [e["code"] for e in payload["errors"]] == ["TOO_MANY"]
    assert _session_cookie_header(response) is None
    assert (await anonymous.execute(ME)).data["me"] is None


async def test_account_throttling_does_not_block_other_accounts(
    anonymous: GraphQLClient, admin_account: StaffUser
) -> None:
    # given another account whose sign-ins keep failing
    other = await make_staff("other@example.com", StaffRole.MEMBER)
    for _ in range(5):
        await _post_login(anonymous, other.email, "guess")

    # when the admin signs in from the same address
    response = await _post_login(anonymous, EMAIL, STAFF_PASSWORD)

    # then the admin gets in
    assert response.json()["data"]["login"]["errors"] == []


async def test_failures_below_the_limit_are_forgotten_after_a_successful_login(
    anonymous: GraphQLClient, admin_account: StaffUser
) -> None:
    # given four failures, then a successful sign-in
    for _ in range(4):
        await _post_login(anonymous, EMAIL, "guess")
    assert (await _post_login(anonymous, EMAIL, STAFF_PASSWORD)).json()["data"]["login"][
        "errors"
    ] == []

    # when the user mistypes twice more
    for _ in range(2):
        await _post_login(anonymous, EMAIL, "guess")
    response = await _post_login(anonymous, EMAIL, STAFF_PASSWORD)

    # then the user is not locked out
    assert response.json()["data"]["login"]["errors"] == []


async def test_one_address_failing_on_many_accounts_is_blocked(
    app,
    admin_account: StaffUser,
    throttle_env: pytest.MonkeyPatch,
) -> None:
    # given an address limited to 3 failures, which failed on three different accounts
    throttle_env.setenv("CRM_LOGIN_MAX_FAILURES_PER_IP", "3")
    reset_settings()
    attacker = _client(app, ip="203.0.113.7")
    colleague = _client(app, ip="198.51.100.20")
    async with attacker.http, colleague.http:
        for email in ("a@example.com", "b@example.com", "c@example.com"):
            response = await _post_login(attacker, email, "guess")
            assert [e["code"] for e in response.json()["data"]["login"]["errors"]] == ["INVALID"]

        # when that address tries a fourth, real account with its right password
        blocked = await _post_login(attacker, EMAIL, STAFF_PASSWORD)
        # and a colleague signs in to it from elsewhere
        allowed = await _post_login(colleague, EMAIL, STAFF_PASSWORD)

    # then the address is blocked, the colleague is not
    assert [e["code"] for e in blocked.json()["data"]["login"]["errors"]] == ["TOO_MANY"]
    assert _session_cookie_header(blocked) is None
    assert allowed.json()["data"]["login"]["errors"] == []


async def test_an_address_gets_thirty_failures_by_default(
    app,
    admin_account: StaffUser,
) -> None:
    # given an address that failed 29 times, each on a different account
    client = _client(app, ip="203.0.113.9")
    async with client.http:
        for n in range(29):
            await _post_login(client, f"user{n}@example.com", "guess")
        # it can still sign in to a real account
        still_open = await _post_login(client, EMAIL, STAFF_PASSWORD)

        # when it fails a 30th time
        await _post_login(client, "user29@example.com", "guess")
        blocked = await _post_login(client, EMAIL, STAFF_PASSWORD)

    # then from then on it is blocked
    assert still_open.json()["data"]["login"]["errors"] == []
    assert [e["code"] for e in blocked.json()["data"]["login"]["errors"]] == ["TOO_MANY"]


def _codes(response: httpx.Response) -> list[str]:
    return [e["code"] for e in response.json()["data"]["login"]["errors"]]


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords staff sign-in verified, in order."""
    checked: list[str] = []

    async def counting(password_hash: str | None, password: str) -> bool:
        checked.append(password)
        return await verify_password(password_hash, password)

    monkeypatch.setattr(services, "verify_password", counting)
    return checked


async def test_concurrent_wrong_passwords_for_one_account_are_checked_at_most_the_limit(
    app, admin_account: StaffUser, password_checks: list[str]
) -> None:
    # given an account limited to 5 failures per address (the default)
    client = _client(app, ip="203.0.113.7")

    # when 25 wrong passwords for it arrive at once
    async with client.http:
        responses = await asyncio.gather(
            *(_post_login(client, EMAIL, f"guess number {n}") for n in range(25))
        )

    # then at most 5 were checked; the others were refused as TOO_MANY without a check
    codes = [_codes(response) for response in responses]
    assert len(password_checks) == codes.count(["INVALID"]) <= 5
    assert codes.count(["TOO_MANY"]) == 25 - len(password_checks)


async def test_concurrent_failures_from_one_address_are_checked_at_most_the_limit(
    app, admin_account: StaffUser, password_checks: list[str]
) -> None:
    # given an address limited to 30 failures (the default)
    client = _client(app, ip="203.0.113.8")

    # when it tries 60 accounts at once
    async with client.http:
        responses = await asyncio.gather(
            *(_post_login(client, f"user{n}@example.com", "guess") for n in range(60))
        )

    # then at most 30 were checked, the rest refused as TOO_MANY
    codes = [_codes(response) for response in responses]
    assert len(password_checks) == codes.count(["INVALID"]) <= 30
    assert codes.count(["TOO_MANY"]) == 60 - len(password_checks)


async def test_a_stranger_failing_from_elsewhere_does_not_lock_the_owner_out(
    app, admin_account: StaffUser
) -> None:
    # given a stranger who knows the admin's email and failed until blocked
    stranger, owner = _client(app, ip="203.0.113.66"), _client(app, ip="198.51.100.20")
    async with stranger.http, owner.http:
        for _ in range(5):
            await _post_login(stranger, EMAIL, "guess")
        stranger_again = await _post_login(stranger, EMAIL, STAFF_PASSWORD)

        # when the admin signs in from their own address
        response = await _post_login(owner, EMAIL, STAFF_PASSWORD)

    # then the stranger's address stays blocked and the admin gets in
    assert _codes(stranger_again) == ["TOO_MANY"]
    assert response.json()["data"]["login"]["errors"] == []


async def test_guessing_from_many_addresses_is_capped_except_where_the_owner_signed_in(
    app, admin_account: StaffUser, throttle_env: pytest.MonkeyPatch
) -> None:
    # given an account capped at 6 failures over all addresses, whose owner is signed in at
    # the office, and 4 addresses that failed twice each
    throttle_env.setenv("CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT_ALL_ADDRESSES", "6")
    reset_settings()
    office, newcomer = _client(app, ip="198.51.100.20"), _client(app, ip="198.51.100.99")
    async with office.http, newcomer.http:
        assert (await _post_login(office, EMAIL, STAFF_PASSWORD)).json()["data"]["login"][
            "errors"
        ] == []
        for n in range(4):
            guesser = _client(app, ip=f"203.0.113.{n + 1}")
            async with guesser.http:
                for _ in range(2):
                    await _post_login(guesser, EMAIL, "guess")

        # when someone signs in from a new address, and the owner again from the office
        from_new_address = await _post_login(newcomer, EMAIL, STAFF_PASSWORD)
        from_office = await _post_login(office, EMAIL, STAFF_PASSWORD)

    # then the new address waits, the office gets in
    assert _codes(from_new_address) == ["TOO_MANY"]
    assert from_office.json()["data"]["login"]["errors"] == []


async def test_behind_a_proxy_the_address_is_the_one_the_proxy_added(
    db: str, throttle_env: pytest.MonkeyPatch
) -> None:
    # given the CRM behind one trusted proxy, which appends the address it saw, and an
    # address limited to 3 failures
    throttle_env.setenv("CRM_LOGIN_MAX_FAILURES_PER_IP", "3")
    reset_settings()
    settings = dataclasses.replace(get_settings(), trust_proxy_headers=True)
    client = _client(create_app(settings, manage_db=False), ip="10.0.0.2")

    # when one client fails on four accounts, writing a new address of its own each time
    async with client.http:
        responses = [
            await client.http.post(
                "/graphql",
                json={
                    "query": LOGIN,
                    "variables": {"input": {"email": f"user{n}@example.com", "password": "x"}},
                },
                headers={"x-forwarded-for": f"192.0.2.{n}, 203.0.113.50"},
            )
            for n in range(4)
        ]

    # then the address the proxy saw is throttled: the fourth attempt is TOO_MANY
    assert [_codes(response) for response in responses] == [["INVALID"]] * 3 + [["TOO_MANY"]]


# --- sign out and sessions -------------------------------------------------------------


async def test_logout_clears_the_cookie_and_the_old_token_stops_working(
    app,
    anonymous: GraphQLClient,
    admin_account: StaffUser,
) -> None:
    # given a signed-in browser
    login = await _post_login(anonymous, EMAIL, STAFF_PASSWORD)
    token = login.cookies[SESSION_COOKIE]

    # when it signs out
    response = await anonymous.http.post("/graphql", json={"query": LOGOUT})

    # then the cookie is cleared and the browser is anonymous again
    assert response.json()["data"]["logout"]["ok"] is True
    header = _session_cookie_header(response)
    assert header is not None
    assert header.startswith(f'{SESSION_COOKIE}="";') or header.startswith(f"{SESSION_COOKIE}=;")
    assert _cookie_attributes(header)["max-age"] == "0"
    assert (await anonymous.execute(ME)).data["me"] is None
    # and whoever kept a copy of the old token cannot use it
    replay = _client(app, token=token)
    async with replay.http:
        assert (await replay.execute(ME)).data["me"] is None
        assert (await replay.execute(CONTACTS)).error_codes == ["UNAUTHENTICATED"]


async def test_logout_ends_only_this_session_by_default(
    app,
    admin_account: StaffUser,
) -> None:
    # given the same user signed in on a laptop and a phone
    laptop, phone = _client(app), _client(app)
    async with laptop.http, phone.http:
        await _post_login(laptop, EMAIL, STAFF_PASSWORD)
        await _post_login(phone, EMAIL, STAFF_PASSWORD)

        # when the laptop signs out
        await laptop.execute(LOGOUT)

        # then the phone is still signed in
        assert (await laptop.execute(ME)).data["me"] is None
        assert (await phone.execute(ME)).data["me"]["email"] == EMAIL


async def test_logout_everywhere_ends_every_other_session(
    app,
    admin_account: StaffUser,
) -> None:
    # given the same user signed in on a laptop and a phone
    laptop, phone = _client(app), _client(app)
    async with laptop.http, phone.http:
        await _post_login(laptop, EMAIL, STAFF_PASSWORD)
        await _post_login(phone, EMAIL, STAFF_PASSWORD)

        # when the laptop signs out everywhere
        result = await laptop.execute(LOGOUT, {"input": {"everywhere": True}})

        # then both are signed out
        assert result.data["logout"]["ok"] is True
        assert (await laptop.execute(ME)).data["me"] is None
        assert (await phone.execute(ME)).data["me"] is None
        assert (await phone.execute(CONTACTS)).error_codes == ["UNAUTHENTICATED"]


async def test_logout_when_anonymous_is_harmless(anonymous: GraphQLClient) -> None:
    # given nobody signed in

    # when signing out
    result = await anonymous.execute(LOGOUT)

    # then it simply succeeds
    assert result.data["logout"] == {"ok": True, "errors": []}


async def test_session_of_a_deactivated_user_stops_working(
    staff: GraphQLClient,
) -> None:
    # given a signed-in staff user
    assert (await staff.execute(ME)).data["me"]["email"] == EMAIL

    # when an admin deactivates the account
    await StaffUser.filter(email=EMAIL).update(is_active=False)

    # then the open session no longer works
    assert (await staff.execute(ME)).data["me"] is None
    assert (await staff.execute(CONTACTS)).error_codes == ["UNAUTHENTICATED"]


async def test_signing_in_again_replaces_the_previous_session(
    app,
    admin_account: StaffUser,
) -> None:
    # given a browser signed in
    browser = _client(app)
    async with browser.http:
        first = await _post_login(browser, EMAIL, STAFF_PASSWORD)
        old_token = first.cookies[SESSION_COOKIE]

        # when it signs in again
        second = await _post_login(browser, EMAIL, STAFF_PASSWORD)

    # then it gets a new token and the old one is dead
    assert second.cookies[SESSION_COOKIE] != old_token
    replay = _client(app, token=old_token)
    async with replay.http:
        assert (await replay.execute(ME)).data["me"] is None


async def test_a_forged_session_cookie_is_anonymous(app, db: str) -> None:
    # given a browser carrying a cookie the server never issued
    client = _client(app, token="forged-token")

    # when it asks for staff data
    async with client.http:
        result = await client.execute(CONTACTS)

    # then it is treated as anonymous
    assert result.error_codes == ["UNAUTHENTICATED"]


# --- staff accounts --------------------------------------------------------------------


async def test_admin_creates_a_staff_user_who_can_then_sign_in(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # given a signed-in admin

    # when the admin creates a member account
    payload = await staff.mutate(
        "createStaffUser",
        CREATE_STAFF_USER,
        {
            "email": "New.Person@Example.com",
            "password": "a long enough password",
            "name": "New Person",
            "role": "MEMBER",
        },
    )

    # then the account exists, listed, and its owner can sign in
    assert payload["errors"] == []
    assert payload["user"]["email"] == "new.person@example.com"
    assert payload["user"]["role"] == "MEMBER"
    listed = (await staff.execute(STAFF_USERS)).data["staffUsers"]["edges"]
    assert {"node": {"email": "new.person@example.com", "role": "MEMBER"}} in listed
    login = await _post_login(anonymous, "new.person@example.com", "a long enough password")
    assert login.json()["data"]["login"]["user"]["role"] == "MEMBER"


async def test_create_staff_user_reports_bad_input(staff: GraphQLClient) -> None:
    # given a signed-in admin

    # when the admin sends a bad email and a short password
    payload = await staff.mutate(
        "createStaffUser", CREATE_STAFF_USER, {"email": "not an email", "password": "short"}
    )

    # then both fields are named and nothing is created
    assert payload["user"] is None
    assert {(tuple(e["field"]), e["code"]) for e in payload["errors"]} == {
        (("input", "email"), "INVALID"),
        (("input", "password"), "INVALID"),
    }
    assert await StaffUser.all().count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password12", "too common"),
        ("Password123", "too common"),
        ("new.person@example.com", "email"),
        ("New.Person", "email"),
        ("x" * 201, "at most 200"),
    ],
)
async def test_staff_passwords_follow_the_portal_rules(
    staff: GraphQLClient, password: str, message: str
) -> None:
    # given a signed-in admin

    # when the admin gives a new account a common password or its own email
    payload = await staff.mutate(
        "createStaffUser",
        CREATE_STAFF_USER,
        {"email": "new.person@example.com", "password": password},
    )

    # then the password is refused, saying why
    assert payload["user"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        (["input", "password"], "INVALID")
    ]
    assert message in payload["errors"][0]["message"]


async def test_create_staff_user_refuses_a_taken_email(staff: GraphQLClient) -> None:
    # given a signed-in admin (staff@example.com)

    # when the admin creates another account with the same email in another case
    payload = await staff.mutate(
        "createStaffUser",
        CREATE_STAFF_USER,
        {"email": "STAFF@example.com", "password": "a long enough password"},
    )

    # then it is a DUPLICATE on the email
    assert payload["user"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        (["input", "email"], "DUPLICATE")
    ]


async def test_member_cannot_create_staff_users(member: GraphQLClient) -> None:
    # given a signed-in member

    # when the member tries to create an admin account
    result = await member.execute(
        CREATE_STAFF_USER,
        {
            "input": {
                "email": "sneaky@example.com",
                "password": "a long enough password",
                "role": "ADMIN",
            }
        },
    )

    # then it is FORBIDDEN and no account appears
    assert result.error_codes == ["FORBIDDEN"]
    assert result.body["data"] is None
    assert not await StaffUser.exists(email="sneaky@example.com")


async def test_member_cannot_list_staff_users(member: GraphQLClient) -> None:
    # given a signed-in member

    # when the member asks for the staff list
    result = await member.execute(STAFF_USERS)

    # then it is FORBIDDEN and nothing is listed
    assert result.error_codes == ["FORBIDDEN"]
    assert result.body["data"] is None


async def test_admin_lists_staff_users(staff: GraphQLClient, member: GraphQLClient) -> None:
    # given an admin and a member

    # when the admin asks for the staff list
    result = await staff.execute(STAFF_USERS)

    # then both accounts are listed, by email
    assert [edge["node"] for edge in result.data["staffUsers"]["edges"]] == [
        {"email": "member@example.com", "role": "MEMBER"},
        {"email": "staff@example.com", "role": "ADMIN"},
    ]


async def test_anonymous_cannot_create_staff_users(anonymous: GraphQLClient) -> None:
    # given nobody signed in

    # when creating an account
    result: Result = await anonymous.execute(
        CREATE_STAFF_USER,
        {"input": {"email": "x@example.com", "password": "a long enough password"}},
    )

    # then it is UNAUTHENTICATED
    assert result.error_codes == ["UNAUTHENTICATED"]
    assert not await StaffUser.exists(email="x@example.com")


APP_SETTINGS = "{ appSettings { organisationName defaultCountry smsEnabled inviteExpiryDays } }"


async def test_staff_read_the_installation_settings(staff: GraphQLClient) -> None:
    result = await staff.execute(APP_SETTINGS)
    assert result.data["appSettings"] == {
        "organisationName": "Our CRM",
        "defaultCountry": "GB",
        "smsEnabled": False,
        "inviteExpiryDays": 7,
    }


async def test_anyone_reads_what_the_portal_pages_need(anonymous: GraphQLClient) -> None:
    query = "{ portalInfo { organisationName defaultCountry smsEnabled } }"
    result = await anonymous.execute(query)
    assert result.data["portalInfo"] == {
        "organisationName": "Our CRM",
        "defaultCountry": "GB",
        "smsEnabled": False,
    }
