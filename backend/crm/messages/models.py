"""A secure message between the staff and one portal contact.

The body lives only here: the contact is emailed that a message waits, never what it says.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class SecureMessage(Model):
    id = fields.IntField(primary_key=True)
    # The conversation: one per contact. Erasing the contact erases it.
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="secure_messages", on_delete=fields.CASCADE
    )
    body = fields.TextField()
    from_staff = fields.BooleanField()
    # The staff member who wrote it (None for the contact's own messages, or when the staff
    # account is gone: `author_name` still says who wrote it).
    author = fields.ForeignKeyField(
        "crm.StaffUser", related_name="secure_messages", null=True, on_delete=fields.SET_NULL
    )
    author_name = fields.CharField(max_length=200, default="")
    sent_at = fields.DatetimeField()
    # When the other side read it.
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "secure_message"
        # A conversation newest first; the unread messages of one side.
        indexes = (("contact_id", "sent_at"), ("from_staff", "read_at", "contact_id"))
