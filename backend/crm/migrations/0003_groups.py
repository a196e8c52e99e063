from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('crm', '0002_one_primary_contact')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Group',
            fields=[
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('name_key', fields.CharField(unique=True, max_length=100)),
                ('description', fields.TextField(null=True, unique=False)),
                ('colour', fields.CharField(null=True, max_length=7)),
            ],
            options={'table': 'contact_group', 'app': 'crm', 'pk_attr': 'id'},
            bases=['TimestampFields', 'Model'],
        ),
        ops.CreateModel(
            name='GroupMembership',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('crm.Group', source_field='group_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('contact', fields.ForeignKeyField('crm.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('added_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'group_membership', 'app': 'crm', 'unique_together': (('group', 'contact'),), 'indexes': [Index(fields=['contact_id', 'group_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
