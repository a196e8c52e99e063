"""A task: something a staff user means to do by a time, maybe about a contact or company."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from crm.core.models import TimestampFields


class TaskKind(StrEnum):
    TODO = "TODO"
    CALL = "CALL"
    MEETING = "MEETING"
    EMAIL = "EMAIL"


class Task(TimestampFields, Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=200)
    notes = fields.TextField(null=True)
    kind = fields.CharEnumField(TaskKind, max_length=8, default=TaskKind.TODO)
    due_at = fields.DatetimeField(null=True)
    # None only when the staff account is gone; a deactivated user keeps their tasks.
    assignee = fields.ForeignKeyField(
        "crm.StaffUser", related_name="tasks", null=True, on_delete=fields.SET_NULL
    )
    created_by = fields.ForeignKeyField(
        "crm.StaffUser", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    # Erasing the contact or company erases its tasks.
    contact = fields.ForeignKeyField(
        "crm.Contact", related_name="tasks", null=True, on_delete=fields.CASCADE
    )
    company = fields.ForeignKeyField(
        "crm.Company", related_name="tasks", null=True, on_delete=fields.CASCADE
    )
    done_at = fields.DatetimeField(null=True)
    done_by = fields.ForeignKeyField(
        "crm.StaffUser", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    # The reminder: sent once (reminded_at), claimed under a lease by the worker sending it.
    reminded_at = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=100, null=True)
    lease_until = fields.DatetimeField(null=True)

    class Meta:
        table = "task"
        # My open tasks by due time; a contact's or company's; reminders coming due.
        indexes = (
            ("assignee_id", "done_at", "due_at"),
            ("contact_id", "done_at", "due_at"),
            ("company_id", "done_at", "due_at"),
            ("reminded_at", "due_at"),
        )
