from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('crm', '0013_notes_and_timeline')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='TimelineEvent',
            index=Index(fields=['subject_contact_id']),
        ),
        ops.AddIndex(
            model_name='TimelineEvent',
            index=Index(fields=['note_id']),
        ),
        ops.AddIndex(
            model_name='TimelineEvent',
            index=Index(fields=['actor_id']),
        ),
    ]
