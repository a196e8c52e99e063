"""The organisation's settings as an administrator saved them in the app."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

SETTINGS_ROW = 1


class StoredSettings(Model):
    """One row (id 1). An empty column means "as the environment says" (CRM_*)."""

    id = fields.IntField(primary_key=True)
    organisation_name = fields.CharField(max_length=200, null=True)
    default_country = fields.CharField(max_length=2, null=True)
    invite_expiry_days = fields.IntField(null=True)
    sms_enabled = fields.BooleanField(null=True)
    mail_from_name = fields.CharField(max_length=200, null=True)
    mail_from_address = fields.CharField(max_length=254, null=True)
    # The logo as served (PNG), whether there is one, and a number that changes with it
    # (never reused: browsers keep a logo's URL for a year).
    logo = fields.BinaryField(null=True)
    has_logo = fields.BooleanField(default=False)
    logo_version = fields.IntField(default=0)
    updated_at = fields.DatetimeField(null=True)
    updated_by = fields.ForeignKeyField(
        "crm.StaffUser", related_name=False, null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "stored_settings"
