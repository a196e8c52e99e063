"""`crm backup FILE` and `crm restore FILE`: a consistent copy of the database while the app
runs, and that copy put back.

SQLite: its online backup API copies every page in one step under a read transaction, so the
copy is the database as of one moment while the app goes on writing (WAL lets it). PostgreSQL:
`pg_dump --format=custom`, one snapshot too, and `pg_restore`. The server's address and
credentials reach the tools through the PG* environment variables, never their command line
(which other users of the machine can read).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import asyncpg

from crm.db import private_sqlite_file

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
MIGRATIONS_TABLE = "tortoise_migrations"
PG_CLIENT_HINT = (
    "it comes with PostgreSQL's client tools (Debian/Ubuntu: apt-get install postgresql-client; "
    "use the version of the server or newer)"
)


class BackupError(RuntimeError):
    """What went wrong, said for the person running the command."""


@dataclass(frozen=True)
class Database:
    """CRM_DATABASE_URL taken apart: a SQLite file, or a PostgreSQL server and database."""

    kind: str  # "sqlite" or "postgres"
    sqlite_path: Path | None = None
    pg_env: tuple[tuple[str, str], ...] = ()
    pg_name: str = ""

    @classmethod
    def from_url(cls, url: str) -> Database:
        parts = urlsplit(url)
        if parts.scheme == "sqlite":
            path = url.removeprefix("sqlite://")
            if path == ":memory:":
                raise BackupError("An in-memory SQLite database cannot be backed up or restored")
            return cls("sqlite", sqlite_path=Path(path))
        name = unquote(parts.path.lstrip("/"))
        env = {
            "PGHOST": parts.hostname or "",
            "PGPORT": str(parts.port or ""),
            "PGUSER": unquote(parts.username or ""),
            "PGPASSWORD": unquote(parts.password or ""),
            "PGDATABASE": name,
            "PGSSLMODE": _ssl_mode(parse_qs(parts.query)),
        }
        return cls("postgres", pg_env=tuple((k, v) for k, v in env.items() if v), pg_name=name)

    @property
    def label(self) -> str:
        return "SQLite" if self.kind == "sqlite" else "PostgreSQL"

    def tool_env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        return {**inherited, **dict(self.pg_env)}

    def asyncpg_options(self) -> dict[str, object]:
        env = dict(self.pg_env)
        return {
            "host": env.get("PGHOST"),
            "port": int(env["PGPORT"]) if "PGPORT" in env else None,
            "user": env.get("PGUSER"),
            "password": env.get("PGPASSWORD"),
            "database": self.pg_name,
            "ssl": env.get("PGSSLMODE"),
        }


def _ssl_mode(options: dict[str, list[str]]) -> str:
    if "sslmode" in options:
        return options["sslmode"][-1]
    if options.get("ssl", ["false"])[-1].lower() in {"1", "true", "require"}:
        return "require"
    return ""


# ---- backup --------------------------------------------------------------------------------


async def backup(database_url: str, target: Path) -> str:
    """Write a consistent copy of the database to `target` (replaced only once it is whole);
    returns what was done, in a sentence."""
    database = Database.from_url(database_url)
    partial = target.with_name(f".{target.name}.partial")
    try:
        if database.kind == "sqlite":
            assert database.sqlite_path is not None
            await asyncio.to_thread(_sqlite_copy, database.sqlite_path, partial)
        else:
            await _pg_dump(database, partial)
        size = await asyncio.to_thread(_put_in_place, partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return f"Backed up the {database.label} database to {target} ({size / 1e6:.1f} MB)."


def _put_in_place(partial: Path, target: Path) -> int:
    """Give the whole copy its name (a reader never finds half a backup); its size."""
    partial.replace(target)
    return target.stat().st_size


def _sqlite_copy(source_path: Path, target: Path) -> None:
    """Copy a SQLite database with its backup API, in one step: one read transaction, so one
    moment's state even while others write (a stepped copy restarts on every write)."""
    if not source_path.is_file():
        raise BackupError(f"There is no SQLite database at {source_path}")
    target.unlink(missing_ok=True)
    source = sqlite3.connect(source_path)
    try:
        source.execute("PRAGMA busy_timeout = 10000")
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            # One self-contained file (no -wal beside it); the app turns WAL on when it opens.
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    finally:
        source.close()


async def _pg_dump(database: Database, target: Path) -> None:
    await _run_tool(
        database,
        "pg_dump",
        ["--format=custom", "--no-password", f"--file={target}"],
    )


async def _run_tool(database: Database, tool: str, arguments: Sequence[str]) -> str:
    """Run one of PostgreSQL's tools with the connection in its environment; its output."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} is not installed or not on PATH: {PG_CLIENT_HINT}.")
    process = await asyncio.create_subprocess_exec(
        executable,
        *arguments,
        env=database.tool_env(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    output, errors = await process.communicate()
    if process.returncode != 0:
        said = errors.decode(errors="replace").strip() or f"exit status {process.returncode}"
        raise BackupError(f"{tool} failed: {said}")
    return output.decode(errors="replace")


# ---- restore -------------------------------------------------------------------------------


async def restore(database_url: str, source: Path, *, force: bool = False) -> str:
    """Put a backup made by `backup` back into the database. Refuses a file that is not a
    backup of this kind of database, and a database that holds data unless `force`."""
    database = Database.from_url(database_url)
    await _check_backup_file(database, source)
    if not force:
        filled = await tables_with_rows(database)
        if filled:
            shown = ", ".join(filled[:3]) + (", ..." if len(filled) > 3 else "")
            raise BackupError(
                f"The {database.label} database already holds data ({shown}); restoring would "
                "replace it. Stop the app, and run the command again with --force to replace it."
            )
    if database.kind == "sqlite":
        assert database.sqlite_path is not None
        await asyncio.to_thread(_sqlite_restore, source, database.sqlite_path)
    else:
        await _run_tool(
            database,
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--no-password",
                f"--dbname={database.pg_name}",
                str(source),
            ],
        )
    return (
        f"Restored {source} into the {database.label} database. If this version of the CRM is "
        "newer than the backup, run `crm migrate` before serving."
    )


async def _check_backup_file(database: Database, source: Path) -> None:
    try:
        with source.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"Cannot read {source}: {error.strerror}") from None
    kind = (
        "sqlite"
        if header == SQLITE_HEADER
        else "postgres"
        if header.startswith(PG_DUMP_HEADER)
        else None
    )
    if kind is None:
        raise BackupError(f"{source} is not a backup made by `crm backup`")
    if kind != database.kind:
        made = "SQLite" if kind == "sqlite" else "PostgreSQL"
        raise BackupError(
            f"{source} is a backup of a {made} database, but CRM_DATABASE_URL names a "
            f"{database.label} database"
        )
    if kind == "sqlite":
        await asyncio.to_thread(_check_sqlite_backup, source)
    elif f" TABLE public {MIGRATIONS_TABLE} " not in await _run_tool(
        database, "pg_restore", ["--list", str(source)]
    ):
        raise BackupError(f"{source} is a PostgreSQL dump, but not of a CRM database")


def _check_sqlite_backup(source: Path) -> None:
    copy = _read_only(source)
    try:
        (verdict,) = copy.execute("PRAGMA quick_check").fetchone()
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is damaged: {error}") from None
    finally:
        copy.close()
    if verdict != "ok":
        raise BackupError(f"{source} is damaged: {verdict}")
    if MIGRATIONS_TABLE not in tables:
        raise BackupError(f"{source} is a SQLite database, but not a CRM one")


def _sqlite_restore(source: Path, target: Path) -> None:
    """Copy the backup over the database through the backup API: other connections see the
    old database or the restored one, never a mix."""
    private_sqlite_file(target)
    backup_copy = _read_only(source)
    try:
        database = sqlite3.connect(target)
        try:
            database.execute("PRAGMA busy_timeout = 10000")
            backup_copy.backup(database)
        finally:
            database.close()
    finally:
        backup_copy.close()


async def tables_with_rows(database: Database) -> list[str]:
    """The tables of the database that hold rows, besides the record of migrations."""
    if database.kind == "sqlite":
        assert database.sqlite_path is not None
        return await asyncio.to_thread(_sqlite_tables_with_rows, database.sqlite_path)
    try:
        connection = await asyncpg.connect(**database.asyncpg_options())
    except (OSError, asyncpg.PostgresError) as error:
        raise BackupError(f"Cannot reach the PostgreSQL database: {error}") from None
    try:
        names = await connection.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        filled = []
        for (name,) in names:
            if name != MIGRATIONS_TABLE and await connection.fetchval(
                f'SELECT EXISTS (SELECT 1 FROM "{name}")'
            ):
                filled.append(name)
        return filled
    finally:
        await connection.close()


def _sqlite_tables_with_rows(path: Path) -> list[str]:
    if not path.is_file():
        return []
    database = _read_only(path)
    try:
        # Not virtual tables nor their shadow tables: the search index follows its tables.
        names = [
            row[1]
            for row in database.execute("PRAGMA main.table_list")
            if row[2] == "table" and not row[1].startswith("sqlite_")
        ]
        return sorted(
            name
            for name in names
            if name != MIGRATIONS_TABLE
            and database.execute(f'SELECT EXISTS (SELECT 1 FROM "{name}")').fetchone()[0]
        )
    finally:
        database.close()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
