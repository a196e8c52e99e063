"""`crm backup` and `crm restore` as an operator types them, and the settings they and the
metrics read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crm.settings import SettingsError, load_settings
from tests.test_cli import run_crm


def staff_emails(data_dir: Path) -> list[str]:
    database = sqlite3.connect(data_dir / "crm.sqlite3")
    try:
        return [row[0] for row in database.execute("SELECT email FROM staff_user ORDER BY id")]
    finally:
        database.close()


def test_a_backup_restores_into_a_fresh_data_folder_and_not_over_data(tmp_path: Path) -> None:
    # given a CRM with an administrator
    live, spare = tmp_path / "live", tmp_path / "spare"
    assert run_crm(live, "migrate").returncode == 0
    admin = run_crm(
        live, "create-admin", "--email", "boss@example.com", "--password", "a long passphrase"
    )
    assert admin.returncode == 0, admin.stderr
    file = tmp_path / "crm.backup"

    # when it is backed up and restored on a fresh data folder, then restored there again
    backed_up = run_crm(live, "backup", str(file))
    restored = run_crm(spare, "restore", str(file))
    again = run_crm(spare, "restore", str(file))
    forced = run_crm(spare, "restore", "--force", str(file))

    # then
    assert backed_up.returncode == 0, backed_up.stderr
    assert "Backed up the SQLite database" in backed_up.stdout
    assert oct(file.stat().st_mode & 0o777) == oct(0o600)
    assert restored.returncode == 0, restored.stderr
    assert staff_emails(spare / "data") == ["boss@example.com"]
    assert again.returncode != 0
    assert "already holds data (" in again.stderr and "--force" in again.stderr
    assert forced.returncode == 0, forced.stderr
    assert run_crm(spare, "migrate").returncode == 0


def test_restore_names_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    # given
    file = tmp_path / "notes.txt"
    file.write_text("not a database")

    # when
    result = run_crm(tmp_path, "restore", str(file))

    # then
    assert result.returncode != 0
    assert "is not a backup made by `crm backup`" in result.stderr


def test_log_format_and_metrics_token_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.setenv("CRM_LOG_FORMAT", "xml")

    # when / then
    with pytest.raises(SettingsError, match="CRM_LOG_FORMAT must be text or json"):
        load_settings()

    monkeypatch.setenv("CRM_LOG_FORMAT", "JSON")
    monkeypatch.setenv("CRM_METRICS_TOKEN", "short-secret")
    with pytest.raises(SettingsError) as short:
        load_settings()
    assert "at least 32 characters" in str(short.value)
    assert "short-secret" not in str(short.value)

    monkeypatch.setenv("CRM_METRICS_TOKEN", "t" * 32)
    settings = load_settings()
    assert settings.log_format == "json"
    assert settings.metrics_token == "t" * 32
    assert "t" * 32 not in repr(settings)
