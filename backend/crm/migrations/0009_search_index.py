"""Index the folded `search_text` columns so `search` no longer reads every row.

The services (and the bulk writer in crm.demo) keep computing `search_text`; the database
indexes it itself, so every write path (ORM saves, raw bulk INSERTs, UPDATEs, DELETEs,
ON DELETE SET NULL) stays in step without application code:

- PostgreSQL: pg_trgm GIN indexes; `search_text LIKE '% term%'` uses them as they are.
- SQLite: FTS5 tables with the trigram tokenizer over the columns (external content, so the
  text is not stored twice), kept in step by AFTER INSERT/UPDATE/DELETE triggers, backfilled
  with 'rebuild'. `search_text GLOB '* term*'` on them uses the trigram index.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

TABLES = ("contact", "company")


def _sqlite_forward(table: str) -> list[str]:
    fts = f"{table}_fts"
    # case_sensitive 1: the text is folded already, and GLOB (exact, no `_`/`%` wildcards)
    # is then served by the index.
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', "
        f"content_rowid='id', tokenize='trigram case_sensitive 1', detail='none')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF id, search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _sqlite_backward(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"DROP TRIGGER IF EXISTS {fts}_insert",
        f"DROP TRIGGER IF EXISTS {fts}_delete",
        f"DROP TRIGGER IF EXISTS {fts}_update",
        f"DROP TABLE IF EXISTS {fts}",
    ]


def _statements(dialect: str, forward: bool) -> list[str]:
    if dialect == "sqlite":
        make = _sqlite_forward if forward else _sqlite_backward
        return [sql for table in TABLES for sql in make(table)]
    if forward:
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        return ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
            f"CREATE INDEX {table}_search_text_trgm ON {table} USING gin (search_text gin_trgm_ops)"
            for table in TABLES
        ]
    return [f"DROP INDEX IF EXISTS {table}_search_text_trgm" for table in TABLES]


async def create_search_index(apps, schema_editor) -> None:
    client = schema_editor.client
    for sql in _statements(client.capabilities.dialect, forward=True):
        await client.execute_script(sql)


async def drop_search_index(apps, schema_editor) -> None:
    client = schema_editor.client
    for sql in _statements(client.capabilities.dialect, forward=False):
        await client.execute_script(sql)


class Migration(migrations.Migration):
    dependencies = [("crm", "0008_list_order_indexes")]

    initial = False

    operations = [ops.RunPython(create_search_index, drop_search_index)]
