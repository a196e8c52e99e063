"""An ADMIN views the portal as a contact: a one-minute, single-use link, a read-only view in a
session of its own beside the staff session, on the contact's timeline, and nothing of the
contact's own sign-in touched."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from crm.auth import links
from crm.auth.http import VIEW_AS_HEADER
from crm.auth.models import Session
from crm.auth.services import VIEW_AS_COOKIE
from crm.contacts.models import Contact
from crm.core.ids import from_global_id
from crm.graphql.schema import schema
from crm.portal.models import ImpersonationLink
from crm.settings import get_settings
from crm.staff.models import StaffRole, StaffUser
from tests.avatars.test_avatars import photo, upload
from tests.graphql.test_permissions import operation_for
from tests.graphql_client import GraphQLClient
from tests.portal.helpers import ME, activate, invited_client, latest_token
from tests.timeline.test_contact_events import events

IMPERSONATE = """
mutation ($input: ImpersonatePortalUserInput!) {
  impersonatePortalUser(input: $input) { url errors { field message code } }
}
"""
START = """
mutation ($input: StartImpersonationInput!) {
  startImpersonation(input: $input) {
    user { email contact { id fullName } } errors { field message code }
  }
}
"""
END = "mutation { endImpersonation { ok } }"
UPDATE_ME = """
mutation ($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { errors { code } } }
"""
STAFF_ME = "{ me { __typename ... on StaffUser { email } } }"
TOKEN = re.compile(r"/portal/view-as\?token=([A-Za-z0-9_\-]+)$")


@pytest.fixture
async def mia(staff: GraphQLClient, anonymous: GraphQLClient) -> dict[str, Any]:
    """A contact with portal access, signed in to the portal in the `anonymous` client."""
    contact = await invited_client(staff, firstName="Mia", lastName="Sage", email="mia@example.com")
    payload = await activate(anonymous, await latest_token("mia@example.com"))
    assert payload["errors"] == []
    return contact


async def view_link(client: GraphQLClient, contact_id: str) -> dict[str, Any]:
    return await client.mutate("impersonatePortalUser", IMPERSONATE, {"contactId": contact_id})


async def token_for(staff: GraphQLClient, contact_id: str) -> str:
    payload = await view_link(staff, contact_id)
    assert payload["errors"] == [], payload["errors"]
    found = TOKEN.search(payload["url"])
    assert found, payload["url"]
    return found.group(1)


async def start(client: GraphQLClient, token: str) -> dict[str, Any]:
    return await client.mutate("startImpersonation", START, {"token": token})


@asynccontextmanager
async def viewing_as(client: GraphQLClient, contact_id: str) -> AsyncIterator[GraphQLClient]:
    """The client's requests as the view-as tab sends them (its header), for the block."""
    client.http.headers[VIEW_AS_HEADER] = contact_id
    try:
        yield client
    finally:
        del client.http.headers[VIEW_AS_HEADER]


async def opened_view(staff: GraphQLClient, contact_id: str) -> None:
    payload = await start(staff, await token_for(staff, contact_id))
    assert payload["errors"] == [], payload["errors"]


async def test_an_admin_gets_a_one_minute_link_under_the_public_url(
    staff: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given an ADMIN and a contact with portal access

    # when the ADMIN asks to view the portal as the contact
    payload = await view_link(staff, mia["id"])

    # then a link under CRM_PUBLIC_URL comes back, valid for a minute
    assert payload["errors"] == []
    assert payload["url"].startswith(f"{get_settings().public_url}/portal/view-as?token=")
    link = await ImpersonationLink.get()
    lifetime = link.expires_at - link.created_at
    assert timedelta(seconds=59) < lifetime <= timedelta(seconds=61)


async def test_members_and_portal_contacts_are_forbidden_and_anonymous_callers_unauthenticated(
    app: Any, member: GraphQLClient, anonymous: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given a MEMBER, the contact signed in to the portal (`anonymous`), and a fresh browser
    stranger = GraphQLClient(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    )
    variables = {"input": {"contactId": mia["id"]}}

    # when each asks for a link
    by_member = await member.execute(IMPERSONATE, variables)
    by_contact = await anonymous.execute(IMPERSONATE, variables)
    by_nobody = await stranger.execute(IMPERSONATE, variables)

    # then none gets one
    assert by_member.error_codes == ["FORBIDDEN"]
    assert by_contact.error_codes == ["FORBIDDEN"]
    assert by_nobody.error_codes == ["UNAUTHENTICATED"]
    assert await ImpersonationLink.all().count() == 0


async def test_only_contacts_with_portal_access_can_be_viewed(
    staff: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given an invited contact who has not activated, an archived one, and an unknown id
    invited = await invited_client(staff, lastName="Invited", email="invited@example.com")
    await Contact.filter(id=from_global_id(mia["id"])[1]).update(archived_at=datetime.now(UTC))

    # when the ADMIN asks to view the portal as each
    not_active = await view_link(staff, invited["id"])
    archived = await view_link(staff, mia["id"])
    unknown = await view_link(staff, "Q29udGFjdDo5OTk5OTk=")  # Contact:999999

    # then each is refused, saying why
    assert [e["code"] for e in not_active["errors"]] == ["NOT_ALLOWED"]
    assert "no portal account yet" in not_active["errors"][0]["message"]
    assert [e["code"] for e in archived["errors"]] == ["NOT_ALLOWED"]
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [
        (["input", "contactId"], "NOT_FOUND")
    ]
    assert not_active["url"] is archived["url"] is unknown["url"] is None


async def test_the_link_opens_the_portal_as_the_contact_once(
    staff: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given a view link
    token = await token_for(staff, mia["id"])

    # when the ADMIN's browser opens it, then opens it again
    first = await start(staff, token)
    again = await start(staff, token)

    # then the first opens the portal as the contact, in a cookie of its own; the second is
    # refused
    assert first["errors"] == []
    assert first["user"]["contact"]["fullName"] == "Mia Sage"
    assert staff.http.cookies.get(VIEW_AS_COOKIE)
    async with viewing_as(staff, mia["id"]):
        me = (await staff.execute(ME)).data["me"]
    assert me == {
        "__typename": "PortalUser",
        "email": "mia@example.com",
        "contact": {"fullName": "Mia Sage"},
    }
    assert [(e["field"], e["code"]) for e in again["errors"]] == [(["input", "token"], "INVALID")]


async def test_the_link_expires_after_a_minute(
    staff: GraphQLClient, mia: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a view link, and a minute and a second later
    token = await token_for(staff, mia["id"])
    later = datetime.now(UTC) + timedelta(seconds=61)
    monkeypatch.setattr(links, "now", lambda: later)

    # when the ADMIN's browser opens it
    payload = await start(staff, token)

    # then it is refused and no view is opened
    assert [e["code"] for e in payload["errors"]] == ["INVALID"]
    assert not await Session.filter(impersonated_by_id__isnull=False).exists()


async def test_the_link_opens_only_in_the_browser_of_the_admin_who_asked(
    staff: GraphQLClient, member: GraphQLClient, anonymous: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given a view link that reached someone else: a MEMBER, or the contact
    token = await token_for(staff, mia["id"])

    # when they open it
    by_member = await start(member, token)
    by_contact = await start(anonymous, token)

    # then it is refused, and still works for the ADMIN
    assert [e["code"] for e in by_member["errors"]] == ["INVALID"]
    assert [e["code"] for e in by_contact["errors"]] == ["INVALID"]
    assert (await start(staff, token))["errors"] == []


def _mutations() -> list[tuple[str, Any]]:
    return list(schema._schema.mutation_type.fields.items())  # type: ignore[union-attr]


async def test_every_mutation_is_refused_while_viewing(
    staff: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given the ADMIN viewing the portal as the contact
    await opened_view(staff, mia["id"])

    # when the view sends every mutation of the schema but Exit
    answers = {}
    async with viewing_as(staff, mia["id"]):
        for name, field in _mutations():
            if name != "endImpersonation":
                result = await staff.execute(operation_for("Mutation", name, field))
                answers[name] = (result.error_codes, result.errors[0]["message"])
        profile = await staff.execute(UPDATE_ME, {"input": {"firstName": "Changed"}})

    # then each is refused as read-only, naming the contact, and nothing changed
    refusal = (["FORBIDDEN"], "Read-only: you are viewing the portal as Mia Sage")
    assert {name: answer for name, answer in answers.items() if answer != refusal} == {}
    assert len(answers) == len(_mutations()) - 1 > 50
    assert profile.error_codes == ["FORBIDDEN"] and profile.body["data"] is None
    assert (await Contact.get(email="mia@example.com")).first_name == "Mia"


async def test_no_mutation_slips_through_with_a_fragment_or_beside_exit(
    staff: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given the ADMIN viewing the portal as the contact
    await opened_view(staff, mia["id"])
    sneaky = [
        'mutation { endImpersonation { ok } updateMyProfile(input: {firstName: "X"}) '
        "{ errors { code } } }",
        "mutation { ...Change } fragment Change on Mutation "
        '{ updateMyProfile(input: {firstName: "X"}) { errors { code } } }',
    ]

    # when the view sends Exit with another mutation, or a mutation inside a fragment
    async with viewing_as(staff, mia["id"]):
        codes = [(await staff.execute(document)).error_codes for document in sneaky]

    # then both are refused whole, and the view is still open
    assert codes == [["FORBIDDEN"], ["FORBIDDEN"]]
    assert await Session.filter(impersonated_by_id__isnull=False).exists()


async def test_the_avatar_upload_is_refused_while_viewing(
    staff: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given the ADMIN viewing the portal as the contact
    await opened_view(staff, mia["id"])

    # when the view uploads "my avatar", then the staff tab uploads one
    async with viewing_as(staff, mia["id"]):
        refused = await upload(staff, mia["id"], photo())
    allowed = await upload(staff, mia["id"], photo())

    # then the view is refused as read-only; the staff session may
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert allowed.status_code == 200


async def test_the_staff_session_in_the_same_browser_keeps_working(
    staff: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given the ADMIN viewing the portal as the contact in another tab
    await opened_view(staff, mia["id"])

    # when the staff tab (no view-as header) reads and saves
    me = await staff.execute(STAFF_ME)
    created = await invited_client(staff, lastName="Another", email="another@example.com")

    # then it is still the ADMIN, and the save worked
    assert me.data["me"] == {"__typename": "StaffUser", "email": "staff@example.com"}
    assert created["id"]


async def test_the_contact_keeps_their_last_sign_in_and_sessions(
    staff: GraphQLClient, anonymous: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given the contact signed in to the portal in their own browser
    contact_pk = from_global_id(mia["id"])[1]
    before = await Contact.get(id=contact_pk)
    own_sessions = await Session.filter(contact_id=contact_pk).values_list("id", flat=True)

    # when an ADMIN opens the portal as them, looks around, and exits
    await opened_view(staff, mia["id"])
    async with viewing_as(staff, mia["id"]):
        await staff.execute(ME)
        ended = await staff.execute(END)

    # then the contact's last sign-in and own sessions are as they were, and still work
    assert ended.data["endImpersonation"]["ok"] is True
    after = await Contact.get(id=contact_pk)
    assert after.portal_last_login_at == before.portal_last_login_at
    assert await Session.filter(contact_id=contact_pk).values_list("id", flat=True) == own_sessions
    assert (await anonymous.execute(ME)).data["me"]["email"] == "mia@example.com"


async def test_exit_ends_the_view_and_keeps_the_staff_session(
    staff: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given the ADMIN viewing the portal as the contact
    await opened_view(staff, mia["id"])

    # when the view exits
    async with viewing_as(staff, mia["id"]):
        ended = await staff.execute(END)
        me_in_view = await staff.execute(ME)

    # then the view is gone (its row and its cookie); the staff session is not
    assert ended.data["endImpersonation"]["ok"] is True
    assert me_in_view.data["me"] is None
    assert not await Session.filter(impersonated_by_id__isnull=False).exists()
    assert staff.http.cookies.get(VIEW_AS_COOKIE) is None
    assert (await staff.execute(STAFF_ME)).data["me"]["__typename"] == "StaffUser"


async def test_a_newer_view_ends_the_older_one(
    staff: GraphQLClient, mia: dict[str, Any], anonymous: GraphQLClient
) -> None:
    # given a view of the portal as Mia, and another contact with portal access
    await opened_view(staff, mia["id"])
    other = await invited_client(staff, firstName="Ola", lastName="Other", email="ola@example.com")
    assert (await activate(anonymous, await latest_token("ola@example.com")))["errors"] == []

    # when the ADMIN opens a view as the other contact in the same browser
    await opened_view(staff, other["id"])

    # then the older tab no longer acts as anyone (it says the view ended); the new one works
    async with viewing_as(staff, mia["id"]):
        older = (await staff.execute(ME)).data["me"]
    async with viewing_as(staff, other["id"]):
        newer = (await staff.execute(ME)).data["me"]
    assert older is None
    assert newer["contact"]["fullName"] == "Ola Other"
    assert await Session.filter(impersonated_by_id__isnull=False).count() == 1


async def test_the_view_ends_when_the_admin_is_no_longer_an_administrator(
    staff: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given the ADMIN viewing the portal as the contact
    await opened_view(staff, mia["id"])

    # when the ADMIN is made a MEMBER
    await StaffUser.filter(email="staff@example.com").update(role=StaffRole.MEMBER)

    # then the view no longer answers as the contact
    async with viewing_as(staff, mia["id"]):
        assert (await staff.execute(ME)).data["me"] is None


async def test_the_view_is_on_the_contacts_timeline(
    staff: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given an ADMIN called Sam Staff

    # when Sam views the portal as the contact
    await opened_view(staff, mia["id"])

    # then the contact's timeline says who, and when
    timeline = await events(staff, mia["id"], kinds=["IMPERSONATED"])
    assert timeline == [
        {
            "kind": "IMPERSONATED",
            "actor": "Sam Staff",
            "summary": "Viewed the portal as this contact (read-only)",
            "changes": [],
        }
    ]


async def test_signing_the_admin_out_everywhere_ends_their_views(
    staff: GraphQLClient, mia: dict[str, Any]
) -> None:
    # given the ADMIN viewing the portal as the contact
    await opened_view(staff, mia["id"])

    # when the ADMIN signs out everywhere (as a password change or deactivation also does)
    await staff.execute("mutation { logout(input: {everywhere: true}) { ok } }")

    # then the view is over too, and the contact's own session is not
    assert not await Session.filter(impersonated_by_id__isnull=False).exists()
    assert await Session.filter(contact__email="mia@example.com").exists()
