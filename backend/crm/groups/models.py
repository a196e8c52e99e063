"""Groups: named static lists of contacts."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from crm.core.models import TimestampFields


class Group(TimestampFields, Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    # The folded name: unique, so "VIP" and "vip" cannot both exist.
    name_key = fields.CharField(max_length=100, unique=True)
    description = fields.TextField(null=True)
    colour = fields.CharField(max_length=7, null=True)

    class Meta:
        table = "contact_group"


class GroupMembership(Model):
    id = fields.IntField(primary_key=True)
    group = fields.ForeignKeyField(
        "crm.Group", related_name="memberships", on_delete=fields.CASCADE
    )
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="memberships", on_delete=fields.CASCADE
    )
    added_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "group_membership"
        unique_together = (("group", "contact"),)
        indexes = (("contact_id", "group_id"),)
