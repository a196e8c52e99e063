"""Invitations, resends, revocations and activations on the contact's timeline."""

from __future__ import annotations

import asyncio

from tests.contacts.helpers import UPDATE
from tests.events import summaries_of
from tests.graphql_client import GraphQLClient
from tests.portal.helpers import activate, invite, invited_client, latest_token

PORTAL_KINDS = ["INVITED", "INVITE_RESENT", "INVITE_REVOKED", "ACTIVATED"]


async def test_an_invitation_from_sending_to_revoking_access(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # given a client created without an invitation
    contact = await invited_client(staff, email="ada@example.com", sendInvite=False)

    # when staff invite them, send it again, revoke it, invite again; and the client activates,
    # then staff remove their access
    for action in ("sendInvite", "resendInvite", "revokeInvite", "sendInvite"):
        assert (await invite(staff, action, contact["id"]))["errors"] == []
    assert (await activate(anonymous, await latest_token("ada@example.com")))["errors"] == []
    assert (await invite(staff, "revokeInvite", contact["id"]))["errors"] == []

    # then each step is on the timeline, by whom it was done
    assert await summaries_of(staff, contact["id"], PORTAL_KINDS) == [
        ("Sam Staff", "Portal access removed"),
        ("Portal", "Activated their portal account"),
        ("Sam Staff", "Invited to the portal at ada@example.com"),
        ("Sam Staff", "Invitation revoked"),
        ("Sam Staff", "Invitation sent again to ada@example.com"),
        ("Sam Staff", "Invited to the portal at ada@example.com"),
    ]


async def test_a_client_invited_when_created_has_it_recorded(staff: GraphQLClient) -> None:
    # when a client is created with an invitation
    contact = await invited_client(staff, email="bo@example.com")

    # then the invitation follows the creation on the timeline
    assert await summaries_of(staff, contact["id"], ["CREATED", *PORTAL_KINDS]) == [
        ("Sam Staff", "Invited to the portal at bo@example.com"),
        ("Sam Staff", "Added to the CRM"),
    ]


async def test_an_email_change_sends_the_invitation_again_to_the_new_address(
    staff: GraphQLClient,
) -> None:
    # given an invited client
    contact = await invited_client(staff, email="old@example.com")

    # when their email changes, then changes again as they become a lead (not invitable)
    changes = [{"email": "new@example.com"}, {"email": "lead@example.com", "type": "LEAD"}]
    for change in changes:
        payload = await staff.mutate("updateContact", UPDATE, {"id": contact["id"], **change})
        assert payload["errors"] == []

    # then the invitation went again to the new address, then was withdrawn
    summaries = [summary for _, summary in await summaries_of(staff, contact["id"], PORTAL_KINDS)]
    assert summaries == [
        "Invitation revoked",
        "Invitation sent again to new@example.com",
        "Invited to the portal at old@example.com",
    ]


async def test_refused_or_failed_steps_record_nothing(
    staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # given an invited client, and a lead
    contact = await invited_client(staff, email="cy@example.com")
    lead = await invited_client(staff, email="lead@example.com", type="LEAD")
    token = await latest_token("cy@example.com")

    # when staff send a second invitation and invite the lead; the client activates with too
    # short a password, then twice at once with a good one
    refused = [
        await invite(staff, "sendInvite", contact["id"]),
        await invite(staff, "sendInvite", lead["id"]),
        await invite(staff, "revokeInvite", lead["id"]),
        await activate(anonymous, token, "short"),
    ]
    both = await asyncio.gather(activate(anonymous, token), activate(anonymous, token))

    # then only the first invitation and one activation are recorded
    assert all(payload["errors"] for payload in refused)
    assert sorted(bool(payload["errors"]) for payload in both) == [False, True]
    assert await summaries_of(staff, contact["id"], PORTAL_KINDS) == [
        ("Portal", "Activated their portal account"),
        ("Sam Staff", "Invited to the portal at cy@example.com"),
    ]
    assert await summaries_of(staff, lead["id"], PORTAL_KINDS) == []
