from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0018_stored_settings')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SetupLink',
            fields=[
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
            ],
            options={'table': 'setup_link', 'app': 'crm', 'pk_attr': 'id', 'table_description': 'The link `crm serve` prints while nobody has a staff account: it creates the first'},
            bases=['OneTimeLink'],
        ),
        ops.CreateModel(
            name='StaffInviteLink',
            fields=[
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('staff_user', fields.ForeignKeyField('crm.StaffUser', source_field='staff_user_id', db_constraint=True, to_field='id', related_name='invite_links', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'staff_invite_link', 'app': 'crm', 'pk_attr': 'id', 'table_description': 'The link an invited colleague follows to choose their password.'},
            bases=['OneTimeLink'],
        ),
        ops.CreateModel(
            name='StaffPasswordReset',
            fields=[
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('staff_user', fields.ForeignKeyField('crm.StaffUser', source_field='staff_user_id', db_constraint=True, to_field='id', related_name='password_resets', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'staff_password_reset', 'app': 'crm', 'pk_attr': 'id', 'table_description': 'A single-use, one-hour link to choose a new password ("forgot password").'},
            bases=['OneTimeLink'],
        ),
        ops.AddField(
            model_name='StaffUser',
            name='invited_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='StaffUser',
            name='invited_by',
            field=fields.ForeignKeyField('crm.StaffUser', source_field='invited_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
    ]
