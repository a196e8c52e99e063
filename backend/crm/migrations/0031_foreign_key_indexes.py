from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0030_bulk_operations')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Invitation',
            index=Index(fields=['message_id']),
        ),
        ops.AddIndex(
            model_name='Note',
            index=Index(fields=['company_id']),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['contact_id']),
        ),
        ops.AddIndex(
            model_name='PasswordReset',
            index=Index(fields=['contact_id']),
        ),
        ops.AddIndex(
            model_name='Session',
            index=Index(fields=['staff_user_id']),
        ),
        ops.AddIndex(
            model_name='Session',
            index=Index(fields=['contact_id']),
        ),
    ]
