from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0023_campaign_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ImpersonationLink',
            fields=[
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.ForeignKeyField('crm.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='impersonation_links', on_delete=OnDelete.CASCADE)),
                ('staff_user', fields.ForeignKeyField('crm.StaffUser', source_field='staff_user_id', db_constraint=True, to_field='id', related_name='impersonation_links', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'impersonation_link', 'app': 'crm', 'pk_attr': 'id', 'table_description': 'A one-minute, single-use link that opens the portal as `contact` for an ADMIN.'},
            bases=['OneTimeLink'],
        ),
        ops.CreateModel(
            name='SecureMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.ForeignKeyField('crm.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='secure_messages', on_delete=OnDelete.CASCADE)),
                ('body', fields.TextField(unique=False)),
                ('from_staff', fields.BooleanField()),
                ('author', fields.ForeignKeyField('crm.StaffUser', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='secure_messages', on_delete=OnDelete.SET_NULL)),
                ('author_name', fields.CharField(default='', max_length=200)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'secure_message', 'app': 'crm', 'indexes': [Index(fields=['contact_id', 'sent_at']), Index(fields=['from_staff', 'read_at', 'contact_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Session',
            name='impersonated_by',
            field=fields.ForeignKeyField('crm.StaffUser', source_field='impersonated_by_id', null=True, db_constraint=True, to_field='id', related_name='impersonations', on_delete=OnDelete.CASCADE),
        ),
    ]
