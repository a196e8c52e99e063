"""The `db` fixture: each test starts with every table empty, so no rows leak between tests."""

from __future__ import annotations

import re

from tortoise import connections

from crm.companies.models import Company
from crm.contacts.models import Contact
from crm.demo import create_demo_data
from tests.conftest import empty_tables, model_tables

# The migrations applied: the schema's history, not data a test writes.
MIGRATION_RECORD = "tortoise_migrations"
_EXTERNAL_CONTENT = re.compile(r"content\s*=\s*'(\w+)'")


async def _rows(sql: str) -> list[tuple]:
    _, rows = await connections.get("default").execute_query(sql)
    return [tuple(row) for row in rows]


async def test_every_table_in_the_database_is_emptied(db: str) -> None:
    # given the tables the migrations made
    if db == "postgres":
        tables = {
            name
            for (name,) in await _rows(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        }
        full_text: set[tuple[str, str]] = set()
    else:
        listed = await _rows("PRAGMA table_list")
        assert listed, "SQLite 3.37 or later lists its tables"
        tables = {name for schema, name, kind, *_ in listed if (schema, kind) == ("main", "table")}
        tables = {name for name in tables if not name.startswith("sqlite_")}
        full_text = {
            (name, sql)
            for name, sql in await _rows(
                "SELECT name, sql FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
        }

    # then the fixture empties every ordinary one
    emptied = set(model_tables())
    assert tables - {MIGRATION_RECORD} == emptied
    # and every full-text table indexes one of them (its rows are that table's)
    for name, sql in full_text:
        content = _EXTERNAL_CONTENT.search(sql)
        assert content is not None and content.group(1) in emptied, name


async def test_emptied_tables_restart_their_ids_and_keep_the_search_index_in_step(
    db: str,
) -> None:
    # given contacts and companies, and the search index over them
    await create_demo_data(40, seed=2)

    # when the tables are emptied
    await empty_tables(db)

    # then nothing is left, the next rows start again at id 1
    assert await Contact.all().count() == 0
    assert (await Company.create(name="Acme", sort_name="acme", search_text=" acme")).id == 1
    assert (await Contact.create(last_name="Doe", sort_name="doe")).id == 1
    # and SQLite's full-text index agrees with its tables (rank 1: checked against their rows)
    if db == "sqlite":
        for index in ("contact_fts", "company_fts"):
            await connections.get("default").execute_script(
                f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"
            )
