"""Sending a campaign for real: the runner queues it, the mail worker delivers it to aiosmtpd."""

from __future__ import annotations

from crm.campaigns.models import CampaignRecipient
from tests.campaigns.helpers import (
    CAMPAIGN,
    PREVIEW,
    SEND,
    contact,
    draft,
    run_campaigns_and_mail,
    set_audience,
)
from tests.graphql_client import GraphQLClient
from tests.mail.conftest import SmtpServer, worker_settings


async def test_a_campaign_reaches_each_consenting_address_once_with_its_merge_fields(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given three contacts with consent (one named twice), one without, one without an email
    ann = await contact(staff, "Ash", "ann@example.com", firstName="Ann")
    bob = await contact(staff, "Birch", "bob@example.com", firstName="Bob")
    cy = await contact(staff, "Cole", "cy@example.com")
    no_consent = await contact(staff, "Dunn", "dee@example.com", consent=False)
    no_email = await contact(staff, "Eve", None)
    campaign = await draft(staff)
    ids = [ann["id"], bob["id"], cy["id"], no_consent["id"], no_email["id"], ann["id"]]
    assert (await set_audience(staff, campaign["id"], contactIds=ids))["errors"] == []

    # when the confirmation step counts the audience
    counts = (await staff.execute(PREVIEW, {"id": campaign["id"]})).data["campaignPreview"]
    # then it says who will receive it and who is skipped, and why
    assert counts == {
        "willReceive": 3,
        "skippedNoConsent": 1,
        "skippedNoEmail": 1,
        "skippedArchived": 0,
        "warnings": [],
    }

    # when it is sent and the workers run
    sent = await staff.mutate("sendCampaign", SEND, {"campaignId": campaign["id"]})
    assert sent["errors"] == [] and sent["campaign"]["status"] == "SCHEDULED"
    await run_campaigns_and_mail(worker_settings(smtp_server.port))

    # then each consenting address got one email, with its own merge fields and unsubscribe link
    by_address = {
        message["To"].addresses[0].addr_spec: message for message in smtp_server.handler.messages
    }
    assert sorted(by_address) == ["ann@example.com", "bob@example.com", "cy@example.com"]
    assert len(smtp_server.handler.messages) == 3
    ann_mail = by_address["ann@example.com"]
    assert ann_mail["Subject"] == "News for Ann"
    assert by_address["cy@example.com"]["Subject"] == "News for you"
    text = ann_mail.get_body(("plain",)).get_content()
    assert "Hello **Ann Ash**" in text  # Markdown reads well as plain text
    assert "/unsubscribe?token=" in text
    assert ann_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ann_mail["List-Unsubscribe"].startswith("<http")
    html = ann_mail.get_body(("html",)).get_content()
    assert "<strong>Ann Ash</strong>" in html

    # and the campaign is SENT with stats that add up
    final = (await staff.execute(CAMPAIGN, {"id": campaign["id"]})).data["campaign"]
    assert final["status"] == "SENT" and final["sentAt"] is not None
    stats = final["stats"]
    assert (stats["recipients"], stats["sent"], stats["skipped"]) == (5, 3, 2)
    assert (stats["skippedNoConsent"], stats["skippedNoEmail"], stats["queued"]) == (1, 1, 0)
    assert await CampaignRecipient.filter(status="SENT").count() == 3
