"""Bulk operation documents, and contacts to act on."""

from __future__ import annotations

from typing import Any

from crm.contacts.models import Contact, ContactStatus, ContactType
from crm.contacts.services import ContactChanges, create_contact
from crm.graphql.relay import to_global_id
from crm.timeline.models import TimelineEvent, TimelineKind
from tests.graphql_client import GraphQLClient

OPERATION_FIELDS = """
id action state description total processed changed failed errorMessage
skipped { reason count } createdBy { id email } startedAt finishedAt
"""
START = f"""
mutation ($input: BulkOperationInput!) {{
  startBulkOperation(input: $input) {{
    operation {{ {OPERATION_FIELDS} }} errors {{ field message code }}
  }}
}}
"""
CANCEL = f"""
mutation ($input: CancelBulkOperationInput!) {{
  cancelBulkOperation(input: $input) {{
    operation {{ {OPERATION_FIELDS} }} errors {{ field message code }}
  }}
}}
"""
OPERATION = f"query ($id: ID!) {{ bulkOperation(id: $id) {{ {OPERATION_FIELDS} }} }}"
PREVIEW = """
query ($input: BulkOperationInput!) {
  bulkPreview(input: $input) { matching willChange skipped { reason count } }
}
"""


async def new_contact(
    last_name: str,
    email: str | None = None,
    *,
    type: ContactType = ContactType.LEAD,
    status: ContactStatus = ContactStatus.NEW,
    **changes: Any,
) -> Contact:
    return await create_contact(
        ContactChanges(last_name=last_name, email=email, type=type, status=status, **changes)
    )


def ids_of(*contacts: Contact) -> list[str]:
    return [to_global_id("Contact", contact.id) for contact in contacts]


def by_ids(*contacts: Contact) -> dict[str, Any]:
    return {"contactIds": ids_of(*contacts)}


async def start(client: GraphQLClient, action: str, selection: dict[str, Any], **params: Any):
    payload = await client.mutate(
        "startBulkOperation", START, {"action": action, "selection": selection, **params}
    )
    return payload


async def started(client: GraphQLClient, action: str, selection: dict[str, Any], **params: Any):
    payload = await start(client, action, selection, **params)
    assert payload["errors"] == [], payload
    return payload["operation"]


async def operation(client: GraphQLClient, operation_id: str) -> dict[str, Any]:
    result = await client.execute(OPERATION, {"id": operation_id})
    return result.data["bulkOperation"]


async def preview(
    client: GraphQLClient, action: str, selection: dict[str, Any], **params: Any
) -> dict[str, Any]:
    input = {"action": action, "selection": selection, **params}
    result = await client.execute(PREVIEW, {"input": input})
    return result.data["bulkPreview"]


async def events(kind: TimelineKind, contact: Contact | None = None) -> list[TimelineEvent]:
    query = TimelineEvent.filter(kind=kind)
    if contact is not None:
        query = query.filter(contact_id=contact.id)
    return await query.order_by("id")


def skipped(operation: dict[str, Any]) -> dict[str, int]:
    return {item["reason"]: item["count"] for item in operation["skipped"]}
