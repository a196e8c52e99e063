"""The merge tests' documents, and contacts with something of every kind to move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from crm.campaigns.models import Campaign, CampaignRecipient, CampaignStatus, RecipientStatus
from crm.core.ids import from_global_id
from crm.groups.models import Group
from crm.groups.services import GroupChanges, add_contacts, create_group
from crm.messages.models import SecureMessage
from crm.notes.models import NoteKind
from crm.notes.services import NoteChanges, add_note
from crm.products.models import ContactProduct, Product
from crm.products.services import ProductChanges, create_product
from crm.staff.models import StaffUser
from crm.timeline.services import SYSTEM
from tests.contacts.helpers import CREATE
from tests.graphql_client import GraphQLClient

MERGE = """
mutation ($input: MergeContactsInput!) {
  mergeContacts(input: $input) {
    contact {
      id title firstName lastName fullName email jobTitle type status archived
      isPrimaryContact lastContactedAt avatarUrl
      phones { number isPrimary }
      address { line1 city postalCode }
      company { id name }
      groups { name }
      products { name }
      preferences { email sms consents { channel granted changedAt source } }
      portal { status lastLoginAt }
      messages(first: 50) { totalCount }
    }
    errors { field message code }
  }
}
"""

CONTACT = """
query ($id: ID!) {
  contact(id: $id) {
    id fullName email jobTitle
    phones { number }
    groups { name }
    products { name }
    messages(first: 50) { totalCount }
    timeline(first: 100) { edges { node { kind summary changes { field before after } } } }
  }
}
"""


def pk(global_id: str) -> int:
    parsed = from_global_id(global_id)
    assert parsed is not None
    return parsed[1]


async def create(staff: GraphQLClient, last_name: str, **fields: Any) -> dict[str, Any]:
    payload = await staff.mutate(
        "createContact", CREATE, {"lastName": last_name, "sendInvite": False, **fields}
    )
    assert payload["errors"] == [], payload["errors"]
    return payload["contact"]


async def merge(
    client: GraphQLClient,
    keep: str,
    others: list[str],
    fields: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    return await client.mutate(
        "mergeContacts",
        MERGE,
        {"keepId": keep, "mergeIds": others, "fields": fields or []},
    )


async def contact(staff: GraphQLClient, contact_id: str) -> dict[str, Any] | None:
    return (await staff.execute(CONTACT, {"id": contact_id})).data["contact"]


def problems(payload: dict[str, Any]) -> list[tuple[list[str] | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def group(name: str, *contact_ids: str) -> Group:
    made = await Group.get_or_none(name=name) or await create_group(GroupChanges(name=name))
    await add_contacts(made.id, [pk(i) for i in contact_ids], SYSTEM)
    return made


async def product(name: str, *contact_ids: str) -> Product:
    made = await Product.get_or_none(name=name) or await create_product(ProductChanges(name=name))
    for contact_id in contact_ids:
        await ContactProduct.create(contact_id=pk(contact_id), product_id=made.id)
    return made


async def note(contact_id: str, body: str, days_ago: int = 1) -> None:
    author = await StaffUser.first()
    assert author is not None
    moment = datetime.now(UTC) - timedelta(days=days_ago)
    changes = NoteChanges(kind=NoteKind.CALL, body=body, occurred_at=moment)
    await add_note(changes, author, contact_id=pk(contact_id))


async def campaign_row(
    name: str, contact_id: str, email: str, status: RecipientStatus, **fields: Any
) -> CampaignRecipient:
    made = await Campaign.get_or_none(name=name) or await Campaign.create(
        name=name, status=CampaignStatus.SENT
    )
    return await CampaignRecipient.create(
        campaign_id=made.id,
        contact_id=pk(contact_id),
        email=email,
        email_key=email.lower(),
        status=status,
        **fields,
    )


async def message(contact_id: str, body: str) -> None:
    await SecureMessage.create(
        contact_id=pk(contact_id),
        body=body,
        from_staff=True,
        author_name="Sam Staff",
        sent_at=datetime.now(UTC),
    )


def kinds(found: dict[str, Any]) -> list[str]:
    return [edge["node"]["kind"] for edge in found["timeline"]["edges"]]


def merged_event(found: dict[str, Any]) -> dict[str, Any]:
    events = [e["node"] for e in found["timeline"]["edges"] if e["node"]["kind"] == "MERGED"]
    assert len(events) == 1, events
    return events[0]
