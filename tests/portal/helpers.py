"""Portal test helpers: invite through the API, read the link from the outbox."""

from __future__ import annotations

import re
from typing import Any

from crm.mail.models import OutboxMessage
from tests.contacts.helpers import CREATE
from tests.graphql_client import GraphQLClient

TOKEN = re.compile(r"/portal/(?:activate|reset)\?token=([A-Za-z0-9_\-]+)")
PASSWORD = "a sturdy portal passphrase"

ACTIVATE = """
mutation ($input: ActivatePortalAccountInput!) {
  activatePortalAccount(input: $input) {
    contact { id fullName email }
    errors { field message code }
  }
}
"""
INVITE = """
mutation ($input: InviteInput!) {
  %s(input: $input) {
    invitation { id status email deliveryStatus expiresAt }
    contact { id portal { status invitedAt lastInvitedAt canSendInvite canResendInvite } }
    errors { field message code }
  }
}
"""
PORTAL_LOGIN = """
mutation ($input: PortalLoginInput!) {
  portalLogin(input: $input) { user { email contact { fullName } } errors { field message code } }
}
"""
ME = "{ me { __typename ... on PortalUser { email contact { fullName } } } }"


async def invited_client(staff: GraphQLClient, **fields: Any) -> dict[str, Any]:
    """Create a CLIENT contact (invited by default) and return it."""
    fields.setdefault("lastName", "Client")
    fields.setdefault("type", "CLIENT")
    fields.setdefault("email", "client@example.com")
    payload = await staff.mutate("createContact", CREATE, fields)
    assert payload["errors"] == [], payload["errors"]
    return payload["contact"]


async def messages_to(address: str) -> list[OutboxMessage]:
    return await OutboxMessage.filter(to_address=address).order_by("id")


async def latest_token(address: str) -> str:
    """The token in the newest email to `address`, as the recipient would click it."""
    message = (await messages_to(address))[-1]
    found = TOKEN.search(message.text_body)
    assert found, message.text_body
    return found.group(1)


async def activate(client: GraphQLClient, token: str, password: str = PASSWORD) -> dict[str, Any]:
    return await client.mutate(
        "activatePortalAccount", ACTIVATE, {"token": token, "password": password}
    )


async def invite(staff: GraphQLClient, action: str, contact_id: str) -> dict[str, Any]:
    return await staff.mutate(action, INVITE % action, {"contactId": contact_id})
