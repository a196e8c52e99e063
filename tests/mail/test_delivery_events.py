"""Delivery outcomes on the contact's timeline: sent, or failed with the server's answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crm.mail.models import OutboxMessage
from crm.mail.worker import DeliveryWorker
from crm.timeline.models import TimelineEvent
from tests.events import summaries_of
from tests.graphql_client import GraphQLClient
from tests.mail.conftest import SmtpServer, make_due, queue, worker_settings
from tests.portal.helpers import invited_client

MAIL_KINDS = ["EMAIL_SENT", "EMAIL_FAILED"]
INVITATION = "Your invitation to the Our CRM client portal"
LAST_CONTACTED = "query ($id: ID!) { contact(id: $id) { lastContactedAt } }"
ADD_NOTE = """
mutation ($input: AddNoteInput!) { addNote(input: $input) { note { id } errors { code } } }
"""
DELETE_NOTE = """
mutation ($input: DeleteNoteInput!) { deleteNote(input: $input) { deletedId errors { code } } }
"""


async def last_contacted(staff: GraphQLClient, contact_id: str) -> str | None:
    return (await staff.execute(LAST_CONTACTED, {"id": contact_id})).data["contact"][
        "lastContactedAt"
    ]


async def test_a_delivered_invitation_is_recorded_but_is_no_contact(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given an invited client
    contact = await invited_client(staff, email="ada@example.com")

    # when the worker delivers the invitation; then staff log a call and delete it
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()
    note = await staff.mutate(
        "addNote", ADD_NOTE, {"contactId": contact["id"], "kind": "CALL", "body": "Rang"}
    )
    contacted_with_call = await last_contacted(staff, contact["id"])
    await staff.mutate("deleteNote", DELETE_NOTE, {"id": note["note"]["id"]})

    # then the timeline says it was sent, and only the call ever counted as contact
    assert await summaries_of(staff, contact["id"], MAIL_KINDS) == [
        ("System", f"Sent the portal invitation “{INVITATION}”")
    ]
    assert contacted_with_call is not None
    assert await last_contacted(staff, contact["id"]) is None


async def test_a_refusal_is_recorded_with_the_servers_answer(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given an invited client whose mailbox does not exist
    contact = await invited_client(staff, email="gone@example.com")
    smtp_server.handler.rcpt_answer = "550 5.1.1 <gone@example.com>: no such mailbox"

    # when the worker tries to deliver the invitation
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()

    # then the failure and the server's words are on the timeline
    assert await summaries_of(staff, contact["id"], MAIL_KINDS) == [
        (
            "System",
            f"Could not send the portal invitation “{INVITATION}”: "
            "550 5.1.1 <gone@example.com>: no such mailbox",
        )
    ]


async def test_a_temporary_failure_is_not_an_outcome(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given an invited client, and a server that greylists the first attempt
    contact = await invited_client(staff, email="grey@example.com")
    smtp_server.handler.data_answers = ["451 4.3.0 Greylisted, try again later"]
    worker = DeliveryWorker(worker_settings(smtp_server.port))

    # when the worker tries, then tries again later
    await worker.run_once()
    after_first_try = await summaries_of(staff, contact["id"], MAIL_KINDS)
    await make_due()
    await worker.run_once()

    # then only the delivery is recorded
    assert after_first_try == []
    assert [s for _, s in await summaries_of(staff, contact["id"], MAIL_KINDS)] == [
        f"Sent the portal invitation “{INVITATION}”"
    ]


async def test_messages_to_no_contact_record_nothing(db: str, smtp_server: SmtpServer) -> None:
    # given a test email (to an address, not a contact)
    await queue(1)

    # when it is delivered
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()

    # then no timeline has it
    assert await TimelineEvent.all().count() == 0


async def test_a_message_taken_over_is_recorded_once(
    staff: GraphQLClient, smtp_server: SmtpServer
) -> None:
    # given an invitation claimed by a worker that then stalled past its lease
    contact = await invited_client(staff, email="slow@example.com")
    settings = worker_settings(smtp_server.port, mail_lease_seconds=1)
    stalled = DeliveryWorker(settings, worker_id="stalled-worker")
    [message] = await stalled._claim()
    await OutboxMessage.filter(id=message.id).update(
        lease_until=datetime.now(UTC) - timedelta(seconds=1)
    )

    # when another worker delivers it, and the stalled one wakes up and reports it sent
    await DeliveryWorker(settings).run_once()
    await stalled._sent(message)

    # then the delivery is on the timeline once
    assert len(await summaries_of(staff, contact["id"], ["EMAIL_SENT"])) == 1


async def test_a_message_logged_without_a_mail_server_is_not_on_the_timeline(
    staff: GraphQLClient,
) -> None:
    # given an invited client, and no mail server configured
    contact = await invited_client(staff, email="laptop@example.com")

    # when the worker writes the invitation to the log
    await DeliveryWorker(worker_settings(None)).run_once()

    # then the timeline does not say it was sent (nor that it failed)
    assert await summaries_of(staff, contact["id"], MAIL_KINDS) == []
    assert await OutboxMessage.filter(status="LOGGED").count() == 1
