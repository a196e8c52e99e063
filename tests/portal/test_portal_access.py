"""The portal side: activate, sign in, reset a password, edit one's own profile only."""

from __future__ import annotations

import pytest

from crm.portal.models import PortalAccount
from tests.graphql.test_permissions import PUBLIC_FIELDS, _root_fields, operation_for
from tests.graphql_client import GraphQLClient
from tests.portal.helpers import (
    ME,
    PASSWORD,
    PORTAL_LOGIN,
    activate,
    invited_client,
    latest_token,
    messages_to,
)
from tests.portal.test_impersonation import opened_view, viewing_as

RESET_REQUEST = """
mutation ($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { ok errors { code } }
}
"""
RESET = """
mutation ($input: ResetPasswordInput!) {
  resetPassword(input: $input) { contact { fullName } errors { field message code } }
}
"""
UPDATE_ME = """
mutation ($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) {
    contact {
      firstName lastName email phones { number } address { city }
      preferences { email post consents { channel granted source } }
    }
    errors { field message code }
  }
}
"""
CHANGE_PASSWORD = """
mutation ($input: ChangeMyPasswordInput!) {
  changeMyPassword(input: $input) { ok errors { field message code } }
}
"""
CHECK = """
query ($token: String!) { portalInvitation(token: $token) { valid firstName email } }
"""


@pytest.fixture
async def portal(staff: GraphQLClient, anonymous: GraphQLClient) -> GraphQLClient:
    """A client signed in to the portal by activating an invitation."""
    await invited_client(staff, firstName="Pia", lastName="Portal", email="pia@example.com")
    payload = await activate(anonymous, await latest_token("pia@example.com"))
    assert payload["errors"] == []
    return anonymous


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 10"),
        ("pia@example.com", "email"),
        ("Password123", "too common"),
        ("1234567890", "too common"),
        ("x" * 201, "at most 200"),
    ],
)
async def test_activation_refuses_weak_passwords_and_keeps_the_link(
    staff: GraphQLClient, anonymous: GraphQLClient, password: str, message: str
) -> None:
    await invited_client(staff, email="pia@example.com")
    token = await latest_token("pia@example.com")
    refused = await activate(anonymous, token, password)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        (["input", "password"], "INVALID")
    ]
    assert message in refused["errors"][0]["message"]
    assert (await activate(anonymous, token))["errors"] == []


async def test_activation_signs_in_once_and_the_link_is_single_use(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    await invited_client(staff, firstName="Pia", email="pia@example.com")
    token = await latest_token("pia@example.com")
    check = await anonymous.execute(CHECK, {"token": token})
    assert check.data["portalInvitation"] == {
        "valid": True,
        "firstName": "Pia",
        "email": "pia@example.com",
    }
    payload = await activate(anonymous, token)
    assert payload["contact"] == {
        "id": payload["contact"]["id"],
        "fullName": "Pia Client",
        "email": "pia@example.com",
    }
    me = await anonymous.execute(ME)
    assert me.data["me"] == {
        "__typename": "PortalUser",
        "email": "pia@example.com",
        "contact": {"fullName": "Pia Client"},
    }
    account = await PortalAccount.get(contact__email="pia@example.com")
    assert account.password_hash.startswith("$argon2id$")
    again = await activate(anonymous, token)
    assert again["errors"][0]["code"] == "INVALID"
    assert (await anonymous.execute(CHECK, {"token": token})).data["portalInvitation"][
        "valid"
    ] is False


async def test_garbage_tokens_are_invalid(anonymous: GraphQLClient) -> None:
    for token in ("", "nope", "x" * 5000, "'; DROP TABLE invitation; --"):
        payload = await activate(anonymous, token)
        assert payload["errors"][0]["code"] == "INVALID"


async def test_portal_login_and_throttling(portal: GraphQLClient, anonymous: GraphQLClient) -> None:
    await portal.execute("mutation { logout { ok } }")
    wrong = await portal.mutate(
        "portalLogin", PORTAL_LOGIN, {"email": "pia@example.com", "password": "wrong wrong wrong"}
    )
    assert wrong["errors"][0]["code"] == "INVALID"
    right = await portal.mutate(
        "portalLogin", PORTAL_LOGIN, {"email": "PIA@example.com", "password": PASSWORD}
    )
    assert right["errors"] == []
    assert right["user"]["email"] == "pia@example.com"
    for _ in range(5):
        await portal.mutate(
            "portalLogin", PORTAL_LOGIN, {"email": "pia@example.com", "password": "nope nope nope"}
        )
    blocked = await portal.mutate(
        "portalLogin", PORTAL_LOGIN, {"email": "pia@example.com", "password": PASSWORD}
    )
    assert blocked["errors"][0]["code"] == "TOO_MANY"


async def test_an_invited_but_not_activated_contact_cannot_sign_in(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    await invited_client(staff, email="pia@example.com")
    payload = await anonymous.mutate(
        "portalLogin", PORTAL_LOGIN, {"email": "pia@example.com", "password": PASSWORD}
    )
    assert payload["errors"][0]["code"] == "INVALID"


async def test_password_reset_answers_the_same_and_mails_only_active_contacts(
    portal: GraphQLClient, staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    await invited_client(staff, email="invited@example.com")
    answers = []
    for email in ("pia@example.com", "nobody@example.com", "invited@example.com", "not an email"):
        result = await anonymous.execute(RESET_REQUEST, {"input": {"email": email}})
        answers.append(result.data["requestPasswordReset"])
    assert answers == [{"ok": True, "errors": []}] * 4
    assert len(await messages_to("pia@example.com")) == 2  # invitation + reset
    assert await messages_to("nobody@example.com") == []
    assert len(await messages_to("invited@example.com")) == 1  # its invitation only


async def test_reset_password_works_once_and_ends_other_sessions(
    portal: GraphQLClient, anonymous: GraphQLClient
) -> None:
    await anonymous.execute(RESET_REQUEST, {"input": {"email": "pia@example.com"}})
    token = await latest_token("pia@example.com")
    new_password = "another sturdy passphrase"
    weak = await anonymous.mutate("resetPassword", RESET, {"token": token, "password": "short"})
    assert weak["errors"][0]["field"] == ["input", "password"]
    done = await anonymous.mutate(
        "resetPassword", RESET, {"token": token, "password": new_password}
    )
    assert done["errors"] == []
    again = await anonymous.mutate(
        "resetPassword", RESET, {"token": token, "password": "yet another passphrase"}
    )
    assert again["errors"][0]["code"] == "INVALID"
    old = await anonymous.mutate(
        "portalLogin", PORTAL_LOGIN, {"email": "pia@example.com", "password": PASSWORD}
    )
    assert old["errors"][0]["code"] == "INVALID"
    new = await anonymous.mutate(
        "portalLogin", PORTAL_LOGIN, {"email": "pia@example.com", "password": new_password}
    )
    assert new["errors"] == []


async def test_update_my_profile_records_portal_consent(portal: GraphQLClient) -> None:
    payload = await portal.mutate(
        "updateMyProfile",
        UPDATE_ME,
        {
            "firstName": "Pía",
            "phones": [{"number": "07400 123456", "country": "GB"}],
            "address": {"city": "Leeds", "line1": "1 High St"},
            "preferences": {"email": False},
        },
    )
    assert payload["errors"] == []
    contact = payload["contact"]
    assert contact["firstName"] == "Pía"
    assert contact["email"] == "pia@example.com"
    assert contact["phones"] == [{"number": "+447400123456"}]
    consents = {c["channel"]: c for c in contact["preferences"]["consents"]}
    assert consents["EMAIL"] == {"channel": "EMAIL", "granted": False, "source": "PORTAL"}
    assert consents["POST"] == {"channel": "POST", "granted": True, "source": "PORTAL"}


async def test_update_my_profile_errors_name_the_field(portal: GraphQLClient) -> None:
    payload = await portal.mutate(
        "updateMyProfile", UPDATE_ME, {"lastName": "", "phones": [{"number": "123"}]}
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        (["input", "lastName"], "REQUIRED"),
        (["input", "phones", "0", "number"], "INVALID"),
    ]


async def test_change_my_password(portal: GraphQLClient) -> None:
    wrong = await portal.mutate(
        "changeMyPassword",
        CHANGE_PASSWORD,
        {"currentPassword": "not it at all", "newPassword": "brand new passphrase"},
    )
    assert wrong["errors"][0]["field"] == ["input", "currentPassword"]
    weak = await portal.mutate(
        "changeMyPassword", CHANGE_PASSWORD, {"currentPassword": PASSWORD, "newPassword": "short"}
    )
    assert weak["errors"][0]["field"] == ["input", "newPassword"]
    done = await portal.mutate(
        "changeMyPassword",
        CHANGE_PASSWORD,
        {"currentPassword": PASSWORD, "newPassword": "brand new passphrase"},
    )
    assert done == {"ok": True, "errors": []}


async def test_staff_cannot_use_the_portal_self_service(staff: GraphQLClient) -> None:
    result = await staff.execute(UPDATE_ME, {"input": {"firstName": "X"}})
    assert result.error_codes == ["FORBIDDEN"]


PORTAL_OWN_FIELDS = {
    "updateMyProfile",
    "changeMyPassword",
    "removeMyAvatar",
    "myMessages",
    "myUnreadMessageCount",
    "sendMyMessage",
    "markMessagesRead",
}
STAFF_ONLY = [
    pytest.param(kind, name, field, id=f"{kind}.{name}")
    for kind, name, field in _root_fields()
    if name not in PUBLIC_FIELDS[kind] and name not in PORTAL_OWN_FIELDS
]


@pytest.mark.parametrize(("kind", "name", "field"), STAFF_ONLY)
async def test_a_portal_contact_reaches_no_staff_field(
    portal: GraphQLClient, kind: str, name: str, field: object
) -> None:
    document = operation_for(kind, name, field)
    result = await portal.execute(document)
    assert result.error_codes == ["FORBIDDEN"], (document, result.body)
    data = result.body.get("data")
    assert data is None or data.get(name) is None


async def test_an_admins_view_of_the_portal_reaches_no_staff_field(
    staff: GraphQLClient, portal: GraphQLClient
) -> None:
    # given an ADMIN viewing the portal as a contact, the staff session in the same browser
    own = await portal.execute("{ me { ... on PortalUser { contact { id } } } }")
    contact_id = own.data["me"]["contact"]["id"]
    await opened_view(staff, contact_id)

    # when the view asks for every staff field (the mutations are refused as read-only anyway)
    answers = {}
    async with viewing_as(staff, contact_id):
        for kind, name, field in _root_fields():
            if name not in PUBLIC_FIELDS[kind] and name not in PORTAL_OWN_FIELDS:
                result = await staff.execute(operation_for(kind, name, field))
                answers[name] = result.error_codes

    # then each is refused: the view is the contact's, never the ADMIN's
    assert {name: codes for name, codes in answers.items() if codes != ["FORBIDDEN"]} == {}
    assert len(answers) == len(STAFF_ONLY)
