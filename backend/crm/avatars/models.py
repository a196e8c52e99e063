"""Contacts' avatars, stored in the database so every app server has them."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class ContactAvatar(Model):
    """The contact's avatar as served: WebP squares. Erasing the contact erases it."""

    contact = fields.OneToOneField(
        "crm.Contact", related_name="avatar", on_delete=fields.CASCADE, primary_key=True
    )
    large = fields.BinaryField()
    small = fields.BinaryField()
    version = fields.BigIntField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "contact_avatar"
