from tortoise import migrations
from crm.core.migration_ops import AlterDescription
from tortoise.migrations import operations as ops
from crm.timeline.models import TimelineKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0024_secure_messages')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DuplicateCandidate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('low_contact', fields.ForeignKeyField('crm.Contact', source_field='low_contact_id', db_constraint=True, to_field='id', related_name='duplicates_as_low', on_delete=OnDelete.CASCADE)),
                ('high_contact', fields.ForeignKeyField('crm.Contact', source_field='high_contact_id', db_constraint=True, to_field='id', related_name='duplicates_as_high', on_delete=OnDelete.CASCADE)),
                ('score', fields.SmallIntField()),
                ('reasons', fields.CharField(max_length=100)),
                ('found_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('dismissed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('dismissed_by', fields.ForeignKeyField('crm.StaffUser', source_field='dismissed_by_id', null=True, db_constraint=True, to_field='id', related_name='dismissed_duplicates', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'duplicate_candidate', 'app': 'crm', 'unique_together': (('low_contact', 'high_contact'),), 'indexes': [Index(fields=['dismissed_at', 'score', 'id']), Index(fields=['high_contact_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DuplicateKey',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.ForeignKeyField('crm.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='duplicate_keys', on_delete=OnDelete.CASCADE)),
                ('key', fields.BigIntField()),
            ],
            options={'table': 'duplicate_key', 'app': 'crm', 'indexes': [Index(fields=['key', 'contact_id']), Index(fields=['contact_id'])], 'pk_attr': 'id', 'table_description': 'A blocking key of a contact: only contacts that share a key are compared.'},
            bases=['Model'],
        ),
        # The kind's new values fit its column: on SQLite an AlterField would rebuild the
        # table without its indexes.
        AlterDescription(
            model_name='TimelineEvent',
            name='kind',
            field=fields.CharEnumField(description='NOTE: NOTE\nCREATED: CREATED\nUPDATED: UPDATED\nARCHIVED: ARCHIVED\nRESTORED: RESTORED\nCONVERTED: CONVERTED\nINVITED: INVITED\nINVITE_RESENT: INVITE_RESENT\nINVITE_REVOKED: INVITE_REVOKED\nACTIVATED: ACTIVATED\nEMAIL_SENT: EMAIL_SENT\nEMAIL_FAILED: EMAIL_FAILED\nADDED_TO_GROUP: ADDED_TO_GROUP\nREMOVED_FROM_GROUP: REMOVED_FROM_GROUP\nIMPORTED: IMPORTED\nCAMPAIGN_SENT: CAMPAIGN_SENT\nUNSUBSCRIBED: UNSUBSCRIBED\nMESSAGE: MESSAGE\nMERGED: MERGED\nPRIMARY_CONTACT_SET: PRIMARY_CONTACT_SET\nIMPERSONATED: IMPERSONATED', enum_type=TimelineKind, max_length=20),
        ),
    ]
