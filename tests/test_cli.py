"""The `crm` command as an administrator uses it, in a real subprocess on a fresh SQLite file."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.servers import crm_environment, crm_serve


def run_crm(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crm", *args],
        capture_output=True,
        text=True,
        env=crm_environment(tmp_path, **env),
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


def test_create_admin_before_the_first_migrate_says_to_migrate(tmp_path: Path) -> None:
    # given a data folder nobody has migrated

    # when an administrator is created
    result = run_crm(
        tmp_path, "create-admin", "--email", "boss@example.com", "--password", "long enough pw"
    )

    # then the command says to migrate first, without a traceback
    assert result.returncode != 0
    assert "run `crm migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_database_and_secret_key_are_private(tmp_path: Path) -> None:
    # given a fresh data folder

    # when the database is created
    result = run_crm(tmp_path, "migrate")

    # then only the CRM's user can read what it wrote
    assert result.returncode == 0, result.stderr
    data = tmp_path / "data"
    assert mode(data) == 0o700
    assert mode(data / "crm.sqlite3") == 0o600
    assert mode(data / "secret_key") == 0o600
    assert all(mode(path) & 0o077 == 0 for path in data.iterdir())


def test_files_an_older_version_left_open_are_made_private(migrated: Path) -> None:
    # given a data folder and database readable by everyone, as older versions left them
    data = migrated / "data"
    data.chmod(0o755)
    (data / "crm.sqlite3").chmod(0o644)

    # when any crm command runs
    result = run_crm(migrated, "migrate")

    # then they are private again
    assert result.returncode == 0, result.stderr
    assert mode(data) == 0o700
    assert mode(data / "crm.sqlite3") == 0o600


def test_an_uploaded_contact_list_is_private(migrated: Path) -> None:
    # given an administrator and a running server
    admin = run_crm(
        migrated, "create-admin", "--email", "boss@example.com", "--password", "long enough pw"
    )
    assert admin.returncode == 0, admin.stderr
    with crm_serve(migrated) as served, httpx.Client(base_url=served.url) as browser:
        # when the administrator uploads a contact list
        login = browser.post(
            "/graphql",
            json={
                "query": "mutation ($input: LoginInput!) { login(input: $input) "
                "{ errors { code } } }",
                "variables": {"input": {"email": "boss@example.com", "password": "long enough pw"}},
            },
        )
        assert login.json()["data"]["login"]["errors"] == []
        upload = browser.post(
            "/import/upload",
            files={"file": ("people.csv", b"email\na@example.com\n", "text/csv")},
            headers={"x-crm-csrf": "1"},
        )

    # then the file is kept in the database, which is the CRM's user's only, and nothing of
    # it stays in the folder it arrived in (itself the CRM's user's only)
    assert upload.status_code == 201, upload.text
    assert mode(migrated / "data" / "crm.sqlite3") == 0o600
    imports = migrated / "data" / "imports"
    assert mode(imports) == 0o700
    assert list(imports.iterdir()) == []


def test_production_without_secret_key_fails_with_a_clear_message(tmp_path: Path) -> None:
    result = run_crm(tmp_path, "migrate", CRM_ENV="production")
    assert result.returncode != 0
    assert "CRM_SECRET_KEY" in result.stderr


def test_export_schema_writes_the_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    result = run_crm(tmp_path, "export-schema", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert "type Contact implements Node" in target.read_text()
