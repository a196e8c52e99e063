"""The migrated database has every index the models declare: a migration that rebuilds a
table (tortoise does, on SQLite, to alter a column) must not leave it without them."""

from __future__ import annotations

from tortoise import Tortoise, connections
from tortoise.indexes import Index


async def _index_columns(db: str, table: str) -> set[tuple[str, ...]]:
    conn = connections.get("default")
    if db == "postgres":
        rows = await conn.execute_query_dict(
            "SELECT array_agg(a.attname ORDER BY k.ord) AS columns "
            "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
            "WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace "
            "GROUP BY i.indexrelid",
            [table],
        )
        return {tuple(row["columns"]) for row in rows}
    found = set()
    for index in await conn.execute_query_dict(f"PRAGMA index_list('{table}')"):
        info = await conn.execute_query_dict(f"PRAGMA index_info('{index['name']}')")
        found.add(tuple(column["name"] for column in sorted(info, key=lambda c: c["seqno"])))
    return found


def _declared(model: type) -> list[tuple[str, ...]]:
    meta = model._meta
    declared = []
    for index in meta.indexes:
        fields = index.fields if isinstance(index, Index) else index
        declared.append(tuple(meta.fields_db_projection.get(name, name) for name in fields))
    for name, field in meta.fields_map.items():
        if field.index and not field.pk and name in meta.fields_db_projection:
            declared.append((meta.fields_db_projection[name],))
    return declared


async def test_every_declared_index_exists_after_the_migrations(db: str) -> None:
    # given the database as the migrations left it
    missing = []
    for model in Tortoise.apps["crm"].values():
        if model._meta.abstract:
            continue
        existing = await _index_columns(db, model._meta.db_table)
        # then each index a model declares is there (or one that starts with its columns)
        for columns in _declared(model):
            if not any(found[: len(columns)] == columns for found in existing):
                missing.append(f"{model._meta.db_table}{columns}")
    assert missing == [], "\n".join(missing)


# Foreign keys left without an index of their own, on purpose: their parent is rarely deleted
# (a staff account, a group, a segment) or their table stays small (one-time links, the 20
# recently viewed contacts per user). Deleting a parent reads the whole child table otherwise.
UNINDEXED_FOREIGN_KEYS = {
    ("bulk_operation", "created_by_id"),
    ("campaign", "created_by_id"),
    ("campaign_part", "group_id"),
    ("campaign_part", "segment_id"),
    ("duplicate_candidate", "dismissed_by_id"),
    ("impersonation_link", "contact_id"),
    ("impersonation_link", "staff_user_id"),
    ("import_job", "created_by_id"),
    ("import_job", "group_id"),
    ("invitation", "invited_by_id"),
    ("note", "author_id"),
    ("recent_view", "contact_id"),
    ("secure_message", "author_id"),
    ("session", "impersonated_by_id"),
    ("staff_invite_link", "staff_user_id"),
    ("staff_password_reset", "staff_user_id"),
    ("staff_user", "invited_by_id"),
    ("stored_settings", "updated_by_id"),
    ("task", "created_by_id"),
    ("task", "done_by_id"),
}


async def test_deleting_a_contact_or_company_never_reads_a_whole_table(db: str) -> None:
    # given the database as the migrations left it
    unindexed = set()
    for model in Tortoise.apps["crm"].values():
        if model._meta.abstract:
            continue
        table = model._meta.db_table
        existing = await _index_columns(db, table)
        for name in model._meta.fk_fields:
            column = model._meta.fields_map[name].source_field
            if not any(found[0] == column for found in existing):
                unindexed.add((table, column))
    # then every foreign key leads an index, but for the few listed (and why)
    assert unindexed == UNINDEXED_FOREIGN_KEYS
