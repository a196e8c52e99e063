from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("crm", "0027_tasks_owners")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ImportUploadChunk",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "job",
                    fields.ForeignKeyField(
                        "crm.ImportJob",
                        source_field="job_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="upload_chunks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("position", fields.IntField()),
                ("data", fields.BinaryField()),
            ],
            options={
                "table": "import_upload_chunk",
                "app": "crm",
                "unique_together": (("job_id", "position"),),
                "pk_attr": "id",
                "table_description": "A piece of an uploaded file, kept in the database until its job ends, so that a runner",
            },
            bases=["Model"],
        ),
    ]
