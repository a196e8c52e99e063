from tortoise import migrations
from tortoise.migrations import operations as ops
from crm.imports.mapping import ImportTarget
from tortoise.fields.db_defaults import SqlDefault
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0021_import_options')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ImportJob',
            name='target',
            field=fields.CharEnumField(default=ImportTarget.CONTACTS, description='CONTACTS: CONTACTS\nCOMPANIES: COMPANIES', db_default=SqlDefault("'CONTACTS'"), enum_type=ImportTarget, max_length=10),
        ),
    ]
