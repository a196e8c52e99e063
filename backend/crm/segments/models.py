"""Segments: saved filters whose members are computed when asked."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from crm.core.models import TimestampFields


class Segment(TimestampFields, Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    name_key = fields.CharField(max_length=100, unique=True)
    # The contact filter as plain JSON (see crm.segments.services.spec_to_json).
    filter_json = fields.JSONField(default=dict)
    search = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "segment"
