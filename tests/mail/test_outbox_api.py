"""The Outbox page's API (administrators only) and the "send test email" action."""

from __future__ import annotations

from crm.mail.models import MessageStatus, OutboxMessage
from crm.mail.worker import DeliveryWorker
from tests.graphql_client import GraphQLClient
from tests.mail.conftest import SmtpServer, queue, worker_settings

OUTBOX = """
query ($filter: OutboxFilter, $first: Int, $after: String) {
  outbox(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id kind toAddress toName subject textBody htmlBody status attempts
      nextAttemptAt lastError sentAt createdAt
    } }
  }
}
"""

SEND_TEST_EMAIL = """
mutation ($input: SendTestEmailInput!) {
  sendTestEmail(input: $input) {
    message { id kind toAddress subject status }
    errors { field message code }
  }
}
"""

RETRY = """
mutation ($input: RetryOutboxMessageInput!) {
  retryOutboxMessage(input: $input) {
    message { id status attempts lastError }
    errors { field message code }
  }
}
"""


async def test_admins_see_the_outbox_newest_first_and_page_through_it(staff: GraphQLClient):
    # given three messages
    await queue(3)
    # when an admin asks for the first two
    result = await staff.execute(OUTBOX, {"first": 2})
    outbox = result.data["outbox"]
    # then they are the newest, with every field
    assert outbox["totalCount"] == 3
    assert [edge["node"]["subject"] for edge in outbox["edges"]] == ["Message 2", "Message 1"]
    node = outbox["edges"][0]["node"]
    assert node["kind"] == "TEST"
    assert node["status"] == "QUEUED"
    assert node["toAddress"] == "jane@example.com" and node["toName"] == "Jane Doe"
    assert "token=t2" in node["textBody"]
    assert node["sentAt"] is None and node["lastError"] is None
    # and the next page holds the oldest
    result = await staff.execute(OUTBOX, {"first": 2, "after": outbox["pageInfo"]["endCursor"]})
    assert [e["node"]["subject"] for e in result.data["outbox"]["edges"]] == ["Message 0"]
    assert result.data["outbox"]["pageInfo"]["hasNextPage"] is False


async def test_the_outbox_shows_the_servers_refusal(staff: GraphQLClient, smtp_server: SmtpServer):
    await queue(2)
    smtp_server.handler.data_answers = ["550 5.7.1 Relaying denied"]
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()

    result = await staff.execute(OUTBOX, {"filter": {"status": ["FAILED"]}})
    [edge] = result.data["outbox"]["edges"]
    assert edge["node"]["status"] == "FAILED"
    assert edge["node"]["lastError"] == "550 5.7.1 Relaying denied"

    result = await staff.execute(OUTBOX, {"filter": {"status": ["SENT", "QUEUED"], "kind": "TEST"}})
    assert [e["node"]["status"] for e in result.data["outbox"]["edges"]] == ["SENT"]
    result = await staff.execute(OUTBOX, {"filter": {"kind": "INVITATION"}})
    assert result.data["outbox"]["totalCount"] == 0


async def test_members_and_anonymous_callers_cannot_see_the_outbox(
    member: GraphQLClient, anonymous: GraphQLClient
):
    await queue(1)
    assert (await member.execute(OUTBOX)).error_codes == ["FORBIDDEN"]
    assert (await anonymous.execute(OUTBOX)).error_codes == ["UNAUTHENTICATED"]
    send = await member.execute(SEND_TEST_EMAIL, {"input": {"to": "x@example.com"}})
    assert send.error_codes == ["FORBIDDEN"]
    assert await OutboxMessage.all().count() == 1


async def test_send_test_email_queues_a_test_message(staff: GraphQLClient):
    payload = await staff.mutate("sendTestEmail", SEND_TEST_EMAIL, {"to": " Ops@Example.COM "})
    assert payload["errors"] == []
    message = payload["message"]
    assert message["kind"] == "TEST"
    assert message["status"] == "QUEUED"
    assert message["toAddress"] == "Ops@example.com"
    assert message["subject"].startswith("Test email from")


async def test_send_test_email_checks_the_address(staff: GraphQLClient):
    for address, code in (("", "REQUIRED"), ("not an address", "INVALID"), ("a@b", "INVALID")):
        payload = await staff.mutate("sendTestEmail", SEND_TEST_EMAIL, {"to": address})
        assert payload["message"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [(["input", "to"], code)]
    assert await OutboxMessage.all().count() == 0


async def test_a_failed_message_can_be_sent_again(staff: GraphQLClient, smtp_server: SmtpServer):
    [pk] = await queue(1)
    smtp_server.handler.data_answers = ["550 5.7.1 Relaying denied"]
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()
    result = await staff.execute(OUTBOX)
    node_id = result.data["outbox"]["edges"][0]["node"]["id"]

    payload = await staff.mutate("retryOutboxMessage", RETRY, {"id": node_id})
    assert payload["errors"] == []
    assert payload["message"]["status"] == "QUEUED" and payload["message"]["attempts"] == 0
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()
    assert (await OutboxMessage.get(id=pk)).status == MessageStatus.SENT

    payload = await staff.mutate("retryOutboxMessage", RETRY, {"id": node_id})
    assert [e["code"] for e in payload["errors"]] == ["NOT_ALLOWED"]


async def test_erasing_a_contact_erases_their_mail(db: str):
    from crm.contacts.models import Contact
    from crm.mail.services import queue_message

    contact = await Contact.create(last_name="Doe", first_name="Jane", sort_name="doe jane")
    await queue_message(
        kind="INVITATION",
        to_address="jane@example.com",
        to_name="Jane Doe",
        subject="Invitation",
        text="t",
        html="h",
        contact_id=contact.id,
    )
    await queue(1, to="other@example.com")
    await contact.delete()
    assert [m.to_address for m in await OutboxMessage.all()] == ["other@example.com"]


NODE = """query ($id: ID!) { node(id: $id) { id ... on OutboxMessage { textBody } } }"""


async def test_only_admins_can_read_a_message_through_node(
    staff: GraphQLClient, member: GraphQLClient
):
    # given a message holding a link (as invitations and resets do)
    await queue(1)
    node_id = (await staff.execute(OUTBOX)).data["outbox"]["edges"][0]["node"]["id"]
    # then an admin reads it through `node`, and a member gets null, as for an unknown id
    admin_view = (await staff.execute(NODE, {"id": node_id})).data["node"]
    assert "token=t0" in admin_view["textBody"]
    assert (await member.execute(NODE, {"id": node_id})).data["node"] is None


async def test_the_outbox_says_a_message_was_logged_not_sent(staff: GraphQLClient):
    # given a message handled while no mail server is configured, and one sent
    await queue(1)
    await DeliveryWorker(worker_settings(None)).run_once()
    # when an admin filters the outbox
    logged = await staff.execute(OUTBOX, {"filter": {"status": ["LOGGED"]}})
    sent = await staff.execute(OUTBOX, {"filter": {"status": ["SENT"]}})
    # then the message is LOGGED, with no sent time, and nothing is SENT
    [edge] = logged.data["outbox"]["edges"]
    assert (edge["node"]["status"], edge["node"]["sentAt"]) == ("LOGGED", None)
    assert sent.data["outbox"]["totalCount"] == 0


async def test_mail_configured_says_whether_mail_leaves_the_machine(staff: GraphQLClient):
    result = await staff.execute("{ appSettings { mailConfigured } }")
    assert result.data["appSettings"]["mailConfigured"] is False
