from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from crm.bulk.models import BulkAction, BulkState
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0029_contact_tallies')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BulkOperation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('action', fields.CharEnumField(description='ADD_TO_GROUP: ADD_TO_GROUP\nREMOVE_FROM_GROUP: REMOVE_FROM_GROUP\nSET_TYPE: SET_TYPE\nSET_STATUS: SET_STATUS\nSET_OWNER: SET_OWNER\nSET_COMPANY: SET_COMPANY\nADD_PRODUCT: ADD_PRODUCT\nINVITE: INVITE\nARCHIVE: ARCHIVE\nRESTORE: RESTORE\nDELETE: DELETE', enum_type=BulkAction, max_length=20)),
                ('params', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('selection', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('state', fields.CharEnumField(default=BulkState.QUEUED, description='QUEUED: QUEUED\nRUNNING: RUNNING\nDONE: DONE\nFAILED: FAILED\nCANCELLED: CANCELLED', enum_type=BulkState, max_length=10)),
                ('total', fields.IntField(default=0)),
                ('processed', fields.IntField(default=0)),
                ('changed', fields.IntField(default=0)),
                ('skipped', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('failed', fields.IntField(default=0)),
                ('last_contact_id', fields.IntField(default=0)),
                ('error_message', fields.TextField(null=True, unique=False)),
                ('created_by', fields.ForeignKeyField('crm.StaffUser', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='bulk_operations', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('claimed_by', fields.CharField(null=True, max_length=100)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'bulk_operation', 'app': 'crm', 'indexes': [Index(fields=['state', 'lease_until'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
