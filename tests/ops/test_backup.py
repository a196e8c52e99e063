"""`crm backup` while the app writes, and `crm restore` into a fresh database."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import pytest_asyncio

from crm.contacts.services import ContactChanges, PhoneInput, create_contact
from crm.ops.backup import BackupError, backup, restore
from crm.settings import get_settings

Rows = dict[str, Counter[tuple[object, ...]]]


async def add_contact(number: int) -> int:
    """A contact with two phones, written in one transaction by the contacts service."""
    contact = await create_contact(
        ContactChanges(
            first_name="Backup",
            last_name=f"Person{number:05d}",
            email=f"person{number}@example.com",
            phones=[
                PhoneInput(f"+44 7911 {number:06d}", is_primary=True),
                PhoneInput(f"+44 20 7946 {number % 10000:04d}"),
            ],
        )
    )
    return contact.id


# ---- reading every table of a database ---------------------------------------------------


def _sqlite_rows(url: str) -> Rows:
    database = sqlite3.connect(url.removeprefix("sqlite://"))
    try:
        names = [
            row[1]
            for row in database.execute("PRAGMA main.table_list")
            if row[2] in {"table", "virtual"} and not row[1].startswith("sqlite_")
        ]
        return {
            name: Counter(tuple(row) for row in database.execute(f'SELECT * FROM "{name}"'))
            for name in names
        }
    finally:
        database.close()


async def _postgres_rows(url: str) -> Rows:
    connection = await asyncpg.connect(url)
    try:
        names = await connection.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        return {
            name: Counter(
                tuple(row.values()) for row in await connection.fetch(f'SELECT * FROM "{name}"')
            )
            for (name,) in names
        }
    finally:
        await connection.close()


async def every_row(url: str) -> Rows:
    if url.startswith("sqlite://"):
        return await asyncio.to_thread(_sqlite_rows, url)
    return await _postgres_rows(url)


PHONES_PER_CONTACT = (
    "SELECT contact.id, COUNT(phone_number.id) FROM contact "
    "LEFT JOIN phone_number ON phone_number.contact_id = contact.id GROUP BY contact.id"
)


def _sqlite_phones_per_contact(url: str) -> dict[int, int]:
    database = sqlite3.connect(url.removeprefix("sqlite://"))
    try:
        return dict(database.execute(PHONES_PER_CONTACT).fetchall())
    finally:
        database.close()


async def phones_per_contact(url: str) -> dict[int, int]:
    """Each contact's id → how many phone numbers it has."""
    if url.startswith("sqlite://"):
        return await asyncio.to_thread(_sqlite_phones_per_contact, url)
    connection = await asyncpg.connect(url)
    try:
        return {row[0]: row[1] for row in await connection.fetch(PHONES_PER_CONTACT)}
    finally:
        await connection.close()


# ---- a fresh database to restore into ----------------------------------------------------


@pytest_asyncio.fixture
async def fresh_url(db: str, tmp_path: Path) -> AsyncIterator[str]:
    if db == "sqlite":
        yield f"sqlite://{tmp_path}/restored.sqlite3"
        return
    test_url = os.environ["CRM_TEST_POSTGRES_URL"]
    parts = urlsplit(test_url)
    name = f"{parts.path.lstrip('/')}_restored"
    admin = await asyncpg.connect(test_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


# ---- tests -------------------------------------------------------------------------------


async def test_a_backup_taken_while_contacts_are_written_restores_one_moment_of_them(
    db: str, fresh_url: str, tmp_path: Path
) -> None:
    # given a database with contacts, and the app adding more all along
    source_url = get_settings().database_url
    for number in range(30):
        await add_contact(number)
    before_writes = await every_row(source_url)
    acknowledged: list[int] = []
    stop, under_way = asyncio.Event(), asyncio.Event()

    async def keep_writing() -> None:
        number = 1000
        while not stop.is_set() or len(acknowledged) < 3:
            acknowledged.append(await add_contact(number))
            number += 1
            if len(acknowledged) >= 3:
                under_way.set()

    writer = asyncio.create_task(keep_writing())
    await under_way.wait()
    written_before_backup = set(acknowledged)

    # when the backup is taken meanwhile, then restored into a fresh database
    file = tmp_path / "crm.backup"
    said = await backup(source_url, file)
    acknowledged.clear()
    stop.set()
    await writer  # at least three more contacts after the backup
    restored_said = await restore(fresh_url, file)

    # then the copy is the source as of one moment: every row the copy holds is the source's
    # row as it is, tables nobody wrote to are whole, and no contact lacks a phone
    source = await every_row(source_url)
    restored = await every_row(fresh_url)
    assert "Backed up" in said and "Restored" in restored_said
    assert set(restored) == set(source)
    for table, rows in restored.items():
        assert not rows - source[table], f"{table} holds rows the source never had"
        if before_writes[table] == source[table]:
            assert rows == source[table], f"{table} differs"
    contacts = await phones_per_contact(fresh_url)
    assert set(contacts) >= written_before_backup
    assert len(contacts) < len(source["contact"])  # later writes are not in the copy
    assert set(contacts.values()) == {2}, "a contact is in the copy without its phones"
    assert len(restored["timeline_event"]) >= len(contacts)


async def test_restore_refuses_a_database_that_holds_data_unless_forced(
    db: str, fresh_url: str, tmp_path: Path
) -> None:
    # given a backup of a database with one contact, restored once
    source_url = get_settings().database_url
    await add_contact(1)
    file = tmp_path / "crm.backup"
    await backup(source_url, file)
    await restore(fresh_url, file)
    await add_contact(2)
    await backup(source_url, file)

    # when it is restored again over the copy
    with pytest.raises(BackupError) as refused:
        await restore(fresh_url, file)
    unchanged = await every_row(fresh_url)
    await restore(fresh_url, file, force=True)

    # then the first time is refused (the copy keeps its one contact), the forced one replaces
    assert "--force" in str(refused.value)
    assert len(unchanged["contact"]) == 1
    assert len((await every_row(fresh_url))["contact"]) == 2


async def test_restore_checks_the_file_is_a_backup_of_this_kind_of_database(
    db: str, fresh_url: str, tmp_path: Path
) -> None:
    # given a file that is no backup, and a backup of the other kind of database
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    other_kind = tmp_path / "other.backup"
    if db == "sqlite":
        other_kind.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
    else:
        sqlite3.connect(other_kind).close()
        other_kind.write_bytes(b"SQLite format 3\x00" + bytes(100))

    # when / then
    with pytest.raises(BackupError, match="not a backup made by `crm backup`"):
        await restore(fresh_url, not_a_backup)
    with pytest.raises(BackupError, match="is a backup of a"):
        await restore(fresh_url, other_kind)


async def test_a_postgresql_backup_without_pg_dump_says_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given no PostgreSQL client tools on the PATH
    monkeypatch.setenv("PATH", str(tmp_path))

    # when
    with pytest.raises(BackupError) as missing:
        await backup("postgres://crm:secret@db.example.com/crm", tmp_path / "crm.backup")

    # then
    assert "pg_dump is not installed" in str(missing.value)
    assert "secret" not in str(missing.value)
    assert not (tmp_path / "crm.backup").exists()
