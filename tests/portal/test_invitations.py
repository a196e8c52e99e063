"""Invitations: who can be invited, send / resend / revoke, links that work once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crm.mail.worker import DeliveryWorker
from crm.portal.models import Invitation
from tests.contacts.helpers import CREATE, UPDATE, create_contact
from tests.graphql_client import GraphQLClient
from tests.mail.conftest import worker_settings
from tests.portal.helpers import activate, invite, invited_client, latest_token, messages_to

INVITATIONS = """
query ($filter: InvitationFilter) {
  invitations(filter: $filter) {
    totalCount
    edges { node { status email deliveryStatus contact { lastName } } }
  }
}
"""
CONTACT_PORTAL = """
query ($id: ID!) {
  contact(id: $id) {
    portal { status invitedAt lastInvitedAt latestInvitation { status deliveryStatus } }
    invitations { status }
  }
}
"""


async def test_creating_a_client_invites_them_by_default(staff: GraphQLClient) -> None:
    # when a client with an email is created without saying anything about invitations
    contact = await invited_client(staff, firstName="Ada", email="ada@example.com")

    # then they are INVITED and one email with an activation link is in the outbox
    assert contact["portal"]["status"] == "INVITED"
    [message] = await messages_to("ada@example.com")
    assert "/portal/activate?token=" in message.text_body
    assert "Ada" in message.text_body
    token = await latest_token("ada@example.com")
    assert len(token) >= 22  # at least 128 bits, URL-safe
    stored = await Invitation.get(contact__email="ada@example.com")
    assert token not in stored.token_hash
    assert stored.token_hash != token


async def test_a_lead_or_an_unchecked_box_sends_nothing(staff: GraphQLClient) -> None:
    lead = await create_contact(staff, lastName="Lead", email="lead@example.com")
    quiet = await invited_client(staff, email="quiet@example.com", sendInvite=False)
    assert lead["portal"]["status"] == "NOT_INVITED"
    assert quiet["portal"]["status"] == "NOT_INVITED"
    assert await messages_to("lead@example.com") == []
    assert await messages_to("quiet@example.com") == []


async def test_asking_to_invite_a_lead_is_refused_and_saves_nothing(staff: GraphQLClient) -> None:
    payload = await staff.mutate(
        "createContact", CREATE, {"lastName": "Lead", "email": "l@example.com", "sendInvite": True}
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        (["input", "sendInvite"], "NOT_ALLOWED")
    ]
    assert "prospects and clients" in payload["errors"][0]["message"]
    listed = await staff.execute("{ contacts { totalCount } }")
    assert listed.data["contacts"]["totalCount"] == 0


async def test_send_invite_rules(staff: GraphQLClient) -> None:
    lead = await create_contact(staff, lastName="Lead", email="lead@example.com")
    refused = await invite(staff, "sendInvite", lead["id"])
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        (["input", "contactId"], "NOT_ALLOWED")
    ]

    client = await invited_client(staff, sendInvite=False)
    sent = await invite(staff, "sendInvite", client["id"])
    assert sent["errors"] == []
    assert sent["invitation"]["status"] == "PENDING"
    assert sent["contact"]["portal"]["status"] == "INVITED"
    assert sent["contact"]["portal"]["canResendInvite"] is True

    twice = await invite(staff, "sendInvite", client["id"])
    assert twice["errors"][0]["code"] == "NOT_ALLOWED"
    assert "resend" in twice["errors"][0]["message"]


async def test_an_archived_client_cannot_be_invited(staff: GraphQLClient) -> None:
    client = await invited_client(staff, sendInvite=False)
    await staff.execute(
        "mutation ($id: ID!) { archiveContact(input: {id: $id}) { errors { code } } }",
        {"id": client["id"]},
    )
    refused = await invite(staff, "sendInvite", client["id"])
    assert refused["errors"][0]["code"] == "NOT_ALLOWED"
    assert "archived" in refused["errors"][0]["message"]


async def test_resend_supersedes_the_old_link(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # given an invited client and their first link
    client = await invited_client(staff)
    first = await latest_token("client@example.com")

    # when staff resend the invitation
    resent = await invite(staff, "resendInvite", client["id"])

    # then a second email goes out, the first link is dead and the second one works
    assert resent["errors"] == []
    assert len(await messages_to("client@example.com")) == 2
    second = await latest_token("client@example.com")
    assert second != first
    dead = await activate(anonymous, first)
    assert [(e["field"], e["code"]) for e in dead["errors"]] == [(["input", "token"], "INVALID")]
    live = await activate(anonymous, second)
    assert live["errors"] == []
    statuses = (await staff.execute(CONTACT_PORTAL, {"id": client["id"]})).data["contact"]
    assert [i["status"] for i in statuses["invitations"]] == ["ACCEPTED", "SUPERSEDED"]


async def test_resend_is_only_for_invited_contacts(staff: GraphQLClient) -> None:
    client = await invited_client(staff, sendInvite=False)
    refused = await invite(staff, "resendInvite", client["id"])
    assert refused["errors"][0]["code"] == "NOT_ALLOWED"
    assert await messages_to("client@example.com") == []


async def test_resend_after_activation_points_to_forgot_password(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    client = await invited_client(staff)
    await activate(anonymous, await latest_token("client@example.com"))
    refused = await invite(staff, "resendInvite", client["id"])
    assert refused["errors"][0]["code"] == "NOT_ALLOWED"
    assert "forgot password" in refused["errors"][0]["message"]
    assert len(await messages_to("client@example.com")) == 1


async def test_revoke_returns_to_not_invited_and_kills_the_link(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    client = await invited_client(staff)
    token = await latest_token("client@example.com")
    revoked = await invite(staff, "revokeInvite", client["id"])
    assert revoked["errors"] == []
    assert revoked["contact"]["portal"]["status"] == "NOT_INVITED"
    assert revoked["invitation"]["status"] == "REVOKED"
    assert (await activate(anonymous, token))["errors"][0]["code"] == "INVALID"
    again = await invite(staff, "revokeInvite", client["id"])
    assert again["errors"][0]["code"] == "NOT_ALLOWED"


async def test_an_expired_link_is_invalid_and_shown_expired(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    await invited_client(staff)
    token = await latest_token("client@example.com")
    await Invitation.all().update(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    assert (await activate(anonymous, token))["errors"][0]["code"] == "INVALID"
    listed = await staff.execute(INVITATIONS, {"filter": {"status": ["EXPIRED"]}})
    assert listed.data["invitations"]["totalCount"] == 1
    pending = await staff.execute(INVITATIONS, {"filter": {"status": ["PENDING"]}})
    assert pending.data["invitations"]["totalCount"] == 0


async def test_changing_the_email_while_invited_supersedes_the_invitation(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    client = await invited_client(staff, email="old@example.com")
    old_token = await latest_token("old@example.com")
    payload = await staff.mutate(
        "updateContact", UPDATE, {"id": client["id"], "email": "new@example.com"}
    )
    assert payload["errors"] == []
    assert (await activate(anonymous, old_token))["errors"][0]["code"] == "INVALID"
    new_token = await latest_token("new@example.com")
    assert (await activate(anonymous, new_token))["errors"] == []


async def test_invitations_list_filters_and_delivery_status(staff: GraphQLClient) -> None:
    await invited_client(staff, lastName="One", email="one@example.com")
    await invited_client(staff, lastName="Two", email="two@example.com")
    listed = await staff.execute(INVITATIONS)
    nodes = [edge["node"] for edge in listed.data["invitations"]["edges"]]
    assert [n["contact"]["lastName"] for n in nodes] == ["Two", "One"]
    assert {n["deliveryStatus"] for n in nodes} == {"QUEUED"}
    queued = await staff.execute(INVITATIONS, {"filter": {"deliveryStatus": ["QUEUED"]}})
    assert queued.data["invitations"]["totalCount"] == 2
    failed = await staff.execute(INVITATIONS, {"filter": {"deliveryStatus": ["FAILED"]}})
    assert failed.data["invitations"]["totalCount"] == 0


async def test_contact_portal_box_shows_times_and_latest_invitation(staff: GraphQLClient) -> None:
    client = await invited_client(staff)
    await invite(staff, "resendInvite", client["id"])
    portal = (await staff.execute(CONTACT_PORTAL, {"id": client["id"]})).data["contact"]["portal"]
    assert portal["status"] == "INVITED"
    assert portal["invitedAt"] <= portal["lastInvitedAt"]
    assert portal["latestInvitation"] == {"status": "PENDING", "deliveryStatus": "QUEUED"}


async def test_member_staff_can_invite_too(member: GraphQLClient) -> None:
    client = await invited_client(member, sendInvite=False)
    assert (await invite(member, "sendInvite", client["id"]))["errors"] == []


async def test_an_invitation_handled_without_a_mail_server_is_logged_not_sent(
    staff: GraphQLClient,
) -> None:
    # given an invited client, and no mail server configured
    client = await invited_client(staff, lastName="Logged", email="logged@example.com")
    # when the worker handles the invitation
    await DeliveryWorker(worker_settings(None)).run_once()
    # then the contact's portal box and the invitations list say LOGGED, never SENT
    portal = (await staff.execute(CONTACT_PORTAL, {"id": client["id"]})).data["contact"]["portal"]
    assert portal["latestInvitation"] == {"status": "PENDING", "deliveryStatus": "LOGGED"}
    logged = await staff.execute(INVITATIONS, {"filter": {"deliveryStatus": ["LOGGED"]}})
    assert logged.data["invitations"]["totalCount"] == 1
    sent = await staff.execute(INVITATIONS, {"filter": {"deliveryStatus": ["SENT"]}})
    assert sent.data["invitations"]["totalCount"] == 0
