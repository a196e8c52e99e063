"""Asking the database's search index for rows whose `search_text` contains some text.

SQLite keeps a trigram FTS5 table per searchable table (`contact_fts`, `company_fts`),
PostgreSQL a pg_trgm GIN index on the column (migration 0009); both are kept in step by the
database itself, so every write path is searchable at once.
"""

from __future__ import annotations

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Term, ValueWrapper

from crm.db import dialect


class SearchSQL(Term):
    """A piece of SQL: fixed text (str) and terms; user values go in as `ValueWrapper` terms,
    which become query parameters."""

    def __init__(self, *parts: str | Term) -> None:
        super().__init__()
        self.parts = parts

    def get_sql(self, ctx: SqlContext) -> str:
        return "".join(part if isinstance(part, str) else part.get_sql(ctx) for part in self.parts)


# The shortest text the index finds by itself: trigrams, so " " + a term of 2 characters.
MIN_INDEXED_LENGTH = 3


def glob_literal(text: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in text)


def like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def rows_containing(table: str, texts: list[str], *, every: bool = False) -> SearchSQL:
    """`SELECT id FROM table` whose search_text contains any (or every) text, by the index.

    SQLite: the trigram FTS5 table `<table>_fts` (migration 0009), GLOB so that `_` and `%`
    are literal; "every" is one FTS query (FTS5 intersects the trigram lists itself), "any" a
    UNION ALL (FTS5 cannot serve an OR). PostgreSQL: LIKE on the column, served by its pg_trgm
    GIN index (BitmapAnd / BitmapOr; backslash is PostgreSQL's default LIKE escape). Each text
    needs MIN_INDEXED_LENGTH characters.
    """
    if dialect() == "sqlite":
        select = f"SELECT rowid FROM {table}_fts WHERE "
        parts: list[str | Term] = [select]
        for index, text in enumerate(texts):
            if index:
                parts.append(" AND " if every else f" UNION ALL {select}")
            parts += ["search_text GLOB ", ValueWrapper(f"*{glob_literal(text)}*")]
        return SearchSQL(*parts)
    parts = [f"SELECT id FROM {table} WHERE "]
    for index, text in enumerate(texts):
        if index:
            parts.append(" AND " if every else " OR ")
        parts += ["search_text LIKE ", ValueWrapper(f"%{like_literal(text)}%")]
    return SearchSQL(*parts)


def indexed(text: str) -> bool:
    return len(text) >= MIN_INDEXED_LENGTH


def like(column: str, text: str) -> list[str | Term]:
    """`column` contains `text`, checked on a row at hand (no index needed)."""
    return [f"{column} LIKE ", ValueWrapper(f"%{like_literal(text)}%"), " ESCAPE '\\'"]
