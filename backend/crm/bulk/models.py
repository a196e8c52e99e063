"""A bulk operation: one action applied to many contacts, in batches, by a background runner."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class BulkAction(StrEnum):
    ADD_TO_GROUP = "ADD_TO_GROUP"
    REMOVE_FROM_GROUP = "REMOVE_FROM_GROUP"
    SET_TYPE = "SET_TYPE"
    SET_STATUS = "SET_STATUS"
    SET_OWNER = "SET_OWNER"
    SET_COMPANY = "SET_COMPANY"
    ADD_PRODUCT = "ADD_PRODUCT"
    INVITE = "INVITE"
    ARCHIVE = "ARCHIVE"
    RESTORE = "RESTORE"
    DELETE = "DELETE"


class BulkState(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class BulkOperation(Model):
    id = fields.IntField(primary_key=True)
    action = fields.CharEnumField(BulkAction, max_length=20)
    # What the action sets or names: {"group_id": 3}, {"status": "CONTACTED"}, ...
    params = fields.JSONField(default=dict)
    # Which contacts: {"ids": [...]} or {"filter": <segment filter JSON>, "search": ...,
    # "except_ids": [...]}, evaluated batch by batch as the work runs.
    selection = fields.JSONField()
    state = fields.CharEnumField(BulkState, max_length=10, default=BulkState.QUEUED)
    # Contacts matching when it started; those handled so far, changed, skipped and failed.
    total = fields.IntField(default=0)
    processed = fields.IntField(default=0)
    changed = fields.IntField(default=0)
    # {"reason": count}: why contacts were left as they were (e.g. no email to invite).
    skipped = fields.JSONField(default=dict)
    failed = fields.IntField(default=0)
    # The batches go in id order: the last contact id handled, where a resumed run goes on.
    last_contact_id = fields.IntField(default=0)
    error_message = fields.TextField(null=True)
    created_by = fields.ForeignKeyField(
        "crm.StaffUser", related_name="bulk_operations", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    # The runner holding it, until when (see crm.jobs.queue).
    claimed_by = fields.CharField(max_length=100, null=True)
    lease_until = fields.DatetimeField(null=True)

    class Meta:
        table = "bulk_operation"
        indexes = (("state", "lease_until"),)
