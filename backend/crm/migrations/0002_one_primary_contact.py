from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [
        ops.RunSQL(
            "CREATE UNIQUE INDEX contact_one_primary_per_company "
            "ON contact (company_id) WHERE is_primary_contact",
            reverse_sql="DROP INDEX contact_one_primary_per_company",
        ),
    ]
