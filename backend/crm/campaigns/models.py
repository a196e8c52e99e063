"""Campaigns: an email to an audience, its parts, and one row per recipient."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from crm.core.models import TimestampFields


class CampaignStatus(StrEnum):
    DRAFT = "DRAFT"
    SCHEDULED = "SCHEDULED"
    SENDING = "SENDING"
    SENT = "SENT"
    CANCELLED = "CANCELLED"


class Campaign(TimestampFields, Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    # The folded name, for searching the list by name.
    name_key = fields.CharField(max_length=200, default="")
    subject = fields.CharField(max_length=500, default="")
    body = fields.TextField(default="")
    status = fields.CharEnumField(CampaignStatus, max_length=9, default=CampaignStatus.DRAFT)
    scheduled_at = fields.DatetimeField(null=True)
    # When its audience began to be queued, and when every recipient was.
    started_at = fields.DatetimeField(null=True)
    queued_at = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True)
    created_by = fields.ForeignKeyField(
        "crm.StaffUser", related_name="campaigns", null=True, on_delete=fields.SET_NULL
    )
    # The sending job (crm.jobs): who queues the audience, until when, and how far it got:
    # the part in hand (by id) and its last contact queued (by id).
    claimed_by = fields.CharField(max_length=100, null=True)
    lease_until = fields.DatetimeField(null=True)
    queued_part = fields.IntField(default=0)
    queued_to_contact = fields.IntField(default=0)

    class Meta:
        table = "campaign"
        indexes = (("status", "scheduled_at"),)


class PartKind(StrEnum):
    GROUP = "GROUP"
    SEGMENT = "SEGMENT"
    CONTACT = "CONTACT"


class CampaignPart(Model):
    """One part of the audience: a group, a segment (evaluated when the campaign is sent),
    or one contact (chosen, or matched or created from a pasted line)."""

    id = fields.IntField(primary_key=True)
    campaign = fields.ForeignKeyField(
        "crm.Campaign", related_name="parts", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(PartKind, max_length=7)
    group = fields.ForeignKeyField(
        "crm.Group", related_name="campaign_parts", null=True, on_delete=fields.SET_NULL
    )
    segment = fields.ForeignKeyField(
        "crm.Segment", related_name="campaign_parts", null=True, on_delete=fields.SET_NULL
    )
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="campaign_parts", null=True, on_delete=fields.CASCADE
    )
    # A group's or segment's name when chosen, to say which one went missing.
    name = fields.CharField(max_length=200, default="")

    class Meta:
        table = "campaign_part"
        indexes = (("campaign_id", "kind"), ("contact_id",))


class RecipientStatus(StrEnum):
    QUEUED = "QUEUED"
    SENT = "SENT"
    # Written to the log, not sent: no mail server is configured (CRM_SMTP_URL unset).
    LOGGED = "LOGGED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


class SkipReason(StrEnum):
    NO_CONSENT = "NO_CONSENT"
    NO_EMAIL = "NO_EMAIL"
    ARCHIVED = "ARCHIVED"
    CANCELLED = "CANCELLED"


class CampaignRecipient(Model):
    """Who the campaign went to (or skipped, and why). Erasing the contact erases the row:
    it holds their address."""

    id = fields.IntField(primary_key=True)
    campaign = fields.ForeignKeyField(
        "crm.Campaign", related_name="recipients", on_delete=fields.CASCADE
    )
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="campaign_receipts", on_delete=fields.CASCADE
    )
    email = fields.CharField(max_length=254, default="")
    # The folded address: each address gets the campaign once (NULL for those without one).
    email_key = fields.CharField(max_length=254, null=True)
    status = fields.CharEnumField(RecipientStatus, max_length=7)
    reason = fields.CharEnumField(SkipReason, max_length=10, null=True)
    message = fields.ForeignKeyField(
        "crm.OutboxMessage", related_name="campaign_recipient", null=True, on_delete=fields.SET_NULL
    )
    unsubscribed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "campaign_recipient"
        unique_together = (("campaign_id", "email_key"), ("campaign_id", "contact_id"))
        # By message: deleting an outbox message clears its reference here (a cancel deletes
        # thousands); by contact: erasing a contact erases their rows.
        indexes = (("campaign_id", "status"), ("message_id",), ("contact_id",))
