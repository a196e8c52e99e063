from tortoise import fields, migrations

from crm.core.migration_ops import AlterDescription
from crm.mail.models import MessageStatus


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
