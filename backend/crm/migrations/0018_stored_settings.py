from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0017_campaigns')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StoredSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation_name', fields.CharField(null=True, max_length=200)),
                ('default_country', fields.CharField(null=True, max_length=2)),
                ('invite_expiry_days', fields.IntField(null=True)),
                ('sms_enabled', fields.BooleanField(null=True)),
                ('mail_from_name', fields.CharField(null=True, max_length=200)),
                ('mail_from_address', fields.CharField(null=True, max_length=254)),
                ('updated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_by', fields.ForeignKeyField('crm.StaffUser', source_field='updated_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'stored_settings', 'app': 'crm', 'pk_attr': 'id', 'table_description': 'One row (id 1). An empty column means "as the environment says" (CRM_*).'},
            bases=['Model'],
        ),
    ]
