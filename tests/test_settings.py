"""Settings come from CRM_* variables, once, with clear errors for bad values."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from crm.settings import SettingsError, load_settings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in (
        "CRM_SECRET_KEY",
        "CRM_ENV",
        "CRM_DATABASE_URL",
        "CRM_PUBLIC_URL",
        "CRM_DEFAULT_COUNTRY",
        "CRM_SMS_ENABLED",
        "CRM_INVITE_EXPIRY_DAYS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CRM_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_defaults_follow_the_contract(clean_env: Path) -> None:
    settings = load_settings()
    assert settings.database_url == f"sqlite://{clean_env}/crm.sqlite3"
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.smtp_url is None
    assert settings.invite_expiry_days == 7
    assert not settings.secure_cookies


def test_development_generates_a_secret_key_once_and_keeps_it_private(clean_env: Path) -> None:
    first = load_settings().secret_key
    key_file = clean_env / "secret_key"
    assert key_file.read_text() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_settings().secret_key == first
    assert len(first) >= 32


def test_production_without_a_secret_key_refuses_to_start(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRM_ENV", "production")
    with pytest.raises(SettingsError, match="CRM_SECRET_KEY"):
        load_settings()


def test_https_public_url_makes_cookies_secure(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRM_PUBLIC_URL", "https://crm.example.com/")
    settings = load_settings()
    assert settings.secure_cookies
    assert settings.public_url == "https://crm.example.com"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CRM_DATABASE_URL", "mysql://x", "CRM_DATABASE_URL"),
        ("CRM_DEFAULT_COUNTRY", "XX", "CRM_DEFAULT_COUNTRY"),
        ("CRM_SMS_ENABLED", "maybe", "CRM_SMS_ENABLED"),
        ("CRM_INVITE_EXPIRY_DAYS", "soon", "CRM_INVITE_EXPIRY_DAYS"),
        ("CRM_INVITE_EXPIRY_DAYS", "0", "CRM_INVITE_EXPIRY_DAYS"),
        ("CRM_SECRET_KEY", "short", "CRM_SECRET_KEY"),
        ("CRM_ENV", "staging", "CRM_ENV"),
    ],
)
def test_bad_values_are_named_in_the_error(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()
