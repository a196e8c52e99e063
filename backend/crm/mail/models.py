"""The outbox: every message the CRM sends, written in the transaction that causes it."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from crm.core.models import TimestampFields


class MessageStatus(StrEnum):
    QUEUED = "QUEUED"  # waiting for its next attempt (next_attempt_at)
    SENDING = "SENDING"  # claimed by a worker until lease_until
    SENT = "SENT"  # accepted by the SMTP server
    FAILED = "FAILED"  # refused for good, or out of attempts: last_error says why
    LOGGED = "LOGGED"  # not sent: no mail server is configured, so written to the log


class MessageKind(StrEnum):
    INVITATION = "INVITATION"
    PASSWORD_RESET = "PASSWORD_RESET"
    STAFF_INVITATION = "STAFF_INVITATION"
    TEST = "TEST"
    CAMPAIGN = "CAMPAIGN"
    SECURE_MESSAGE = "SECURE_MESSAGE"  # that a secure message waits; never the message
    TASK_REMINDER = "TASK_REMINDER"  # to a staff user: one of their tasks is due


class OutboxMessage(TimestampFields, Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=20)
    to_address = fields.CharField(max_length=254)
    to_name = fields.CharField(max_length=200, default="")
    subject = fields.CharField(max_length=500)
    text_body = fields.TextField()
    html_body = fields.TextField()
    # Fixed when queued, so every attempt carries the same Message-ID and a receiving
    # server or client can recognise a repeat.
    message_id = fields.CharField(max_length=200)
    status = fields.CharEnumField(MessageStatus, max_length=7, default=MessageStatus.QUEUED)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    claimed_by = fields.CharField(max_length=100, null=True)
    lease_until = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)
    sent_at = fields.DatetimeField(null=True)
    # 0 for mail someone waits for (invitations, resets, tests), 1 for bulk (campaigns):
    # workers take the lower first, so a campaign never holds up an invitation.
    priority = fields.SmallIntField(default=0)
    # Erasing a contact erases the mail sent to them (GDPR).
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="outbox_messages", null=True, on_delete=fields.CASCADE
    )

    class Meta:
        table = "outbox_message"
        # The worker's claim: due QUEUED rows and SENDING rows whose lease ran out.
        indexes = (
            ("status", "next_attempt_at"),
            ("status", "lease_until"),
            ("status", "priority", "id"),
            # Deleting or merging a contact finds their mail without reading the whole outbox.
            ("contact_id",),
        )
