from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0007_portal')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Contact',
            index=Index(fields=['archived_at', 'created_at']),
        ),
        ops.AddIndex(
            model_name='Contact',
            index=Index(fields=['archived_at', 'updated_at']),
        ),
        ops.AddIndex(
            model_name='Contact',
            index=Index(fields=['archived_at', 'last_contacted_at']),
        ),
    ]
