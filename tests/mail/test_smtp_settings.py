"""CRM_SMTP_URL and the mail settings: parsed once, clear errors, no password in sight."""

from __future__ import annotations

import pytest

from crm.settings import SettingsError, SmtpConfig, load_settings, parse_smtp_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail:1025", SmtpConfig(host="mail", port=1025)),
        ("smtp://localhost", SmtpConfig(host="localhost", port=25)),
        ("smtps://smtp.example.com", SmtpConfig(host="smtp.example.com", port=465, use_tls=True)),
        (
            "smtp://me%40example.com:p%40ss@smtp.example.com?starttls=1",
            SmtpConfig(
                host="smtp.example.com",
                port=587,
                username="me@example.com",
                password="p@ss",
                start_tls=True,
            ),
        ),
    ],
)
def test_smtp_urls_are_parsed(url: str, expected: SmtpConfig) -> None:
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail:25", "must start with smtp:// or smtps://"),
        ("smtp://:25", "no host name"),
        ("smtp://mail:notaport", "invalid port"),
        ("smtp://mail:25?tls=1", "unknown options"),
        ("smtp://mail:25?starttls=maybe", "starttls must be 1 or 0"),
        ("smtps://mail?starttls=1", "already encrypted"),
        ("smtp://:secret@mail", "password but no user name"),
    ],
)
def test_bad_smtp_urls_are_explained_without_the_password(url: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as error:
        parse_smtp_url(url)
    assert "secret" not in str(error.value)


def test_the_password_is_not_in_any_repr() -> None:
    config = parse_smtp_url("smtp://user:hunter2@mail:25")
    assert "hunter2" not in repr(config)
    assert config.display == "smtp://user@mail:25"


def test_mail_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("CRM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CRM_SMTP_URL", "smtp://user:hunter2@mail:2525")
    monkeypatch.setenv("CRM_MAIL_BATCH_SIZE", "10")
    monkeypatch.setenv("CRM_MAIL_POLL_SECONDS", "0.25")
    settings = load_settings()
    assert settings.smtp == SmtpConfig(host="mail", port=2525, username="user", password="hunter2")
    assert settings.mail_batch_size == 10
    assert settings.mail_poll_seconds == 0.25
    assert (settings.mail_max_attempts, settings.mail_retry_seconds) == (8, 30)
    assert (settings.mail_lease_seconds, settings.smtp_timeout_seconds) == (120, 20)
    assert "hunter2" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [("CRM_MAIL_BATCH_SIZE", "0"), ("CRM_MAIL_POLL_SECONDS", "soon"), ("CRM_SMTP_URL", "x")],
)
def test_bad_mail_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path, name: str, value: str
) -> None:
    monkeypatch.setenv("CRM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings()
