from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from crm.core.text import fold


async def fill_city_keys(apps, schema_editor) -> None:
    """Existing contacts get the folded city that the city filter compares with."""
    client = schema_editor.client
    placeholder = "?" if client.capabilities.dialect == "sqlite" else "$1"
    second = "?" if client.capabilities.dialect == "sqlite" else "$2"
    rows = await client.execute_query_dict(
        "SELECT DISTINCT city FROM contact WHERE city IS NOT NULL"
    )
    for row in rows:
        await client.execute_query(
            f"UPDATE contact SET city_key = {placeholder} WHERE city = {second}",
            [fold(row["city"]), row["city"]],
        )


class Migration(migrations.Migration):
    dependencies = [("crm", "0003_groups")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Contact",
            name="city_key",
            field=fields.CharField(null=True, db_index=True, max_length=100),
        ),
        ops.RunPython(fill_city_keys, ops.RunPython.noop),
    ]
