from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("crm", "0010_import_jobs")]

    initial = False

    operations = [
        # Failed sign-ins only matter within the throttle's window: the old rows can go.
        ops.RunSQL("DELETE FROM login_failure", reverse_sql="SELECT 1"),
        # Archiving a contact now ends its portal sessions; end those archived before.
        ops.RunSQL(
            "DELETE FROM session WHERE contact_id IN "
            "(SELECT id FROM contact WHERE archived_at IS NOT NULL)",
            reverse_sql="SELECT 1",
        ),
        ops.RemoveIndex(
            model_name="LoginFailure",
            name=None,
            fields=["scope", "key", "created_at"],
        ),
        ops.AlterModelOptions(
            name="LoginFailure",
            options={
                "table": "login_failure",
                "app": "crm",
                "indexes": [
                    Index(fields=["account", "created_at"]),
                    Index(fields=["ip", "created_at"]),
                    Index(fields=["created_at"]),
                ],
                "pk_attr": "id",
                "table_description": "One sign-in attempt, counted as failed from before its password is checked.",
            },
        ),
        ops.AddField(
            model_name="LoginFailure",
            name="account",
            field=fields.CharField(max_length=300),
        ),
        ops.AddField(
            model_name="LoginFailure",
            name="ip",
            field=fields.CharField(max_length=64),
        ),
        ops.RemoveField(model_name="LoginFailure", name="key"),
        ops.RemoveField(model_name="LoginFailure", name="scope"),
        ops.AddIndex(
            model_name="LoginFailure",
            index=Index(fields=["account", "created_at"]),
        ),
        ops.AddIndex(
            model_name="LoginFailure",
            index=Index(fields=["ip", "created_at"]),
        ),
        ops.AddIndex(
            model_name="LoginFailure",
            index=Index(fields=["created_at"]),
        ),
    ]
