from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0022_import_target')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='CampaignPart',
            index=Index(fields=['contact_id']),
        ),
        ops.AddIndex(
            model_name='CampaignRecipient',
            index=Index(fields=['message_id']),
        ),
        ops.AddIndex(
            model_name='CampaignRecipient',
            index=Index(fields=['contact_id']),
        ),
    ]
