from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0004_contact_city_key')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Segment',
            fields=[
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('name_key', fields.CharField(unique=True, max_length=100)),
                ('filter_json', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('search', fields.CharField(null=True, max_length=200)),
            ],
            options={'table': 'segment', 'app': 'crm', 'pk_attr': 'id'},
            bases=['TimestampFields', 'Model'],
        ),
    ]
