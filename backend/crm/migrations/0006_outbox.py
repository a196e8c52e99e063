from tortoise import migrations
from tortoise.migrations import operations as ops
from crm.mail.models import MessageStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0005_segments')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=20)),
                ('to_address', fields.CharField(max_length=254)),
                ('to_name', fields.CharField(default='', max_length=200)),
                ('subject', fields.CharField(max_length=500)),
                ('text_body', fields.TextField(unique=False)),
                ('html_body', fields.TextField(unique=False)),
                ('message_id', fields.CharField(max_length=200)),
                ('status', fields.CharEnumField(default=MessageStatus.QUEUED, description='QUEUED: QUEUED\nSENDING: SENDING\nSENT: SENT\nFAILED: FAILED', enum_type=MessageStatus, max_length=7)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('claimed_by', fields.CharField(null=True, max_length=100)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('contact', fields.ForeignKeyField('crm.Contact', source_field='contact_id', null=True, db_constraint=True, to_field='id', related_name='outbox_messages', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'outbox_message', 'app': 'crm', 'indexes': [Index(fields=['status', 'next_attempt_at']), Index(fields=['status', 'lease_until'])], 'pk_attr': 'id'},
            bases=['TimestampFields', 'Model'],
        ),
    ]
