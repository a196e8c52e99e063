"""Field groups that several domains share."""

from __future__ import annotations

from tortoise import fields


class AddressFields:
    address_line1 = fields.CharField(max_length=200, null=True)
    address_line2 = fields.CharField(max_length=200, null=True)
    city = fields.CharField(max_length=100, null=True)
    region = fields.CharField(max_length=100, null=True)
    postal_code = fields.CharField(max_length=20, null=True)
    country = fields.CharField(max_length=2, null=True)


class TimestampFields:
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True, db_index=True)
