"""Contact tallies: how many contacts have each type, status, portal status and archived
flag, kept by the database itself as rows of changes (see crm.home.models.ContactTallyChange),
so that every write path (ORM saves, the importer's and demo data's raw INSERTs, merges,
deletes, ON DELETE of a company) keeps them without application code.

- SQLite: a row per contact inserted or deleted, two per contact moved from one combination
  to another (AFTER … triggers; an UPDATE that moves nothing writes nothing).
- PostgreSQL: INSERT and DELETE write one row per combination per statement (statement
  triggers over transition tables: a 1,000-row import batch adds a handful of rows); an
  UPDATE that moves a contact writes two rows (a row trigger on the four columns).
Backfilled from the contacts there are.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

_KEY = "type, status, portal_status, archived"
_INSERT = f"INSERT INTO contact_tally_change ({_KEY}, change)"
_MOVED = (
    "old.type IS DISTINCT FROM new.type OR old.status IS DISTINCT FROM new.status "
    "OR old.portal_status IS DISTINCT FROM new.portal_status "
    "OR (old.archived_at IS NULL) <> (new.archived_at IS NULL)"
)


def _row(prefix: str, change: int) -> str:
    return (
        f"{_INSERT} VALUES ({prefix}.type, {prefix}.status, {prefix}.portal_status, "
        f"{prefix}.archived_at IS NOT NULL, {change});"
    )


SQLITE = [
    f"CREATE TRIGGER contact_tally_insert AFTER INSERT ON contact BEGIN {_row('new', 1)} END",
    f"CREATE TRIGGER contact_tally_delete AFTER DELETE ON contact BEGIN {_row('old', -1)} END",
    "CREATE TRIGGER contact_tally_update AFTER UPDATE OF type, status, portal_status, "
    f"archived_at ON contact WHEN {_MOVED.replace('IS DISTINCT FROM', 'IS NOT')} "
    f"BEGIN {_row('old', -1)} {_row('new', 1)} END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS contact_tally_insert",
    "DROP TRIGGER IF EXISTS contact_tally_delete",
    "DROP TRIGGER IF EXISTS contact_tally_update",
]


def _grouped(table: str, sign: str) -> str:
    return (
        f"{_INSERT} SELECT type, status, portal_status, archived_at IS NOT NULL, "
        f"{sign}COUNT(*) FROM {table} GROUP BY 1, 2, 3, 4;"
    )


POSTGRES = [
    "CREATE FUNCTION contact_tally_statement() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP = 'INSERT' THEN {_grouped('new_rows', '')} "
    f"ELSE {_grouped('old_rows', '-')} END IF; RETURN NULL; END $$",
    "CREATE FUNCTION contact_tally_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"{_row('old', -1)} {_row('new', 1)} RETURN NULL; END $$",
    "CREATE TRIGGER contact_tally_insert AFTER INSERT ON contact REFERENCING NEW TABLE AS "
    "new_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_tally_statement()",
    "CREATE TRIGGER contact_tally_delete AFTER DELETE ON contact REFERENCING OLD TABLE AS "
    "old_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_tally_statement()",
    "CREATE TRIGGER contact_tally_update AFTER UPDATE OF type, status, portal_status, "
    f"archived_at ON contact FOR EACH ROW WHEN ({_MOVED}) EXECUTE FUNCTION contact_tally_row()",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS contact_tally_insert ON contact",
    "DROP TRIGGER IF EXISTS contact_tally_delete ON contact",
    "DROP TRIGGER IF EXISTS contact_tally_update ON contact",
    "DROP FUNCTION IF EXISTS contact_tally_statement()",
    "DROP FUNCTION IF EXISTS contact_tally_row()",
]
BACKFILL = _grouped("contact", "")


async def create_triggers(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    for sql in [*(POSTGRES if postgres else SQLITE), BACKFILL]:
        await client.execute_script(sql)


async def drop_triggers(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    for sql in POSTGRES_BACKWARD if postgres else SQLITE_BACKWARD:
        await client.execute_script(sql)


class Migration(migrations.Migration):
    dependencies = [("crm", "0028_import_upload_chunks")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ContactTallyChange",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("type", fields.CharField(max_length=10)),
                ("status", fields.CharField(max_length=12)),
                ("portal_status", fields.CharField(max_length=12)),
                ("archived", fields.BooleanField()),
                ("change", fields.IntField()),
            ],
            options={
                "table": "contact_tally_change",
                "app": "crm",
                "pk_attr": "id",
                "table_description": "How many contacts have a type, status, portal status and archived flag, as changes",
            },
            bases=["Model"],
        ),
        ops.RunPython(create_triggers, drop_triggers),
    ]
