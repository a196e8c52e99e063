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


class ContactTallyChange(Model):
    """How many contacts have a type, status, portal status and archived flag, as changes
    to add up. Triggers (migration 0029) write a row per contact inserted, deleted or moved
    from one combination to another, so no writer ever waits on another's counter row;
    `crm.home.tallies` folds the rows into one per combination from time to time. Counting
    the contacts themselves takes seconds at a million of them; adding these up, a moment."""

    id = fields.IntField(primary_key=True)
    type = fields.CharField(max_length=10)
    status = fields.CharField(max_length=12)
    portal_status = fields.CharField(max_length=12)
    archived = fields.BooleanField()
    change = fields.IntField()

    class Meta:
        table = "contact_tally_change"
