from tortoise import migrations
from tortoise.migrations import operations as ops
from crm.portal.models import InvitationStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0006_outbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Invitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.ForeignKeyField('crm.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('status', fields.CharEnumField(default=InvitationStatus.PENDING, description='PENDING: PENDING\nACCEPTED: ACCEPTED\nREVOKED: REVOKED\nEXPIRED: EXPIRED\nSUPERSEDED: SUPERSEDED', enum_type=InvitationStatus, max_length=10)),
                ('email', fields.CharField(max_length=254)),
                ('sent_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('accepted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('message', fields.ForeignKeyField('crm.OutboxMessage', source_field='message_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('invited_by', fields.ForeignKeyField('crm.StaffUser', source_field='invited_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'invitation', 'app': 'crm', 'indexes': [Index(fields=['contact_id', 'status'])], 'pk_attr': 'id', 'table_description': "One invitation email. Only the HMAC of its link's token is stored."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PasswordReset',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.ForeignKeyField('crm.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='password_resets', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'password_reset', 'app': 'crm', 'pk_attr': 'id', 'table_description': 'A single-use, short-lived password-reset link for an active portal contact.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PortalAccount',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.OneToOneField('crm.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='portal_account', on_delete=OnDelete.CASCADE)),
                ('password_hash', fields.CharField(max_length=255)),
                ('password_changed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'portal_account', 'app': 'crm', 'pk_attr': 'id', 'table_description': 'The portal password of an activated contact, kept apart from the contact row.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Contact',
            name='portal_activated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Contact',
            name='portal_invited_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Contact',
            name='portal_last_invited_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Contact',
            name='portal_last_login_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Session',
            name='contact',
            field=fields.ForeignKeyField('crm.Contact', source_field='contact_id', null=True, db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE),
        ),
    ]
