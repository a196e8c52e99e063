from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0019_contact_avatars')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Product',
            fields=[
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('name_key', fields.CharField(unique=True, max_length=200)),
                ('code', fields.CharField(null=True, max_length=50)),
                ('description', fields.TextField(default='', unique=False)),
                ('archived_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'product', 'app': 'crm', 'pk_attr': 'id'},
            bases=['TimestampFields', 'Model'],
        ),
        ops.CreateModel(
            name='CompanyProduct',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('crm.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='product_links', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('crm.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='company_links', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'company_product', 'app': 'crm', 'unique_together': (('company_id', 'product_id'),), 'indexes': [Index(fields=['product_id', 'company_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ContactProduct',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.ForeignKeyField('crm.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='product_links', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('crm.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='contact_links', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'contact_product', 'app': 'crm', 'unique_together': (('contact_id', 'product_id'),), 'indexes': [Index(fields=['product_id', 'contact_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='ContactAvatar',
            options={'table': 'contact_avatar', 'app': 'crm', 'pk_attr': 'contact_id', 'table_description': "The contact's avatar as served: WebP squares. Erasing the contact erases it."},
        ),
    ]
