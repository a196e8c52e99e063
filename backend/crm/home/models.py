"""The contacts each staff user opened last, for "Recently viewed" on the home page."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class RecentView(Model):
    id = fields.IntField(primary_key=True)
    staff_user = fields.ForeignKeyField(
        "crm.StaffUser", related_name="recent_views", on_delete=fields.CASCADE
    )
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="recent_views", on_delete=fields.CASCADE
    )
    viewed_at = fields.DatetimeField()

    class Meta:
        table = "recent_view"
        # One row per user and contact, its time moved on each view.
        unique_together = (("staff_user_id", "contact_id"),)
        indexes = (("staff_user_id", "viewed_at"),)
