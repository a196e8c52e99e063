"""Companies: the businesses that contacts work for."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from crm.core.models import AddressFields, TimestampFields


class Company(AddressFields, TimestampFields, Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    sort_name = fields.CharField(max_length=200, db_index=True)
    search_text = fields.TextField(default="")
    website = fields.CharField(max_length=300, null=True)
    industry = fields.CharField(max_length=100, null=True)
    phone = fields.CharField(max_length=20, null=True)
    phone_country = fields.CharField(max_length=2, null=True)
    notes = fields.TextField(null=True)
    # The staff user whose company it is; kept when they are deactivated, until reassigned.
    owner = fields.ForeignKeyField(
        "crm.StaffUser", related_name="owned_companies", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "company"
        indexes = (("owner_id", "sort_name"),)
