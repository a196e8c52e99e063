from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from crm.imports.models import DuplicateMode, ImportState
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0009_search_index')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ImportJob',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_by', fields.ForeignKeyField('crm.StaffUser', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='import_jobs', on_delete=OnDelete.SET_NULL)),
                ('file_name', fields.CharField(max_length=255)),
                ('stored_name', fields.CharField(max_length=100)),
                ('format', fields.CharField(max_length=4)),
                ('encoding', fields.CharField(null=True, max_length=20)),
                ('delimiter', fields.CharField(null=True, max_length=1)),
                ('header_row', fields.IntField(default=1)),
                ('headers', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('samples', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('mapping', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('duplicate_mode', fields.CharEnumField(default=DuplicateMode.SKIP, description='SKIP: SKIP\nUPDATE: UPDATE\nERROR: ERROR', enum_type=DuplicateMode, max_length=6)),
                ('group', fields.ForeignKeyField('crm.Group', source_field='group_id', null=True, db_constraint=True, to_field='id', related_name='import_jobs', on_delete=OnDelete.SET_NULL)),
                ('new_group_name', fields.CharField(null=True, max_length=100)),
                ('default_type', fields.CharField(default='LEAD', max_length=10)),
                ('default_status', fields.CharField(default='NEW', max_length=12)),
                ('state', fields.CharEnumField(default=ImportState.UPLOADED, description='UPLOADED: UPLOADED\nPREVIEWING: PREVIEWING\nPREVIEWED: PREVIEWED\nQUEUED: QUEUED\nRUNNING: RUNNING\nDONE: DONE\nFAILED: FAILED\nCANCELLED: CANCELLED', enum_type=ImportState, max_length=10)),
                ('total_rows', fields.IntField(null=True)),
                ('rows_done', fields.IntField(default=0)),
                ('created_count', fields.IntField(default=0)),
                ('updated_count', fields.IntField(default=0)),
                ('skipped_count', fields.IntField(default=0)),
                ('failed_count', fields.IntField(default=0)),
                ('preview', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('error_message', fields.TextField(null=True, unique=False)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'import_job', 'app': 'crm', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ImportFailedRow',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.ForeignKeyField('crm.ImportJob', source_field='job_id', db_constraint=True, to_field='id', related_name='failed_rows', on_delete=OnDelete.CASCADE)),
                ('row_number', fields.IntField()),
                ('cells', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('errors', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'import_failed_row', 'app': 'crm', 'indexes': [Index(fields=['job_id', 'row_number'])], 'pk_attr': 'id', 'table_description': 'A row the import refused, with its cells as read, ready to fix and import again.'},
            bases=['Model'],
        ),
    ]
