from tortoise import migrations
from tortoise.migrations import operations as ops
from crm.imports.models import InvalidValues, UnknownProducts
from tortoise.fields.db_defaults import SqlDefault
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0020_products')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ImportJob',
            name='invalid_values',
            field=fields.CharEnumField(default=InvalidValues.SKIP_ROW, description='SKIP_ROW: SKIP_ROW\nDROP_FIELD: DROP_FIELD', db_default=SqlDefault("'SKIP_ROW'"), enum_type=InvalidValues, max_length=10),
        ),
        ops.AddField(
            model_name='ImportJob',
            name='partial_count',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='ImportJob',
            name='unknown_products',
            field=fields.CharEnumField(default=UnknownProducts.REPORT, description='CREATE: CREATE\nREPORT: REPORT', db_default=SqlDefault("'REPORT'"), enum_type=UnknownProducts, max_length=6),
        ),
    ]
