from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0018_settings_and_staff_accounts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ContactAvatar',
            fields=[
                ('contact', fields.OneToOneField('crm.Contact', source_field='contact_id', primary_key=True, db_index=True, db_constraint=True, to_field='id', related_name='avatar', on_delete=OnDelete.CASCADE)),
                ('large', fields.BinaryField()),
                ('small', fields.BinaryField()),
                ('version', fields.BigIntField()),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'contact_avatar', 'app': 'crm', 'pk_attr': 'contact_id', 'table_description': "The contact's avatar as served: WebP squares. Erasing the contact erases it."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Contact',
            name='avatar_version',
            field=fields.BigIntField(default=0, db_default=0),
        ),
    ]
