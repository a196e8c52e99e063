"""Timeline events: one row per thing that happened, on a contact's or a company's timeline.

What a person reads (the summary) is made when the event is read, from the kind and the
event's details, so an erased contact mentioned on a company's timeline reads as "a deleted
contact" and no copy of its name stays behind.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class TimelineKind(StrEnum):
    NOTE = "NOTE"
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    ARCHIVED = "ARCHIVED"
    RESTORED = "RESTORED"
    CONVERTED = "CONVERTED"
    INVITED = "INVITED"
    INVITE_RESENT = "INVITE_RESENT"
    INVITE_REVOKED = "INVITE_REVOKED"
    ACTIVATED = "ACTIVATED"
    EMAIL_SENT = "EMAIL_SENT"
    EMAIL_FAILED = "EMAIL_FAILED"
    ADDED_TO_GROUP = "ADDED_TO_GROUP"
    REMOVED_FROM_GROUP = "REMOVED_FROM_GROUP"
    IMPORTED = "IMPORTED"
    CAMPAIGN_SENT = "CAMPAIGN_SENT"
    UNSUBSCRIBED = "UNSUBSCRIBED"
    MESSAGE = "MESSAGE"
    MERGED = "MERGED"
    PRIMARY_CONTACT_SET = "PRIMARY_CONTACT_SET"
    IMPERSONATED = "IMPERSONATED"


class ActorKind(StrEnum):
    STAFF = "STAFF"
    PORTAL = "PORTAL"
    IMPORT = "IMPORT"
    SYSTEM = "SYSTEM"


class TimelineEvent(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(TimelineKind, max_length=20)
    occurred_at = fields.DatetimeField()
    recorded_at = fields.DatetimeField(auto_now_add=True)
    # Whose timeline: a contact's or a company's. Erasing either erases its events.
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="events", null=True, on_delete=fields.CASCADE
    )
    company = fields.ForeignKeyField(
        "crm.Company", related_name="events", null=True, on_delete=fields.CASCADE
    )
    # A contact a company's event is about (its new primary contact): gone when it is erased.
    subject_contact = fields.ForeignKeyField(
        "crm.Contact", related_name="mentions", null=True, on_delete=fields.SET_NULL
    )
    note = fields.ForeignKeyField(
        "crm.Note", related_name="events", null=True, on_delete=fields.CASCADE
    )
    actor_kind = fields.CharEnumField(ActorKind, max_length=6)
    actor = fields.ForeignKeyField(
        "crm.StaffUser", related_name="events", null=True, on_delete=fields.SET_NULL
    )
    # The staff member's name when it happened ("Portal", "Import", "System" otherwise).
    actor_name = fields.CharField(max_length=200)
    # UPDATED: [{"field": label, "before": text, "after": text}]
    changes = fields.JSONField(null=True)
    # Whatever the kind's summary needs: a group's name, an email's subject, an error...
    details = fields.JSONField(null=True)

    class Meta:
        table = "timeline_event"
        indexes = (
            ("contact_id", "occurred_at", "id"),
            ("company_id", "occurred_at", "id"),
            # For the deletes that cascade here: erasing a contact, deleting a note.
            ("subject_contact_id",),
            ("note_id",),
            ("actor_id",),
        )
