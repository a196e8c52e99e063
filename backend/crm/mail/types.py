"""GraphQL types for the outbox."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crm.graphql.audience import Audience, visible_to
from crm.graphql.relay import Node, to_global_id
from crm.mail import models

MessageStatus = strawberry.enum(
    models.MessageStatus,
    description="QUEUED: waiting for its next attempt; SENDING: a worker has it; "
    "SENT: accepted by the mail server; "
    "FAILED: refused for good or out of attempts (see lastError); "
    "LOGGED: not sent, as no mail server is configured (CRM_SMTP_URL unset): written to the "
    "server's log instead.",
)


@visible_to(Audience.ADMIN)  # its body holds activation and reset links
@strawberry.type(name="OutboxMessage", description="One email the CRM sends, and how it went.")
class OutboxMessageNode(Node):
    id: strawberry.ID
    kind: str = strawberry.field(
        description="INVITATION, PASSWORD_RESET, STAFF_INVITATION, TEST, CAMPAIGN, SECURE_MESSAGE, "
        "TASK_REMINDER"
    )
    to_address: str
    to_name: str
    subject: str
    text_body: str
    html_body: str
    status: MessageStatus
    attempts: int
    next_attempt_at: datetime = strawberry.field(description="When a QUEUED message is tried.")
    last_error: str | None = strawberry.field(description="The mail server's last refusal.")
    sent_at: datetime | None = strawberry.field(
        description="When the mail server accepted it (never for a LOGGED message)."
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, row: models.OutboxMessage) -> OutboxMessageNode:
        return cls(
            id=to_global_id("OutboxMessage", row.id),
            kind=row.kind,
            to_address=row.to_address,
            to_name=row.to_name,
            subject=row.subject,
            text_body=row.text_body,
            html_body=row.html_body,
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_error=row.last_error,
            sent_at=row.sent_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.input
class OutboxFilter:
    status: list[MessageStatus] | None = None
    kind: str | None = None


@strawberry.input
class SendTestEmailInput:
    to: str


@strawberry.input
class RetryOutboxMessageInput:
    id: strawberry.ID
