from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from crm.tasks.models import TaskKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("crm", "0026_contact_city_key_index")]

    initial = False

    operations = [
        ops.CreateModel(
            name="RecentView",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "staff_user",
                    fields.ForeignKeyField(
                        "crm.StaffUser",
                        source_field="staff_user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="recent_views",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "contact",
                    fields.ForeignKeyField(
                        "crm.Contact",
                        source_field="contact_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="recent_views",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("viewed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "recent_view",
                "app": "crm",
                "unique_together": (("staff_user_id", "contact_id"),),
                "indexes": [Index(fields=["staff_user_id", "viewed_at"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Task",
            fields=[
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                (
                    "updated_at",
                    fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False),
                ),
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("title", fields.CharField(max_length=200)),
                ("notes", fields.TextField(null=True, unique=False)),
                (
                    "kind",
                    fields.CharEnumField(
                        default=TaskKind.TODO,
                        description="TODO: TODO\nCALL: CALL\nMEETING: MEETING\nEMAIL: EMAIL",
                        enum_type=TaskKind,
                        max_length=8,
                    ),
                ),
                ("due_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "assignee",
                    fields.ForeignKeyField(
                        "crm.StaffUser",
                        source_field="assignee_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="tasks",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "crm.StaffUser",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "contact",
                    fields.ForeignKeyField(
                        "crm.Contact",
                        source_field="contact_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="tasks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "company",
                    fields.ForeignKeyField(
                        "crm.Company",
                        source_field="company_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="tasks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("done_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "done_by",
                    fields.ForeignKeyField(
                        "crm.StaffUser",
                        source_field="done_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "reminded_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("claimed_by", fields.CharField(null=True, max_length=100)),
                (
                    "lease_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "task",
                "app": "crm",
                "indexes": [
                    Index(fields=["assignee_id", "done_at", "due_at"]),
                    Index(fields=["contact_id", "done_at", "due_at"]),
                    Index(fields=["company_id", "done_at", "due_at"]),
                    Index(fields=["reminded_at", "due_at"]),
                ],
                "pk_attr": "id",
            },
            bases=["TimestampFields", "Model"],
        ),
        ops.AddField(
            model_name="Company",
            name="owner",
            field=fields.ForeignKeyField(
                "crm.StaffUser",
                source_field="owner_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="owned_companies",
                on_delete=OnDelete.SET_NULL,
            ),
        ),
        ops.AddIndex(
            model_name="Company",
            index=Index(fields=["owner_id", "sort_name"]),
        ),
        ops.AddField(
            model_name="Contact",
            name="owner",
            field=fields.ForeignKeyField(
                "crm.StaffUser",
                source_field="owner_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="owned_contacts",
                on_delete=OnDelete.SET_NULL,
            ),
        ),
        ops.AddIndex(
            model_name="Contact",
            index=Index(fields=["owner_id", "archived_at", "sort_name"]),
        ),
        ops.AddField(
            model_name="StaffUser",
            name="preferences",
            field=fields.JSONField(
                null=True, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
            ),
        ),
    ]
