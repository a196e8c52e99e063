from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from crm.mail.models import MessageStatus


class AlterDescription(ops.AlterField):
    """A field whose description alone changes: the migration state follows, the database is
    left alone. (On SQLite, tortoise's AlterField rebuilds the table, and the rebuilt table
    has lost the outbox's indexes; the column's type, VARCHAR(7), already holds LOGGED.)"""

    async def database_forward(self, *args: object, **kwargs: object) -> None:
        return None

    async def database_backward(self, *args: object, **kwargs: object) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [("crm", "0015_import_consents")]

    initial = False

    operations = [
        AlterDescription(
            model_name="OutboxMessage",
            name="status",
            field=fields.CharEnumField(
                default=MessageStatus.QUEUED,
                description="QUEUED: QUEUED\nSENDING: SENDING\nSENT: SENT\nFAILED: FAILED\n"
                "LOGGED: LOGGED",
                enum_type=MessageStatus,
                max_length=7,
            ),
        ),
    ]
