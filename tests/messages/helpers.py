"""Secure message documents, and a contact signed in to the portal to talk to."""

from __future__ import annotations

from typing import Any

import httpx

from crm.mail.models import OutboxMessage
from tests.graphql_client import GraphQLClient
from tests.portal.helpers import activate, invited_client, latest_token

MESSAGE_FIELDS = "id body sentAt fromStaff author readAt"
SEND = f"""
mutation ($input: SendMessageInput!) {{
  sendMessage(input: $input) {{
    message {{ {MESSAGE_FIELDS} }}
    contact {{ id lastContactedAt unreadMessageCount }}
    notified
    errors {{ field message code }}
  }}
}}
"""
SEND_MINE = f"""
mutation ($input: SendMyMessageInput!) {{
  sendMyMessage(input: $input) {{ message {{ {MESSAGE_FIELDS} }} errors {{ field message code }} }}
}}
"""
MARK_READ = """
mutation ($input: MarkMessagesReadInput!) {
  markMessagesRead(input: $input) { unreadMessageCount errors { field message code } }
}
"""
MARK_CONTACT_READ = """
mutation ($input: MarkContactMessagesReadInput!) {
  markContactMessagesRead(input: $input) {
    contact { id unreadMessageCount } errors { field message code }
  }
}
"""
CONVERSATION = f"""
query ($id: ID!, $first: Int, $after: String) {{
  contact(id: $id) {{
    unreadMessageCount
    messages(first: $first, after: $after) {{
      edges {{ cursor node {{ {MESSAGE_FIELDS} }} }}
      pageInfo {{ hasNextPage endCursor }}
      totalCount
    }}
  }}
}}
"""
MY_MESSAGES = f"""
query ($first: Int, $after: String) {{
  myUnreadMessageCount
  myMessages(first: $first, after: $after) {{
    edges {{ node {{ {MESSAGE_FIELDS} }} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}
"""


async def portal_contact(
    app: Any, staff: GraphQLClient, email: str, **fields: Any
) -> tuple[dict[str, Any], GraphQLClient]:
    """An invited CLIENT who accepted the invitation, and a client signed in as them (close
    its `http` when done)."""
    contact = await invited_client(staff, email=email, **fields)
    client = GraphQLClient(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    )
    payload = await activate(client, await latest_token(email))
    assert payload["errors"] == [], payload
    return contact, client


async def send(staff: GraphQLClient, contact_id: str, body: str) -> dict[str, Any]:
    return await staff.mutate("sendMessage", SEND, {"contactId": contact_id, "body": body})


async def notices_to(address: str) -> list[OutboxMessage]:
    return await OutboxMessage.filter(to_address=address, kind="SECURE_MESSAGE").order_by("id")


def problems(payload: dict[str, Any]) -> list[tuple[list[str] | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]
