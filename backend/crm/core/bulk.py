"""Raw, batched SQL for the bulk writers (demo data, the importer, group membership).

The ORM builds a model object per row and cannot hand back ids from a bulk insert, which
is fine for one contact and far too slow for a million. These helpers write rows with
one `executemany` per table, on either database.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from tortoise.backends.base.client import BaseDBAsyncClient


def placeholders(dialect: str, count: int, start: int = 1) -> str:
    if dialect == "sqlite":
        return ", ".join("?" * count)
    return ", ".join(f"${n}" for n in range(start, start + count))


def insert_sql(
    dialect: str, table: str, columns: Sequence[str], *, ignore_conflicts: bool = False
) -> str:
    """An INSERT of one row; `ignore_conflicts` skips rows a unique index already holds."""
    names = ", ".join(f'"{c}"' for c in columns)
    values = placeholders(dialect, len(columns))
    if not ignore_conflicts:
        return f'INSERT INTO "{table}" ({names}) VALUES ({values})'
    if dialect == "sqlite":
        return f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({values})'
    return f'INSERT INTO "{table}" ({names}) VALUES ({values}) ON CONFLICT DO NOTHING'


def id_table(dialect: str, placeholder: int) -> str:
    """A table `ids(id)` of the ids bound as one value at `placeholder` (see `id_list`): a
    set-based statement for any number of ids, where SQLite caps the parameters."""
    if dialect == "sqlite":
        return f"(SELECT value AS id FROM json_each(?{placeholder})) AS ids"
    return f"unnest(${placeholder}::int[]) AS ids(id)"


def id_list(dialect: str, ids: Sequence[int]) -> str | list[int]:
    """The value to bind for an `id_table`: a JSON array on SQLite, an int[] on PostgreSQL."""
    return json.dumps(list(ids)) if dialect == "sqlite" else list(ids)


async def reserve_ids(conn: BaseDBAsyncClient, dialect: str, table: str, count: int) -> list[int]:
    """Ids for `count` new rows of `table`, taken inside the caller's transaction.

    On SQLite the caller must already have written in this transaction (holding the write
    lock), so no other writer can take the same ids before the rows go in.
    """
    if count == 0:
        return []
    if dialect == "postgres":
        rows = await conn.execute_query_dict(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS id "
            "FROM generate_series(1, $1)",
            [count],
        )
        return [row["id"] for row in rows]
    rows = await conn.execute_query_dict(
        f"SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0), "
        f'COALESCE((SELECT max(id) FROM "{table}"), 0)) AS top'
    )
    top = int(rows[0]["top"])
    return list(range(top + 1, top + 1 + count))


async def ids_by_key(
    conn: BaseDBAsyncClient, dialect: str, table: str, column: str, keys: Sequence[str]
) -> dict[str, int]:
    """`{key: id}` for the rows of `table` whose `column` is one of `keys`."""
    if not keys:
        return {}
    found: dict[str, int] = {}
    if dialect == "postgres":
        rows = await conn.execute_query_dict(
            f'SELECT id, "{column}" AS key FROM "{table}" WHERE "{column}" = ANY($1::text[])',
            [list(keys)],
        )
        return {row["key"]: row["id"] for row in rows}
    # SQLite caps the number of parameters per statement.
    for start in range(0, len(keys), 900):
        chunk = list(keys[start : start + 900])
        rows = await conn.execute_query_dict(
            f'SELECT id, "{column}" AS key FROM "{table}" '
            f'WHERE "{column}" IN ({placeholders(dialect, len(chunk))})',
            chunk,
        )
        found.update({row["key"]: row["id"] for row in rows})
    return found
