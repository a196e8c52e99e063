"""Staff accounts managed in the app: invitations, roles, deactivation, profile, passwords."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import pytest

from crm.auth.models import Session
from crm.mail.models import OutboxMessage
from crm.staff.models import StaffInviteLink, StaffRole, StaffUser
from tests.conftest import STAFF_PASSWORD, make_staff, signed_in
from tests.graphql_client import GraphQLClient

NEW_PASSWORD = "a brand new and long password"
LINK = re.compile(r"/(join|reset-password)\?token=([A-Za-z0-9_\-]+)")
USER = "id email name role status lastLoginAt invitedAt"
INVITE = f"""
mutation ($input: InviteStaffInput!) {{
  inviteStaff(input: $input) {{ user {{ {USER} }} errors {{ field message code }} }}
}}
"""
UPDATE = f"""
mutation ($input: UpdateStaffUserInput!) {{
  updateStaffUser(input: $input) {{ user {{ {USER} }} errors {{ field message code }} }}
}}
"""
ACCEPT = f"""
mutation ($input: AcceptStaffInvitationInput!) {{
  acceptStaffInvitation(input: $input) {{ user {{ {USER} }} errors {{ field message code }} }}
}}
"""
CHECK = "query ($token: String!) { staffInvitation(token: $token) { email } }"
PROFILE = f"""
mutation ($input: UpdateStaffProfileInput!) {{
  updateStaffProfile(input: $input) {{ user {{ {USER} }} errors {{ field message code }} }}
}}
"""
CHANGE_PASSWORD = """
mutation ($input: ChangeStaffPasswordInput!) {
  changeStaffPassword(input: $input) { ok errors { field message code } }
}
"""
REQUEST_RESET = """
mutation ($input: RequestStaffPasswordResetInput!) {
  requestStaffPasswordReset(input: $input) { ok errors { field message code } }
}
"""
RESET = f"""
mutation ($input: ResetStaffPasswordInput!) {{
  resetStaffPassword(input: $input) {{ user {{ {USER} }} errors {{ field message code }} }}
}}
"""
LOGIN = """
mutation ($input: LoginInput!) { login(input: $input) { user { email } errors { code } } }
"""
ME = "{ me { ... on StaffUser { email name role } } }"
STAFF_LIST = f"{{ staffUsers {{ edges {{ node {{ {USER} }} }} }} }}"


async def link_in_latest_email(address: str) -> tuple[str, str]:
    message = await OutboxMessage.filter(to_address=address).order_by("-id").first()
    assert message is not None, f"no email to {address}"
    found = LINK.search(message.text_body)
    assert found, message.text_body
    return found.group(1), found.group(2)


async def invite(staff: GraphQLClient, email: str, role: str = "MEMBER") -> dict:
    return await staff.mutate("inviteStaff", INVITE, {"email": email, "role": role})


async def sign_in(client: GraphQLClient, email: str, password: str) -> dict:
    return await client.mutate("login", LOGIN, {"email": email, "password": password})


async def test_an_invited_colleague_joins_from_the_emailed_link(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # when an admin invites a colleague as a MEMBER
    payload = await invite(staff, "Colleague@Example.com")
    # then the colleague is listed as INVITED and gets an email with a link to join
    assert payload["errors"] == []
    assert (payload["user"]["email"], payload["user"]["status"]) == (
        "colleague@example.com",
        "INVITED",
    )
    message = await OutboxMessage.get(to_address="colleague@example.com")
    assert message.kind == "STAFF_INVITATION" and "Sam Staff" in message.subject
    path, token = await link_in_latest_email("colleague@example.com")
    assert path == "join"
    # and the link's page knows the address, while nobody can sign in without a password
    check = await anonymous.execute(CHECK, {"token": token})
    assert check.data["staffInvitation"] == {"email": "colleague@example.com"}
    refused = await sign_in(anonymous, "colleague@example.com", "")
    assert refused["errors"][0]["code"] == "INVALID"

    # when the colleague chooses a name and a password
    joined = await anonymous.mutate(
        "acceptStaffInvitation", ACCEPT, {"token": token, "name": "Cleo", "password": NEW_PASSWORD}
    )
    # then they are signed in as an ACTIVE member
    assert joined["errors"] == []
    assert (joined["user"]["status"], joined["user"]["role"]) == ("ACTIVE", "MEMBER")
    me = await anonymous.execute(ME)
    assert me.data["me"] == {"email": "colleague@example.com", "name": "Cleo", "role": "MEMBER"}
    # and the link works once
    again = await anonymous.mutate(
        "acceptStaffInvitation", ACCEPT, {"token": token, "name": "X", "password": NEW_PASSWORD}
    )
    assert again["errors"][0]["code"] == "INVALID"
    assert (await anonymous.execute(CHECK, {"token": token})).data["staffInvitation"] is None


async def test_an_expired_or_replaced_invitation_link_does_not_work(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # given an invitation, then a second one for the same person
    await invite(staff, "late@example.com")
    _, first = await link_in_latest_email("late@example.com")
    await invite(staff, "late@example.com", "ADMIN")
    _, second = await link_in_latest_email("late@example.com")
    # then the first link is dead
    dead = await anonymous.mutate(
        "acceptStaffInvitation", ACCEPT, {"token": first, "name": "L", "password": NEW_PASSWORD}
    )
    assert dead["errors"][0]["field"] == ["input", "token"]
    # and once the second has expired, it is dead too
    await StaffInviteLink.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    expired = await anonymous.mutate(
        "acceptStaffInvitation", ACCEPT, {"token": second, "name": "L", "password": NEW_PASSWORD}
    )
    assert expired["errors"][0]["code"] == "INVALID"
    assert (await StaffUser.get(email="late@example.com")).password_hash == ""


async def test_a_weak_password_or_no_name_is_refused_and_the_link_still_works(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    await invite(staff, "weak@example.com")
    _, token = await link_in_latest_email("weak@example.com")
    weak = await anonymous.mutate(
        "acceptStaffInvitation", ACCEPT, {"token": token, "name": "W", "password": "short"}
    )
    assert weak["errors"][0]["field"] == ["input", "password"]
    nameless = await anonymous.mutate(
        "acceptStaffInvitation", ACCEPT, {"token": token, "name": " ", "password": NEW_PASSWORD}
    )
    assert nameless["errors"][0]["code"] == "REQUIRED"
    assert (await anonymous.execute(CHECK, {"token": token})).data["staffInvitation"] is not None


async def test_inviting_someone_who_has_an_account_is_a_duplicate(staff: GraphQLClient) -> None:
    payload = await invite(staff, "STAFF@example.com")
    assert payload["errors"][0]["code"] == "DUPLICATE"
    bad = await invite(staff, "not an email")
    assert bad["errors"][0]["field"] == ["input", "email"]


async def test_members_reach_no_staff_management(member: GraphQLClient) -> None:
    admin = await StaffUser.get(email="member@example.com")
    for query, variables in (
        (STAFF_LIST, None),
        (INVITE, {"input": {"email": "x@example.com"}}),
        (UPDATE, {"input": {"id": _global(admin.id), "role": "ADMIN"}}),
    ):
        result = await member.execute(query, variables)
        assert result.error_codes == ["FORBIDDEN"], result.body
    assert (await StaffUser.get(id=admin.id)).role == StaffRole.MEMBER


def _global(pk: int) -> str:
    from crm.graphql.relay import to_global_id

    return to_global_id("StaffUser", pk)


async def test_deactivating_ends_their_sessions_at_once_and_reactivating_lets_them_back(
    staff: GraphQLClient, member: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # given a member signed in
    colleague = await StaffUser.get(email="member@example.com")
    assert (await member.execute(ME)).data["me"] is not None
    # when an admin deactivates them
    payload = await staff.mutate(
        "updateStaffUser", UPDATE, {"id": _global(colleague.id), "active": False}
    )
    # then they are DEACTIVATED, signed out everywhere, and cannot sign in
    assert payload["user"]["status"] == "DEACTIVATED"
    assert (await member.execute(ME)).data["me"] is None
    assert await Session.filter(staff_user_id=colleague.id).count() == 0
    refused = await sign_in(anonymous, "member@example.com", STAFF_PASSWORD)
    assert refused["errors"][0]["code"] == "INVALID"
    # and once reactivated, they can sign in again
    back = await staff.mutate(
        "updateStaffUser", UPDATE, {"id": _global(colleague.id), "active": True}
    )
    assert back["user"]["status"] == "ACTIVE"
    assert (await sign_in(anonymous, "member@example.com", STAFF_PASSWORD))["errors"] == []


async def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(
    staff: GraphQLClient,
) -> None:
    admin = await StaffUser.get(email="staff@example.com")
    for change in ({"role": "MEMBER"}, {"active": False}):
        payload = await staff.mutate("updateStaffUser", UPDATE, {"id": _global(admin.id), **change})
        assert payload["errors"][0]["code"] == "NOT_ALLOWED", change
    admin = await StaffUser.get(id=admin.id)
    assert (admin.role, admin.is_active) == (StaffRole.ADMIN, True)
    # an invited admin who has not joined yet does not count
    await invite(staff, "future.admin@example.com", "ADMIN")
    payload = await staff.mutate(
        "updateStaffUser", UPDATE, {"id": _global(admin.id), "role": "MEMBER"}
    )
    assert payload["errors"][0]["code"] == "NOT_ALLOWED"


async def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, db: str) -> None:
    if db == "sqlite":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writes")
    # given two admins
    first, second = await make_staff("a@example.com"), await make_staff("b@example.com")
    one, other = await signed_in(app, first), await signed_in(app, second)
    # when each demotes the other at the same moment
    results = await asyncio.gather(
        one.execute(UPDATE, {"input": {"id": _global(second.id), "role": "MEMBER"}}),
        other.execute(UPDATE, {"input": {"id": _global(first.id), "role": "MEMBER"}}),
    )
    # then one change went through, and the other was refused: the last admin stays (or
    # the demoted one is no longer an admin when their request is read)
    outcomes = sorted(
        result.error_codes[0]
        if result.error_codes
        else (result.data["updateStaffUser"]["errors"] or [{"code": "OK"}])[0]["code"]
        for result in results
    )
    assert outcomes in (["FORBIDDEN", "OK"], ["NOT_ALLOWED", "OK"]), outcomes
    assert await StaffUser.filter(role="ADMIN", is_active=True).count() == 1


async def test_everyone_changes_their_own_name_and_password(app, member: GraphQLClient) -> None:
    # given a member signed in in two browsers
    user = await StaffUser.get(email="member@example.com")
    elsewhere = await signed_in(app, user)
    # when they change their name
    renamed = await member.mutate("updateStaffProfile", PROFILE, {"name": "  Mia  Member "})
    assert renamed["user"]["name"] == "Mia Member"
    # and try a wrong current password
    wrong = await member.mutate(
        "changeStaffPassword",
        CHANGE_PASSWORD,
        {"currentPassword": "nope", "newPassword": NEW_PASSWORD},
    )
    assert wrong["errors"][0]["field"] == ["input", "currentPassword"]
    # then with the right one the password changes and the other browser is signed out
    right = await member.mutate(
        "changeStaffPassword",
        CHANGE_PASSWORD,
        {"currentPassword": STAFF_PASSWORD, "newPassword": NEW_PASSWORD},
    )
    assert right == {"ok": True, "errors": []}
    assert (await member.execute(ME)).data["me"] is not None
    assert (await elsewhere.execute(ME)).data["me"] is None
    assert (await sign_in(elsewhere, "member@example.com", NEW_PASSWORD))["errors"] == []


async def test_forgot_password_emails_a_one_hour_single_use_link(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # when someone asks for a reset for a known and an unknown address
    known = await anonymous.mutate(
        "requestStaffPasswordReset", REQUEST_RESET, {"email": "staff@example.com"}
    )
    unknown = await anonymous.mutate(
        "requestStaffPasswordReset", REQUEST_RESET, {"email": "nobody@example.com"}
    )
    # then the answer is the same, and only the known address gets an email
    assert known == unknown == {"ok": True, "errors": []}
    assert await OutboxMessage.filter(to_address="nobody@example.com").count() == 0
    path, token = await link_in_latest_email("staff@example.com")
    assert path == "reset-password"
    # when the link is followed
    reset = await anonymous.mutate(
        "resetStaffPassword", RESET, {"token": token, "password": NEW_PASSWORD}
    )
    # then the new password works, this browser is signed in, the others are signed out
    assert reset["errors"] == []
    assert (await anonymous.execute(ME)).data["me"]["email"] == "staff@example.com"
    assert (await staff.execute(ME)).data["me"] is None
    # and the link works once
    again = await anonymous.mutate(
        "resetStaffPassword", RESET, {"token": token, "password": NEW_PASSWORD}
    )
    assert again["errors"][0]["code"] == "INVALID"
