"""Delivery to a real SMTP server on loopback: no message lost, none sent twice.

Every test runs on SQLite and on PostgreSQL (`db`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tortoise.transactions import in_transaction

from crm.auth.tokens import new_token
from crm.mail.models import MessageStatus, OutboxMessage
from crm.mail.services import queue_message
from crm.mail.worker import DeliveryWorker, backoff_seconds
from tests.mail.conftest import SmtpServer, make_due, queue, worker_settings


async def statuses() -> dict[int, MessageStatus]:
    return {row.id: row.status for row in await OutboxMessage.all()}


async def test_a_message_is_delivered_with_text_and_html_parts(db: str, smtp_server: SmtpServer):
    # given a queued message
    [pk] = await queue(1, to="jane@example.com", name="Jane Doe")
    settings = worker_settings(smtp_server.port)
    # when a worker runs once
    handled = await DeliveryWorker(settings).run_once()
    # then it was delivered as multipart/alternative, from the configured sender
    assert handled == 1
    row = await OutboxMessage.get(id=pk)
    assert row.status == MessageStatus.SENT
    assert row.attempts == 1 and row.sent_at is not None and row.last_error is None
    [sent] = smtp_server.handler.messages
    assert sent["From"] == "Acme CRM <crm@acme.example>"
    assert sent["To"] == "Jane Doe <jane@example.com>"
    assert sent["Subject"] == "Message 0"
    assert sent["Message-ID"] == row.message_id
    assert sent["Date"]
    assert sent.get_content_type() == "multipart/alternative"
    text = sent.get_body(("plain",))
    html = sent.get_body(("html",))
    assert text is not None and html is not None
    assert "https://crm.example/x?token=t0" in text.get_content()
    assert "<p>Hello, this is message 0</p>" in html.get_content()


async def test_one_connection_carries_a_whole_batch(db: str, smtp_server: SmtpServer):
    await queue(5)
    assert await DeliveryWorker(worker_settings(smtp_server.port)).run_once() == 5
    assert len(smtp_server.handler.messages) == 5
    assert len(smtp_server.handler.sessions) == 1


async def test_smtp_down_keeps_the_message_queued_then_delivers_it_once(
    db: str, smtp_down: SmtpServer
):
    # given a message queued while nothing listens on the SMTP port
    [pk] = await queue(1)
    worker = DeliveryWorker(worker_settings(smtp_down.port, mail_retry_seconds=30))
    # when the worker tries
    before = datetime.now(UTC)
    assert await worker.run_once() == 1
    # then the message waits for a later attempt, with the reason recorded
    row = await OutboxMessage.get(id=pk)
    assert row.status == MessageStatus.QUEUED
    assert row.attempts == 1
    assert "Could not talk to the mail server" in (row.last_error or "")
    assert row.next_attempt_at >= before + timedelta(seconds=29)
    # and it is not tried again before then
    assert await worker.run_once() == 0

    # when the server comes back and the time for the next attempt has come
    smtp_down.start()
    await make_due()
    assert await worker.run_once() == 1
    # then it is delivered, exactly once
    assert (await OutboxMessage.get(id=pk)).status == MessageStatus.SENT
    assert await worker.run_once() == 0
    assert len(smtp_down.handler.messages) == 1


async def test_a_451_is_retried_and_delivered_once(db: str, smtp_server: SmtpServer):
    [pk] = await queue(1)
    smtp_server.handler.data_answers = ["451 4.3.0 Greylisted, try again later"]
    worker = DeliveryWorker(worker_settings(smtp_server.port))

    await worker.run_once()
    row = await OutboxMessage.get(id=pk)
    assert row.status == MessageStatus.QUEUED
    assert row.last_error == "451 4.3.0 Greylisted, try again later"

    await make_due()
    await worker.run_once()
    row = await OutboxMessage.get(id=pk)
    assert row.status == MessageStatus.SENT
    assert row.attempts == 2
    assert len(smtp_server.handler.messages) == 1


async def test_a_550_fails_at_once_with_the_servers_words(db: str, smtp_server: SmtpServer):
    [pk] = await queue(1)
    smtp_server.handler.rcpt_answer = "550 5.1.1 <jane@example.com>: no such mailbox"
    worker = DeliveryWorker(worker_settings(smtp_server.port))

    await worker.run_once()
    row = await OutboxMessage.get(id=pk)
    assert row.status == MessageStatus.FAILED
    assert row.attempts == 1
    assert row.last_error == "550 5.1.1 <jane@example.com>: no such mailbox"
    # and it is never tried again
    await make_due()
    assert await worker.run_once() == 0
    assert smtp_server.handler.messages == []


async def test_a_refusal_in_a_batch_spares_the_other_messages(db: str, smtp_server: SmtpServer):
    first, second, third = await queue(3)
    smtp_server.handler.data_answers = ["554 5.6.0 Message rejected"]
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()
    assert await statuses() == {
        first: MessageStatus.FAILED,
        second: MessageStatus.SENT,
        third: MessageStatus.SENT,
    }
    assert len(smtp_server.handler.sessions) == 1


async def test_a_refused_recipient_spares_the_next_messages_on_the_same_connection(
    db: str, smtp_server: SmtpServer
):
    # given three messages, the first to a mailbox the server does not know
    first, second, third = await queue(3)
    smtp_server.handler.rcpt_answers = ["550 5.1.1 no such mailbox"]
    # when one worker sends them
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()
    # then the first fails with the server's words and the others arrive, on one connection
    assert await statuses() == {
        first: MessageStatus.FAILED,
        second: MessageStatus.SENT,
        third: MessageStatus.SENT,
    }
    assert (await OutboxMessage.get(id=first)).last_error == "550 5.1.1 no such mailbox"
    assert [str(message["Subject"]) for message in smtp_server.handler.messages] == [
        "Message 1",
        "Message 2",
    ]
    assert len(smtp_server.handler.sessions) == 1


@pytest.mark.parametrize("server_knows_utf8", [True, False])
async def test_an_address_outside_ascii_needs_a_server_that_takes_it(
    db: str, smtp_port: int, server_knows_utf8: bool
):
    # given a message to zoë@exämple.com, then one to an ASCII address
    server = SmtpServer(smtp_port, smtputf8=server_knows_utf8)
    server.start()
    try:
        [utf8] = await queue(1, to="zoë@exämple.com", name="Zoë")
        [ascii_] = await queue(1)
        # when the worker sends them
        await DeliveryWorker(worker_settings(smtp_port)).run_once()
        rows = {row.id: row for row in await OutboxMessage.all()}
        # then a server with SMTPUTF8 gets both; one without fails the first for good
        # (saying why) and still gets the second
        assert rows[ascii_].status == MessageStatus.SENT
        if server_knows_utf8:
            assert rows[utf8].status == MessageStatus.SENT
            assert str(server.handler.messages[0]["To"]) == ("Zoë <zoë@exämple.com>")
        else:
            assert rows[utf8].status == MessageStatus.FAILED
            assert "SMTPUTF8" in (rows[utf8].last_error or "")
            assert len(server.handler.messages) == 1
    finally:
        server.stop()


async def test_the_worker_reconnects_after_the_server_closes_the_connection(
    db: str, smtp_server: SmtpServer
):
    # given a server that drops the connection on the first message (421: closing)
    first, second, third = await queue(3)
    smtp_server.handler.data_answers = ["421 4.3.2 Shutting down"]
    # when one batch runs
    await DeliveryWorker(worker_settings(smtp_server.port)).run_once()
    # then the first waits for a retry and the others went out
    result = await statuses()
    assert result[first] == MessageStatus.QUEUED
    assert result[second] == result[third] == MessageStatus.SENT
    assert len(smtp_server.handler.messages) == 2


async def test_temporary_failures_back_off_exponentially_then_give_up(
    db: str, smtp_down: SmtpServer
):
    settings = worker_settings(smtp_down.port, mail_retry_seconds=30, mail_max_attempts=3)
    assert [backoff_seconds(settings, n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(settings, 20) == 3600

    [pk] = await queue(1)
    worker = DeliveryWorker(settings)
    waits = []
    for _ in range(2):
        start = datetime.now(UTC)
        await worker.run_once()
        row = await OutboxMessage.get(id=pk)
        assert row.status == MessageStatus.QUEUED
        waits.append(round((row.next_attempt_at - start).total_seconds()))
        await make_due()
    assert waits == [30, 60]

    await worker.run_once()
    row = await OutboxMessage.get(id=pk)
    assert row.status == MessageStatus.FAILED
    assert row.attempts == 3
    assert (row.last_error or "").startswith("Gave up after 3 attempts: Could not talk")


async def test_a_worker_that_died_mid_batch_leaves_nothing_behind(db: str, smtp_server: SmtpServer):
    # given ten messages, five of which a worker claimed and then died (never finished)
    ids = await queue(10)
    short_lease = worker_settings(smtp_server.port, mail_lease_seconds=1, mail_batch_size=5)
    dead = DeliveryWorker(short_lease, worker_id="dead-worker")
    claimed = await dead._claim()
    assert [message.id for message in claimed] == ids[:5]

    # when a new worker starts while the dead one's lease still holds
    survivor = DeliveryWorker(short_lease, worker_id="new-worker")
    while await survivor.run_once():
        pass
    # then it delivers only the unclaimed messages
    assert len(smtp_server.handler.messages) == 5
    assert {pk for pk, status in (await statuses()).items() if status == "SENDING"} == set(ids[:5])

    # when the lease has run out
    await OutboxMessage.filter(claimed_by="dead-worker").update(
        lease_until=datetime.now(UTC) - timedelta(seconds=1)
    )
    while await survivor.run_once():
        pass
    # then every message has been delivered exactly once
    assert set((await statuses()).values()) == {MessageStatus.SENT}
    counts = smtp_server.handler.message_ids
    assert len(counts) == 10 and set(counts.values()) == {1}
    # and the dead worker, were it to wake up, cannot mark them: they are no longer its
    row = await OutboxMessage.get(id=ids[0])
    assert row.claimed_by == "new-worker" and row.attempts == 2


async def test_a_message_in_flight_when_its_worker_died_may_be_sent_again(
    db: str, smtp_server: SmtpServer
):
    """At least once: the server accepted it, but the worker died before recording that."""
    from crm.mail.worker import build_email

    [pk] = await queue(1)
    settings = worker_settings(smtp_server.port, mail_lease_seconds=1)
    dead = DeliveryWorker(settings, worker_id="dead-worker")
    [message] = await dead._claim()
    smtp = await dead._connect()
    content, _ = build_email(settings.mail_from, message)
    await smtp.sendmail("crm@example.com", [message.to_address], content)
    smtp.close()  # ...and the process dies here

    await OutboxMessage.filter(id=pk).update(lease_until=datetime.now(UTC) - timedelta(seconds=1))
    await DeliveryWorker(settings).run_once()
    assert (await OutboxMessage.get(id=pk)).status == MessageStatus.SENT
    # the same Message-ID twice: receiving systems can tell it is a repeat
    assert list(smtp_server.handler.message_ids.values()) == [2]


async def test_a_message_exists_only_if_its_transaction_commits(db: str):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with in_transaction():
            await queue_message(
                kind="TEST", to_address="a@example.com", to_name="", subject="s", text="t", html="h"
            )
            raise Boom
    assert await OutboxMessage.all().count() == 0


async def test_without_a_mail_server_a_message_is_logged_not_sent(db: str, mail_log: list):
    # given no SMTP server configured
    [pk] = await queue(1, to="jane@example.com")
    # when the worker runs
    assert await DeliveryWorker(worker_settings(None)).run_once() == 1
    # then the message is LOGGED, not SENT (no sent time), and its text, with the link, is in
    # the log
    row = await OutboxMessage.get(id=pk)
    assert (row.status, row.sent_at, row.attempts) == (MessageStatus.LOGGED, None, 1)
    logged = [record.getMessage() for record in mail_log]
    assert any(
        "jane@example.com" in line and "https://crm.example/x?token=t0" in line for line in logged
    )
    # and no worker takes it again
    assert await DeliveryWorker(worker_settings(None)).run_once() == 0


async def test_the_log_never_shows_the_smtp_password(db: str, smtp_down: SmtpServer, mail_log):
    import asyncio

    from crm.settings import parse_smtp_url

    settings = worker_settings(
        smtp_down.port, smtp=parse_smtp_url(f"smtp://mailer:s3cret-pw@127.0.0.1:{smtp_down.port}")
    )
    await queue(1)
    stop = asyncio.Event()
    task = asyncio.create_task(DeliveryWorker(settings).run_forever(stop))
    for _ in range(100):
        if await OutboxMessage.filter(attempts__gte=1).exists():
            break
        await asyncio.sleep(0.02)
    stop.set()
    await task
    logged = "\n".join(record.getMessage() for record in mail_log)
    assert "mailer@127.0.0.1" in logged
    assert "s3cret-pw" not in logged
    assert "s3cret-pw" not in repr(settings)


async def test_run_forever_delivers_what_is_queued_and_stops_when_told(
    db: str, smtp_server: SmtpServer
):
    import asyncio

    stop = asyncio.Event()
    worker = DeliveryWorker(worker_settings(smtp_server.port, mail_poll_seconds=5))
    task = asyncio.create_task(worker.run_forever(stop))
    await asyncio.sleep(0.05)
    # queue_message wakes the worker: no need to wait for the 5 s poll
    await queue(3)
    for _ in range(200):
        if len(smtp_server.handler.messages) == 3:
            break
        await asyncio.sleep(0.01)
    assert len(smtp_server.handler.messages) == 3
    stop.set()
    await asyncio.wait_for(task, timeout=2)


async def test_a_stopped_worker_finishes_the_message_in_hand_and_hands_back_the_rest(
    db: str, smtp_server: SmtpServer
):
    import asyncio

    # given five queued messages and a worker delivering them
    ids = await queue(5)
    stop = asyncio.Event()
    # when it is told to stop while the server takes the first message
    smtp_server.handler.stop_when_data_arrives(stop)
    worker = DeliveryWorker(worker_settings(smtp_server.port))
    await asyncio.wait_for(worker.run_forever(stop), timeout=5)
    # then that message is sent, and the others wait for any worker, their try undone
    assert len(smtp_server.handler.messages) == 1
    rows = {row.id: row for row in await OutboxMessage.all()}
    assert rows[ids[0]].status == MessageStatus.SENT
    assert {(rows[pk].status, rows[pk].attempts, rows[pk].claimed_by) for pk in ids[1:]} == {
        (MessageStatus.QUEUED, 0, None)
    }


async def test_two_workers_never_claim_the_same_message(db: str):
    ids = await queue(20)
    settings = worker_settings(None, mail_batch_size=8)
    first = await DeliveryWorker(settings, worker_id="a")._claim()
    second = await DeliveryWorker(settings, worker_id="b")._claim()
    third = await DeliveryWorker(settings, worker_id="c")._claim()
    claimed = [m.id for m in first] + [m.id for m in second] + [m.id for m in third]
    assert sorted(claimed) == ids
    assert len(set(claimed)) == 20


async def test_a_sent_emails_link_tokens_are_not_kept(db: str, smtp_server: SmtpServer):
    # given an email whose links carry tokens (as invitations and resets do)
    token = new_token()
    link = f"https://crm.example/portal/activate?token={token}"
    message = await queue_message(
        kind="INVITATION",
        to_address="ada@example.com",
        to_name="Ada",
        subject="Your invitation",
        text=f"Activate: {link}",
        html=f'<a href="{link}">Activate</a>',
    )

    # when it is delivered
    assert await DeliveryWorker(worker_settings(smtp_server.port)).run_once() == 1

    # then the recipient has the link, and the outbox keeps it without its token
    [sent] = smtp_server.handler.messages
    assert token in sent.get_body(("plain",)).get_content()
    row = await OutboxMessage.get(id=message.id)
    assert token not in row.text_body and token not in row.html_body
    assert "https://crm.example/portal/activate?token=sent" in row.text_body
