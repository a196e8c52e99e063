from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0017_campaigns')]

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
                ('logo', fields.BinaryField(null=True)),
                ('has_logo', fields.BooleanField(default=False)),
                ('logo_version', fields.IntField(default=0)),
                ('updated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_by', fields.ForeignKeyField('crm.StaffUser', source_field='updated_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'stored_settings', 'app': 'crm', 'pk_attr': 'id', 'table_description': 'One row (id 1). An empty column means "as the environment says" (CRM_*).'},
            bases=['Model'],
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
