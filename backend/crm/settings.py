"""Every CRM_* environment variable, read once and typed."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers


class SettingsError(RuntimeError):
    """The environment does not describe a runnable configuration."""


@dataclass(frozen=True)
class Settings:
    env: str
    data_dir: Path
    database_url: str
    secret_key: str
    public_url: str
    smtp_url: str | None
    mail_from: str
    organisation_name: str
    default_country: str
    sms_enabled: bool
    invite_expiry_days: int
    session_days: int
    max_body_bytes: int
    max_upload_bytes: int
    login_max_failures_per_account: int
    login_max_failures_per_ip: int
    login_failure_window_minutes: int
    trust_proxy_headers: bool
    expose_query_count: bool
    log_level: str
    frontend_dir: Path

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _env_int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _secret_key(env: str, data_dir: Path) -> str:
    configured = os.environ.get("CRM_SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise SettingsError("CRM_SECRET_KEY must be at least 32 characters long")
        return configured
    if env == "production":
        raise SettingsError("CRM_SECRET_KEY must be set when CRM_ENV=production")
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _check_database_url(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "asyncpg"}:
        raise SettingsError(
            f"CRM_DATABASE_URL must start with sqlite:// or postgres://, got {scheme or url!r}"
        )
    return url


def _check_country(code: str) -> str:
    code = code.upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise SettingsError(f"CRM_DEFAULT_COUNTRY must be an ISO country code, got {code!r}")
    return code


def load_settings() -> Settings:
    env = _env("CRM_ENV", "development")
    if env not in {"development", "production", "test"}:
        raise SettingsError(f"CRM_ENV must be development, production or test, got {env!r}")
    data_dir = Path(_env("CRM_DATA_DIR", "data"))
    public_url = _env("CRM_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return Settings(
        env=env,
        data_dir=data_dir,
        database_url=_check_database_url(
            _env("CRM_DATABASE_URL", f"sqlite://{data_dir}/crm.sqlite3")
        ),
        secret_key=_secret_key(env, data_dir),
        public_url=public_url,
        smtp_url=os.environ.get("CRM_SMTP_URL") or None,
        mail_from=_env("CRM_MAIL_FROM", "CRM <crm@localhost>"),
        organisation_name=_env("CRM_ORGANISATION_NAME", "Our CRM"),
        default_country=_check_country(_env("CRM_DEFAULT_COUNTRY", "GB")),
        sms_enabled=_env_bool("CRM_SMS_ENABLED", False),
        invite_expiry_days=_env_int("CRM_INVITE_EXPIRY_DAYS", 7),
        session_days=_env_int("CRM_SESSION_DAYS", 14),
        max_body_bytes=_env_int("CRM_MAX_BODY_BYTES", 1_000_000),
        max_upload_bytes=_env_int("CRM_MAX_UPLOAD_BYTES", 100_000_000),
        login_max_failures_per_account=_env_int("CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
        login_max_failures_per_ip=_env_int("CRM_LOGIN_MAX_FAILURES_PER_IP", 30),
        login_failure_window_minutes=_env_int("CRM_LOGIN_FAILURE_WINDOW_MINUTES", 15),
        trust_proxy_headers=_env_bool("CRM_TRUST_PROXY_HEADERS", False),
        expose_query_count=_env_bool("CRM_EXPOSE_QUERY_COUNT", False),
        log_level=_env("CRM_LOG_LEVEL", "INFO").upper(),
        frontend_dir=Path(_env("CRM_FRONTEND_DIR", "frontend/dist")),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between runs)."""
    get_settings.cache_clear()
