from tortoise import migrations
from tortoise.migrations import operations as ops
from crm.campaigns.models import CampaignStatus, PartKind, RecipientStatus, SkipReason
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0016_outbox_logged')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Campaign',
            fields=[
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('name_key', fields.CharField(default='', max_length=200)),
                ('subject', fields.CharField(default='', max_length=500)),
                ('body', fields.TextField(default='', unique=False)),
                ('status', fields.CharEnumField(default=CampaignStatus.DRAFT, description='DRAFT: DRAFT\nSCHEDULED: SCHEDULED\nSENDING: SENDING\nSENT: SENT\nCANCELLED: CANCELLED', enum_type=CampaignStatus, max_length=9)),
                ('scheduled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('queued_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_by', fields.ForeignKeyField('crm.StaffUser', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='campaigns', on_delete=OnDelete.SET_NULL)),
                ('claimed_by', fields.CharField(null=True, max_length=100)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('queued_part', fields.IntField(default=0)),
                ('queued_to_contact', fields.IntField(default=0)),
            ],
            options={'table': 'campaign', 'app': 'crm', 'indexes': [Index(fields=['status', 'scheduled_at'])], 'pk_attr': 'id'},
            bases=['TimestampFields', 'Model'],
        ),
        ops.CreateModel(
            name='CampaignPart',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('campaign', fields.ForeignKeyField('crm.Campaign', source_field='campaign_id', db_constraint=True, to_field='id', related_name='parts', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='GROUP: GROUP\nSEGMENT: SEGMENT\nCONTACT: CONTACT', enum_type=PartKind, max_length=7)),
                ('group', fields.ForeignKeyField('crm.Group', source_field='group_id', null=True, db_constraint=True, to_field='id', related_name='campaign_parts', on_delete=OnDelete.SET_NULL)),
                ('segment', fields.ForeignKeyField('crm.Segment', source_field='segment_id', null=True, db_constraint=True, to_field='id', related_name='campaign_parts', on_delete=OnDelete.SET_NULL)),
                ('contact', fields.ForeignKeyField('crm.Contact', source_field='contact_id', null=True, db_constraint=True, to_field='id', related_name='campaign_parts', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'campaign_part', 'app': 'crm', 'indexes': [Index(fields=['campaign_id', 'kind'])], 'pk_attr': 'id', 'table_description': 'One part of the audience: a group, a segment (evaluated when the campaign is sent),'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CampaignRecipient',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('campaign', fields.ForeignKeyField('crm.Campaign', source_field='campaign_id', db_constraint=True, to_field='id', related_name='recipients', on_delete=OnDelete.CASCADE)),
                ('contact', fields.ForeignKeyField('crm.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='campaign_receipts', on_delete=OnDelete.CASCADE)),
                ('email', fields.CharField(default='', max_length=254)),
                ('email_key', fields.CharField(null=True, max_length=254)),
                ('status', fields.CharEnumField(description='QUEUED: QUEUED\nSENT: SENT\nLOGGED: LOGGED\nFAILED: FAILED\nSKIPPED: SKIPPED', enum_type=RecipientStatus, max_length=7)),
                ('reason', fields.CharEnumField(null=True, description='NO_CONSENT: NO_CONSENT\nNO_EMAIL: NO_EMAIL\nARCHIVED: ARCHIVED\nCANCELLED: CANCELLED', enum_type=SkipReason, max_length=10)),
                ('message', fields.ForeignKeyField('crm.OutboxMessage', source_field='message_id', null=True, db_constraint=True, to_field='id', related_name='campaign_recipient', on_delete=OnDelete.SET_NULL)),
                ('unsubscribed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'campaign_recipient', 'app': 'crm', 'unique_together': (('campaign_id', 'email_key'), ('campaign_id', 'contact_id')), 'indexes': [Index(fields=['campaign_id', 'status'])], 'pk_attr': 'id', 'table_description': 'Who the campaign went to (or skipped, and why). Erasing the contact erases the row:'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='priority',
            field=fields.SmallIntField(default=0),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['status', 'priority', 'id']),
        ),
    ]
