"""The contact is emailed that a message waits: through a real SMTP server, without the
message, once per burst, and the message is never logged."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import pytest

from crm.mail.templates import render_secure_message_notice
from crm.mail.worker import DeliveryWorker
from crm.messages.models import SecureMessage
from crm.settings import get_settings
from tests.conftest import make_staff, signed_in
from tests.events import summaries_of
from tests.graphql_client import GraphQLClient
from tests.logs import records_of
from tests.mail.conftest import SmtpServer, worker_settings
from tests.messages.helpers import SEND_MINE, notices_to, portal_contact, send
from tests.portal.helpers import invited_client

SECRET = "The account number is 12345678 and the code is PLUM-42."
SUBJECT = "You have a new secure message from Our CRM"


@pytest.fixture
async def invited(staff: GraphQLClient) -> dict[str, Any]:
    return await invited_client(staff, firstName="Mia", lastName="Sage", email="mia@example.com")


async def test_the_notice_reaches_the_contact_without_the_message_and_links_to_the_portal(
    staff: GraphQLClient, invited: dict[str, Any], smtp_server: SmtpServer
) -> None:
    # given a message to an invited contact
    assert (await send(staff, invited["id"], SECRET))["errors"] == []

    # when the mail worker delivers what is queued (the invitation and the notice)
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()

    # then the contact receives the notice, with the portal's inbox link and not the message
    (notice,) = [m for m in smtp_server.handler.messages if m["Subject"] == SUBJECT]
    assert notice["To"].addresses[0].addr_spec == "mia@example.com"
    text = notice.get_body(("plain",)).get_content()
    html = notice.get_body(("html",)).get_content()
    assert f"{get_settings().public_url}/portal/messages" in text
    assert f'href="{get_settings().public_url}/portal/messages"' in html
    assert "Hello Mia Sage" in text
    for secret_part in ("12345678", "PLUM-42"):
        assert secret_part not in notice.as_string()
    # and the timeline says a notice was sent
    mail_events = await summaries_of(staff, invited["id"], ["EMAIL_SENT"])
    assert ("System", f"Sent the secure message notice “{SUBJECT}”") in mail_events


async def test_three_messages_in_a_minute_send_one_email(
    staff: GraphQLClient, invited: dict[str, Any], smtp_server: SmtpServer
) -> None:
    # given three messages sent one after the other
    sent = [await send(staff, invited["id"], f"Part {number}") for number in range(3)]
    # (the staff are told which of them emailed the contact)
    assert [(payload["errors"], payload["notified"]) for payload in sent] == [
        ([], True),
        ([], False),
        ([], False),
    ]

    # when the worker delivers
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()

    # then one notice arrived
    subjects = [message["Subject"] for message in smtp_server.handler.messages]
    assert subjects.count(SUBJECT) == 1
    assert len(await notices_to("mia@example.com")) == 1


async def test_a_message_after_a_quiet_minute_sends_a_new_notice(
    staff: GraphQLClient, invited: dict[str, Any]
) -> None:
    # given a message sent, then a minute and a second without any
    await send(staff, invited["id"], "First")
    first = await SecureMessage.get(body="First")
    await SecureMessage.filter(id=first.id).update(sent_at=first.sent_at - timedelta(seconds=61))

    # when another message is sent
    second = await send(staff, invited["id"], "Second")

    # then the contact is told again, and the staff that they were
    assert second["notified"] is True
    assert len(await notices_to("mia@example.com")) == 2


async def test_messages_sent_at_the_same_moment_send_one_notice(
    app: Any, staff: GraphQLClient, invited: dict[str, Any]
) -> None:
    # given four staff members in their own browsers
    writers = [staff] + [
        await signed_in(app, await make_staff(f"writer{n}@example.com")) for n in range(3)
    ]

    # when they all write to the same contact at once
    sent = await asyncio.gather(
        *(send(writer, invited["id"], f"From writer {n}") for n, writer in enumerate(writers))
    )
    for writer in writers[1:]:
        await writer.http.aclose()

    # then all four messages are kept, and one notice is queued
    assert [payload["errors"] for payload in sent] == [[]] * 4
    assert await SecureMessage.filter(contact__email="mia@example.com").count() == 4
    assert len(await notices_to("mia@example.com")) == 1


async def test_a_reply_from_the_contact_emails_no_one(app: Any, staff: GraphQLClient) -> None:
    # given a contact signed in to the portal
    _contact, portal = await portal_contact(app, staff, "pia@example.com")

    # when they write to the staff
    reply = await portal.mutate("sendMyMessage", SEND_MINE, {"body": "A question"})
    await portal.http.aclose()

    # then nothing is queued but their invitation
    assert reply["errors"] == []
    assert await notices_to("pia@example.com") == []
    assert await SecureMessage.filter(from_staff=False).count() == 1


async def test_message_bodies_are_never_logged(app: Any, staff: GraphQLClient) -> None:
    # given everything the server logs, at every level, and a contact in the portal
    contact, portal = await portal_contact(app, staff, "pia@example.com")
    with records_of("crm") as records:
        # when a message goes each way and the notice is delivered with no mail server
        # configured (the console mode that logs every email it would send)
        await send(staff, contact["id"], SECRET)
        await portal.mutate("sendMyMessage", SEND_MINE, {"body": f"Re: {SECRET}"})
        await DeliveryWorker(worker_settings(None)).run_once()
    await portal.http.aclose()

    # then the notice was logged, but no record holds the message
    logged = [_text_of(record) for record in records]
    assert any(SUBJECT in text for text in logged), logged
    assert not [text for text in logged if "PLUM-42" in text]


def _text_of(record: logging.LogRecord) -> str:
    return f"{record.getMessage()} {record.__dict__}"


def test_the_notice_escapes_names_in_its_html_and_keeps_its_subject_one_line() -> None:
    # given a contact and an organisation whose names look like markup and headers
    subject, text, html = render_secure_message_notice(
        organisation="Smith & <Sons>\r\nBcc: victim@example.com",
        contact_name='Jane "<b>Bold</b>" Doe',
        link="https://crm.example.com/portal/messages",
    )

    # then the subject is one line, the text keeps them, the HTML shows them as text
    assert subject == "You have a new secure message from Smith & <Sons> Bcc: victim@example.com"
    assert 'Hello Jane "<b>Bold</b>" Doe' in text
    assert "<b>Bold</b>" not in html
    assert "Jane &quot;&lt;b&gt;Bold&lt;/b&gt;&quot; Doe" in html
    assert 'href="https://crm.example.com/portal/messages"' in html
