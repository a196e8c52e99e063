"""A note: what happened (a call, a meeting, an email) and when, written by a staff member."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from crm.core.models import TimestampFields


class NoteKind(StrEnum):
    CALL = "CALL"
    MEETING = "MEETING"
    EMAIL = "EMAIL"
    OTHER = "OTHER"


# The kinds that count as being in touch ("Last contacted").
CONTACT_KINDS = (NoteKind.CALL, NoteKind.MEETING, NoteKind.EMAIL)


class Note(TimestampFields, Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(NoteKind, max_length=7)
    body = fields.TextField()
    occurred_at = fields.DatetimeField()
    # On a contact or on a company, never both.
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="logged_notes", null=True, on_delete=fields.CASCADE
    )
    company = fields.ForeignKeyField(
        "crm.Company", related_name="logged_notes", null=True, on_delete=fields.CASCADE
    )
    author = fields.ForeignKeyField(
        "crm.StaffUser", related_name="notes", null=True, on_delete=fields.SET_NULL
    )
    # Kept when the staff account goes: the note still says who wrote it.
    author_name = fields.CharField(max_length=200, default="")

    class Meta:
        table = "note"
        indexes = (("contact_id", "kind", "occurred_at"), ("company_id",))
