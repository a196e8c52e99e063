"""Writing a campaign: drafts, what is checked when saved, what cannot change once sent, and
who may use campaigns at all."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from crm.campaigns import services
from crm.campaigns.models import Campaign
from crm.core.errors import ErrorCode, InputError
from tests.campaigns.helpers import (
    CAMPAIGN,
    CREATE_CAMPAIGN,
    DELETE_CAMPAIGN,
    PASTE,
    PREVIEW,
    SEND,
    UPDATE_CAMPAIGN,
    campaign_of,
    contact,
    draft,
    problems,
    send,
    set_audience,
)
from tests.graphql_client import GraphQLClient
from tests.portal.helpers import activate, invited_client, latest_token

CAMPAIGNS = "{ campaigns(first: 10) { totalCount edges { node { name status } } } }"


async def test_a_draft_is_created_changed_and_deleted(staff: GraphQLClient) -> None:
    # given a new draft
    created = await draft(staff, name="Spring sale", subject="Hi", body="Hello")
    assert (created["status"], created["name"], created["body"]) == (
        "DRAFT",
        "Spring sale",
        "Hello",
    )

    # when its subject and body change (its name is not given, so it stays)
    updated = await staff.mutate(
        "updateCampaign",
        UPDATE_CAMPAIGN,
        {"id": created["id"], "subject": "Spring is here", "body": "Hello {{ first_name }}"},
    )

    # then the draft reads back changed
    assert updated["errors"] == []
    again = await campaign_of(staff, created["id"])
    assert (again["name"], again["subject"], again["body"]) == (
        "Spring sale",
        "Spring is here",
        "Hello {{ first_name }}",
    )

    # when it is deleted, then it is gone
    deleted = await staff.mutate("deleteCampaign", DELETE_CAMPAIGN, {"id": created["id"]})
    assert (deleted["deletedId"], deleted["errors"]) == (created["id"], [])
    assert (await staff.execute(CAMPAIGN, {"id": created["id"]})).data["campaign"] is None
    assert (await staff.execute(CAMPAIGNS)).data["campaigns"]["totalCount"] == 0


async def test_a_campaign_needs_a_name(staff: GraphQLClient) -> None:
    payload = await staff.mutate("createCampaign", CREATE_CAMPAIGN, {"name": "   "})
    assert problems(payload) == [(("input", "name"), "REQUIRED")]
    existing = await draft(staff)
    cleared = await staff.mutate(
        "updateCampaign", UPDATE_CAMPAIGN, {"id": existing["id"], "name": ""}
    )
    assert problems(cleared) == [(("input", "name"), "REQUIRED")]
    assert (await campaign_of(staff, existing["id"]))["name"] == "November news"
    assert await Campaign.all().count() == 1


async def test_an_empty_subject_is_saved_but_refused_when_sending(staff: GraphQLClient) -> None:
    # given a draft with no subject yet, and someone to send it to
    campaign = await draft(staff, subject="  ")
    ann = await contact(staff, "Ash", "ann@example.com")
    await set_audience(staff, campaign["id"], contactIds=[ann["id"]])

    # when it is sent
    payload = await staff.mutate("sendCampaign", SEND, {"campaignId": campaign["id"]})

    # then the subject is asked for, and the campaign is still a draft
    assert problems(payload) == [(("input", "subject"), "REQUIRED")]
    assert "subject" in payload["errors"][0]["message"]
    assert (await campaign_of(staff, campaign["id"]))["status"] == "DRAFT"


async def test_a_body_too_long_is_refused_on_its_field(staff: GraphQLClient) -> None:
    # given a draft
    campaign = await draft(staff, body="Short")

    # when 200,000 characters are saved as its body
    payload = await staff.mutate(
        "updateCampaign", UPDATE_CAMPAIGN, {"id": campaign["id"], "body": "word " * 40_000}
    )

    # then the body is INVALID and the draft keeps its text
    assert problems(payload) == [(("input", "body"), "INVALID")]
    assert (await campaign_of(staff, campaign["id"]))["body"] == "Short"


async def test_a_one_megabyte_body_is_refused_before_it_is_read(staff: GraphQLClient) -> None:
    # given a draft
    campaign = await draft(staff, body="Short")

    # when a 1 MB body is sent
    result = await staff.execute(
        UPDATE_CAMPAIGN, {"input": {"id": campaign["id"], "body": "x" * 1_000_000}}
    )

    # then the request is refused as too large and nothing changes
    assert (result.status, result.error_codes) == (413, ["TOO_LARGE"])
    assert (await campaign_of(staff, campaign["id"]))["body"] == "Short"


async def test_a_one_megabyte_body_is_invalid_on_its_field_however_it_arrives(
    staff: GraphQLClient,
) -> None:
    # given a draft
    campaign = await draft(staff, body="Short")
    (pk,) = await Campaign.all().values_list("id", flat=True)

    # when a 1 MB body reaches the rules (a larger request limit, a script)
    with pytest.raises(InputError) as refused:
        await services.update_campaign(pk, services.CampaignChanges(body="x" * 1_000_000))

    # then it is INVALID on the body, and the draft keeps its text
    assert [(e.field, e.code) for e in refused.value.errors] == [(("body",), ErrorCode.INVALID)]
    assert (await campaign_of(staff, campaign["id"]))["body"] == "Short"


@pytest.mark.parametrize(
    "template",
    [
        "Hello {{ nickname }}",
        "{{ 7*7 }}",
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{% for x in range(3) %}spam{% endfor %}",
        "{{ first_name ",
    ],
)
@pytest.mark.parametrize("field", ["subject", "body"])
async def test_anything_but_a_merge_field_is_invalid_when_saved(
    staff: GraphQLClient, field: str, template: str
) -> None:
    # given a draft
    campaign = await draft(staff, subject="Hi", body="Hello")

    # when a broken or hostile template is saved in the subject or the body
    created = await staff.mutate("createCampaign", CREATE_CAMPAIGN, {"name": "x", field: template})
    updated = await staff.mutate(
        "updateCampaign", UPDATE_CAMPAIGN, {"id": campaign["id"], field: template}
    )

    # then it is INVALID on that field, and nothing is saved
    assert problems(created) == problems(updated) == [(("input", field), "INVALID")]
    assert created["errors"][0]["message"]
    saved = await campaign_of(staff, campaign["id"])
    assert (saved["subject"], saved["body"]) == ("Hi", "Hello")
    assert await Campaign.all().count() == 1


async def test_an_unknown_merge_field_is_named_in_the_error(staff: GraphQLClient) -> None:
    payload = await staff.mutate(
        "createCampaign", CREATE_CAMPAIGN, {"name": "x", "body": "Hi {{ nickname }}"}
    )
    assert "nickname" in payload["errors"][0]["message"]
    assert "first_name" in payload["errors"][0]["message"]  # and the fields that exist


@pytest.mark.parametrize("when", ["now", "later"])
async def test_a_sent_or_scheduled_campaign_cannot_be_changed(
    staff: GraphQLClient, when: str
) -> None:
    # given a campaign sent now, or scheduled for tomorrow
    ann = await contact(staff, "Ash", "ann@example.com")
    campaign = await draft(staff, body="Hello")
    await set_audience(staff, campaign["id"], contactIds=[ann["id"]])
    await send(
        staff,
        campaign["id"],
        **({"scheduledAt": "2099-01-01T09:00:00Z"} if when == "later" else {}),
    )

    # when its text, its audience or its pasted list are changed, or it is deleted
    edit = await staff.mutate(
        "updateCampaign", UPDATE_CAMPAIGN, {"id": campaign["id"], "body": "Changed"}
    )
    audience = await set_audience(staff, campaign["id"], contactIds=[])
    pasted = await staff.mutate(
        "addPastedRecipients", PASTE, {"campaignId": campaign["id"], "text": "bo@example.com"}
    )
    deleted = await staff.mutate("deleteCampaign", DELETE_CAMPAIGN, {"id": campaign["id"]})
    again = await staff.mutate("sendCampaign", SEND, {"campaignId": campaign["id"]})

    # then each is NOT_ALLOWED and nothing changed
    assert problems(edit) == [(("input", "id"), "NOT_ALLOWED")]
    assert problems(audience) == problems(pasted) == [(("input", "campaignId"), "NOT_ALLOWED")]
    assert problems(deleted) == [(("input", "id"), "NOT_ALLOWED")]
    assert problems(again) == [(("input", "campaignId"), "NOT_ALLOWED")]
    saved = await campaign_of(staff, campaign["id"])
    assert (saved["body"], saved["status"]) == ("Hello", "SCHEDULED")
    preview = (await staff.execute(PREVIEW, {"id": campaign["id"]})).data["campaignPreview"]
    assert preview["willReceive"] == 1


async def test_a_member_uses_campaigns_like_an_admin(member: GraphQLClient) -> None:
    # given a MEMBER staff user
    ann = await contact(member, "Ash", "ann@example.com")

    # when they write, address and send a campaign
    campaign = await draft(member)
    assert (await set_audience(member, campaign["id"], contactIds=[ann["id"]]))["errors"] == []
    sent = await send(member, campaign["id"])

    # then it is scheduled, and in their list
    assert sent["status"] == "SCHEDULED"
    listed = (await member.execute(CAMPAIGNS)).data["campaigns"]
    assert listed["edges"][0]["node"] == {"name": "November news", "status": "SCHEDULED"}


async def test_campaigns_are_nothing_to_anonymous_callers_or_portal_contacts(
    app: Starlette, staff: GraphQLClient, anonymous: GraphQLClient
) -> None:
    # given a campaign, a caller signed in to the portal and one not signed in at all
    campaign = await draft(staff)
    await invited_client(staff, lastName="Portal", email="pat@example.com")
    portal = anonymous
    assert (await activate(portal, await latest_token("pat@example.com")))["errors"] == []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        for caller in (portal, GraphQLClient(http)):
            # when they list, read, preview, create or send campaigns
            results = [
                await caller.execute(CAMPAIGNS),
                await caller.execute(CAMPAIGN, {"id": campaign["id"]}),
                await caller.execute(PREVIEW, {"id": campaign["id"]}),
                await caller.execute(CREATE_CAMPAIGN, {"input": {"name": "Mine"}}),
                await caller.execute(SEND, {"input": {"campaignId": campaign["id"]}}),
            ]

            # then each is refused, with no data
            for result in results:
                assert result.errors, result.body
                assert not any((result.body.get("data") or {}).values()), result.body
    assert await Campaign.all().count() == 1
    assert (await campaign_of(staff, campaign["id"]))["status"] == "DRAFT"


async def test_an_edit_that_crosses_a_send_does_not_turn_the_campaign_back_into_a_draft(
    staff: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a draft, sent by someone else just after an edit of it has read it
    ann = await contact(staff, "Ash", "ann@example.com")
    campaign = await draft(staff, body="Hello")
    await set_audience(staff, campaign["id"], contactIds=[ann["id"]])
    editable, crossed = services._editable, []

    async def sent_meanwhile(campaign_id: int, field: str = "id") -> Campaign:
        found = await editable(campaign_id, field)
        if field == "id" and not crossed:
            crossed.append(await send(staff, campaign["id"]))
        return found

    monkeypatch.setattr(services, "_editable", sent_meanwhile)

    # when the edit is saved
    edited = await staff.mutate(
        "updateCampaign", UPDATE_CAMPAIGN, {"id": campaign["id"], "body": "Changed"}
    )

    # then the edit is refused, and the campaign stays scheduled with what was sent
    assert crossed[0]["status"] == "SCHEDULED"
    assert problems(edited) == [(("input", "id"), "NOT_ALLOWED")]
    saved = await campaign_of(staff, campaign["id"])
    assert (saved["status"], saved["body"]) == ("SCHEDULED", "Hello")


async def test_a_send_time_needs_its_offset(staff: GraphQLClient) -> None:
    ann = await contact(staff, "Ash", "ann@example.com")
    campaign = await draft(staff)
    await set_audience(staff, campaign["id"], contactIds=[ann["id"]])
    payload = await staff.mutate(
        "sendCampaign", SEND, {"campaignId": campaign["id"], "scheduledAt": "2099-01-01T09:00:00"}
    )
    assert problems(payload) == [(("input", "scheduledAt"), "INVALID")]
    assert (await campaign_of(staff, campaign["id"]))["status"] == "DRAFT"
