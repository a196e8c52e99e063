"""The `crm` command as an administrator uses it, in a real subprocess on a fresh SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def run_crm(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("CRM_")}
    environment.update(CRM_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run(
        [sys.executable, "-m", "crm", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def migrated(tmp_path: Path) -> Path:
    result = run_crm(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_migrate_creates_the_schema_and_is_repeatable(migrated: Path) -> None:
    again = run_crm(migrated, "migrate")
    assert again.returncode == 0, again.stderr
    database = sqlite3.connect(migrated / "data" / "crm.sqlite3")
    tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
    assert {"contact", "company", "phone_number", "staff_user", "session"} <= tables
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_create_admin_hashes_the_password_with_argon2(migrated: Path) -> None:
    result = run_crm(
        migrated,
        "create-admin",
        "--email",
        "Boss@Example.com",
        "--password",
        "a long enough secret",
    )
    assert result.returncode == 0, result.stderr
    row = (
        sqlite3.connect(migrated / "data" / "crm.sqlite3")
        .execute("SELECT email, role, password_hash FROM staff_user")
        .fetchone()
    )
    assert row[0] == "boss@example.com"
    assert row[1] == "ADMIN"
    assert row[2].startswith("$argon2id$")
    assert "a long enough secret" not in row[2]


def test_create_admin_takes_the_password_from_the_environment(migrated: Path) -> None:
    result = run_crm(
        migrated,
        "create-admin",
        "--email",
        "env@example.com",
        CRM_ADMIN_PASSWORD="from the environment",
    )
    assert result.returncode == 0, result.stderr


def test_create_admin_without_a_password_refuses(migrated: Path) -> None:
    result = run_crm(migrated, "create-admin", "--email", "nopass@example.com")
    assert result.returncode != 0
    assert "password" in result.stderr.lower()


def test_create_admin_rejects_a_short_password_and_a_duplicate(migrated: Path) -> None:
    short = run_crm(migrated, "create-admin", "--email", "a@example.com", "--password", "short")
    assert short.returncode != 0
    assert "at least 10" in short.stderr
    ok = run_crm(
        migrated, "create-admin", "--email", "a@example.com", "--password", "long enough pw"
    )
    assert ok.returncode == 0
    again = run_crm(
        migrated, "create-admin", "--email", "A@example.com", "--password", "long enough pw"
    )
    assert again.returncode != 0
    assert "already exists" in again.stderr


def test_production_without_secret_key_fails_with_a_clear_message(tmp_path: Path) -> None:
    result = run_crm(tmp_path, "migrate", CRM_ENV="production")
    assert result.returncode != 0
    assert "CRM_SECRET_KEY" in result.stderr


def test_export_schema_writes_the_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    result = run_crm(tmp_path, "export-schema", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert "type Contact implements Node" in target.read_text()
