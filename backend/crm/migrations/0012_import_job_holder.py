from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('crm', '0011_login_attempts')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ImportJob',
            name='claimed_by',
            field=fields.CharField(null=True, max_length=100),
        ),
    ]
