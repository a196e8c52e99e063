"""GraphQL documents and small helpers shared by the campaign tests."""

from __future__ import annotations

from typing import Any

from crm.campaigns.sending import CampaignRunner
from crm.mail.worker import DeliveryWorker
from crm.settings import Settings
from tests.contacts.helpers import CREATE
from tests.graphql_client import GraphQLClient

CAMPAIGN_FIELDS = """
  id name subject body status scheduledAt sentAt
  stats {
    recipients queued sent logged failed skipped skippedNoConsent skippedNoEmail
    skippedArchived skippedCancelled unsubscribed
  }
"""
CREATE_CAMPAIGN = f"""
mutation ($input: CreateCampaignInput!) {{
  createCampaign(input: $input) {{
    campaign {{ {CAMPAIGN_FIELDS} }} errors {{ field message code }}
  }}
}}
"""
UPDATE_CAMPAIGN = f"""
mutation ($input: UpdateCampaignInput!) {{
  updateCampaign(input: $input) {{
    campaign {{ {CAMPAIGN_FIELDS} }} errors {{ field message code }}
  }}
}}
"""
SET_AUDIENCE = f"""
mutation ($input: SetCampaignAudienceInput!) {{
  setCampaignAudience(input: $input) {{
    campaign {{ {CAMPAIGN_FIELDS} }} errors {{ field message code }}
  }}
}}
"""
SEND = f"""
mutation ($input: SendCampaignInput!) {{
  sendCampaign(input: $input) {{
    campaign {{ {CAMPAIGN_FIELDS} }} errors {{ field message code }}
  }}
}}
"""
CANCEL = f"""
mutation ($input: CancelCampaignInput!) {{
  cancelCampaign(input: $input) {{
    campaign {{ {CAMPAIGN_FIELDS} }} errors {{ field message code }}
  }}
}}
"""
PREVIEW = """
query ($id: ID!) {
  campaignPreview(id: $id) {
    willReceive skippedNoConsent skippedNoEmail skippedArchived warnings
  }
}
"""
CAMPAIGN = f"""
query ($id: ID!) {{ campaign(id: $id) {{ {CAMPAIGN_FIELDS} }} }}
"""


async def contact(
    staff: GraphQLClient, last_name: str, email: str | None, *, consent: bool = True, **more: Any
) -> dict[str, Any]:
    fields: dict[str, Any] = {"lastName": last_name, "type": "LEAD", **more}
    if email is not None:
        fields["email"] = email
    fields["preferences"] = {"email": consent}
    payload = await staff.mutate("createContact", CREATE, fields)
    assert payload["errors"] == [], payload
    return payload["contact"]


async def draft(
    staff: GraphQLClient,
    *,
    name: str = "November news",
    subject: str = "News for {{ first_name | default('you') }}",
    body: str = "Hello **{{ full_name }}**",
) -> dict[str, Any]:
    payload = await staff.mutate(
        "createCampaign", CREATE_CAMPAIGN, {"name": name, "subject": subject, "body": body}
    )
    assert payload["errors"] == [], payload
    return payload["campaign"]


async def set_audience(staff: GraphQLClient, campaign_id: str, **parts: list[str]) -> dict:
    return await staff.mutate(
        "setCampaignAudience", SET_AUDIENCE, {"campaignId": campaign_id, **parts}
    )


async def run_campaigns_and_mail(settings: Settings) -> None:
    """Queue every due campaign, then deliver the outbox, until nothing is left to do."""
    runner, worker = CampaignRunner(), DeliveryWorker(settings)
    while await runner.run_once() or await worker.run_once():
        pass
    await runner.run_once()  # marks the campaigns whose mail was all handled as SENT


DELETE_CAMPAIGN = """
mutation ($input: CampaignIdInput!) {
  deleteCampaign(input: $input) { deletedId errors { field message code } }
}
"""
PASTE = f"""
mutation ($input: AddPastedRecipientsInput!) {{
  addPastedRecipients(input: $input) {{
    campaign {{ {CAMPAIGN_FIELDS} }} created matched errors {{ field message code }}
  }}
}}
"""
SEND_TEST = f"""
mutation ($input: SendCampaignTestInput!) {{
  sendCampaignTest(input: $input) {{
    campaign {{ {CAMPAIGN_FIELDS} }} errors {{ field message code }}
  }}
}}
"""
RECIPIENTS = """
query ($id: ID!, $status: [RecipientStatus!]) {
  campaign(id: $id) {
    recipients(status: $status, first: 100) {
      edges { node { email status reason error unsubscribedAt contact { lastName } } }
    }
  }
}
"""
AUDIENCE = """
query ($id: ID!) {
  campaign(id: $id) {
    audience { groups { name } segments { name } contacts { id lastName firstName email } missing }
  }
}
"""
CREATE_GROUP = """
mutation ($input: CreateGroupInput!) { createGroup(input: $input) { group { id } errors { code } } }
"""
ADD_TO_GROUP = """
mutation ($input: GroupMembersInput!) { addContactsToGroup(input: $input) { errors { code } } }
"""
CREATE_SEGMENT = """
mutation ($input: CreateSegmentInput!) {
  createSegment(input: $input) { segment { id } errors { field message code } }
}
"""


def problems(payload: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """A payload's errors as (field path, code) pairs."""
    return [(tuple(error["field"]), error["code"]) for error in payload["errors"]]


async def group(staff: GraphQLClient, name: str, members: list[dict[str, Any]]) -> str:
    created = await staff.mutate("createGroup", CREATE_GROUP, {"name": name})
    group_id = created["group"]["id"]
    ids = [member["id"] for member in members]
    added = await staff.mutate(
        "addContactsToGroup", ADD_TO_GROUP, {"groupId": group_id, "contactIds": ids}
    )
    assert added["errors"] == [], added
    return group_id


async def segment(staff: GraphQLClient, name: str, **fields: Any) -> str:
    created = await staff.mutate("createSegment", CREATE_SEGMENT, {"name": name, **fields})
    assert created["errors"] == [], created
    return created["segment"]["id"]


async def campaign_of(staff: GraphQLClient, campaign_id: str) -> dict[str, Any]:
    return (await staff.execute(CAMPAIGN, {"id": campaign_id})).data["campaign"]


async def recipients(
    staff: GraphQLClient, campaign_id: str, status: list[str] | None = None
) -> list[dict[str, Any]]:
    result = await staff.execute(RECIPIENTS, {"id": campaign_id, "status": status})
    return [edge["node"] for edge in result.data["campaign"]["recipients"]["edges"]]


async def send(staff: GraphQLClient, campaign_id: str, **more: Any) -> dict[str, Any]:
    payload = await staff.mutate("sendCampaign", SEND, {"campaignId": campaign_id, **more})
    assert payload["errors"] == [], payload
    return payload["campaign"]
