from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    """The index `Contact.city_key` declares: 0004's AddField made the column without it."""

    dependencies = [("crm", "0025_duplicates")]

    initial = False

    operations = [
        ops.RunSQL(
            "CREATE INDEX IF NOT EXISTS idx_contact_city_key ON contact (city_key)",
            reverse_sql="DROP INDEX IF EXISTS idx_contact_city_key",
        ),
    ]
