"""Every CRM_* environment variable, read once and typed."""

from __future__ import annotations

import logging
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import phonenumbers

log = logging.getLogger("crm.settings")
# What the CRM writes (database, secret key, uploaded contact lists) is its user's only.
PRIVATE_UMASK = 0o077


class SettingsError(RuntimeError):
    """The environment does not describe a runnable configuration."""


@dataclass(frozen=True)
class SmtpConfig:
    """Where mail goes, parsed from CRM_SMTP_URL. The password never appears in a repr."""

    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    use_tls: bool = False  # smtps://: TLS from the first byte
    start_tls: bool = False  # ?starttls=1: upgrade a plain connection before sending

    @property
    def display(self) -> str:
        """For logs and messages: the server without the credentials."""
        scheme = "smtps" if self.use_tls else "smtp"
        user = f"{self.username}@" if self.username else ""
        tls = "?starttls=1" if self.start_tls else ""
        return f"{scheme}://{user}{self.host}:{self.port}{tls}"


@dataclass(frozen=True)
class Settings:
    env: str
    data_dir: Path
    database_url: str
    secret_key: str
    public_url: str
    smtp_url: str | None = field(repr=False)
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
    login_max_failures_per_account_all_addresses: int
    login_failure_window_minutes: int
    trust_proxy_headers: bool
    expose_query_count: bool
    log_level: str
    frontend_dir: Path
    smtp: SmtpConfig | None = None
    mail_batch_size: int = 50
    mail_max_attempts: int = 8
    mail_retry_seconds: int = 30
    mail_lease_seconds: int = 120
    mail_poll_seconds: float = 1.0
    smtp_timeout_seconds: int = 20
    smtp_connections: int = 4  # a worker's connections to the mail server at once
    run_worker: bool = True
    import_parse_memory_mb: int = 1024
    import_parse_seconds: float = 120.0
    # "text" (one readable line per record) or "json" (one JSON object per line).
    log_format: str = "text"
    # The bearer token that lets a scraper read /metrics without a staff session.
    metrics_token: str | None = field(default=None, repr=False)
    # Set by crm.organisation when an admin uploaded a logo: 0 means none.
    logo_version: int = 0

    @property
    def logo_url(self) -> str | None:
        """Where the organisation's logo is served (it changes with the logo), or None."""
        if not self.logo_version:
            return None
        return f"{self.public_url}/logo.png?v={self.logo_version}"

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


def _env_float(name: str, default: float, minimum: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not value >= minimum or value == float("inf"):
        raise SettingsError(f"{name} must be a number of at least {minimum}, got {raw!r}")
    return value


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_smtp_url(url: str) -> SmtpConfig:
    """`smtp://user:pass@host:port`, `smtps://...` (implicit TLS), `?starttls=1`.

    Errors never repeat the URL: it may hold a password.
    """
    name = "CRM_SMTP_URL"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise SettingsError(f"{name} has an invalid port; expected smtp://host:port") from None
    if parts.scheme not in {"smtp", "smtps"}:
        raise SettingsError(
            f"{name} must start with smtp:// or smtps://, got {parts.scheme or 'no scheme'!r}"
        )
    if not parts.hostname:
        raise SettingsError(f"{name} has no host name; expected {parts.scheme}://host:port")
    if parts.path not in {"", "/"}:
        raise SettingsError(f"{name} must not have a path; put options after '?'")
    options = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(options) - {"starttls"})
    if unknown:
        raise SettingsError(f"{name} has unknown options {unknown}; only starttls is known")
    start_tls = False
    if "starttls" in options:
        value = options["starttls"][-1].lower()
        if value not in _TRUE | _FALSE:
            raise SettingsError(f"{name}: starttls must be 1 or 0, got {value!r}")
        start_tls = value in _TRUE
    use_tls = parts.scheme == "smtps"
    if use_tls and start_tls:
        raise SettingsError(f"{name}: smtps:// is already encrypted; drop ?starttls=1")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and not username:
        raise SettingsError(f"{name} has a password but no user name")
    return SmtpConfig(
        host=parts.hostname,
        port=port or (465 if use_tls else 587 if start_tls else 25),
        username=username,
        password=password,
        use_tls=use_tls,
        start_tls=start_tls,
    )


def make_private(path: Path) -> None:
    """Take group and other permissions off a file or folder (left by an older version)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & PRIVATE_UMASK:
        try:
            path.chmod(mode & ~PRIVATE_UMASK)
        except PermissionError:
            log.warning("%s is open to other users; could not make it %o", path, mode & 0o700)


def keep_files_private(settings: Settings) -> None:
    """Files and folders this process creates are its user's only, and so is the data folder.

    Children (server workers) inherit the umask, so uploads are covered too.
    """
    os.umask(PRIVATE_UMASK)
    if settings.data_dir.is_dir():
        make_private(settings.data_dir)


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
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
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


LOG_FORMATS = ("text", "json")
MIN_METRICS_TOKEN_LENGTH = 32


def _log_format() -> str:
    value = _env("CRM_LOG_FORMAT", "text").lower()
    if value not in LOG_FORMATS:
        raise SettingsError(f"CRM_LOG_FORMAT must be text or json, got {value!r}")
    return value


def _metrics_token() -> str | None:
    """CRM_METRICS_TOKEN, long enough not to be guessed. Errors never repeat it."""
    token = os.environ.get("CRM_METRICS_TOKEN") or None
    if token is not None and len(token) < MIN_METRICS_TOKEN_LENGTH:
        raise SettingsError(
            f"CRM_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN_LENGTH} characters long "
            "(for example the output of `openssl rand -hex 24`)"
        )
    return token


def is_country(code: str) -> bool:
    """A country we can format phone numbers for: its ISO 3166 two-letter code."""
    return code in phonenumbers.SUPPORTED_REGIONS


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
    smtp_url = os.environ.get("CRM_SMTP_URL") or None
    return Settings(
        env=env,
        data_dir=data_dir,
        database_url=_check_database_url(
            _env("CRM_DATABASE_URL", f"sqlite://{data_dir}/crm.sqlite3")
        ),
        secret_key=_secret_key(env, data_dir),
        public_url=public_url,
        smtp_url=smtp_url,
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
        login_max_failures_per_account_all_addresses=_env_int(
            "CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT_ALL_ADDRESSES", 50
        ),
        login_failure_window_minutes=_env_int("CRM_LOGIN_FAILURE_WINDOW_MINUTES", 15),
        trust_proxy_headers=_env_bool("CRM_TRUST_PROXY_HEADERS", False),
        expose_query_count=_env_bool("CRM_EXPOSE_QUERY_COUNT", False),
        log_level=_env("CRM_LOG_LEVEL", "INFO").upper(),
        frontend_dir=Path(_env("CRM_FRONTEND_DIR", "frontend/dist")),
        smtp=parse_smtp_url(smtp_url) if smtp_url else None,
        mail_batch_size=_env_int("CRM_MAIL_BATCH_SIZE", 50),
        mail_max_attempts=_env_int("CRM_MAIL_MAX_ATTEMPTS", 8),
        mail_retry_seconds=_env_int("CRM_MAIL_RETRY_SECONDS", 30),
        mail_lease_seconds=_env_int("CRM_MAIL_LEASE_SECONDS", 120),
        mail_poll_seconds=_env_float("CRM_MAIL_POLL_SECONDS", 1.0, minimum=0.01),
        smtp_timeout_seconds=_env_int("CRM_SMTP_TIMEOUT_SECONDS", 20),
        smtp_connections=_env_int("CRM_SMTP_CONNECTIONS", 4),
        run_worker=_env_bool("CRM_RUN_WORKER", True),
        import_parse_memory_mb=_env_int("CRM_IMPORT_PARSE_MEMORY_MB", 1024, minimum=64),
        import_parse_seconds=_env_float("CRM_IMPORT_PARSE_SECONDS", 120.0, minimum=0.1),
        log_format=_log_format(),
        metrics_token=_metrics_token(),
    )


# What an administrator saved in the app (crm.organisation), over the environment's values:
# Settings field name → value. Replaced whole by `use_stored_settings`.
_stored: tuple[tuple[str, object], ...] = ()


@lru_cache(maxsize=1)
def environment_settings() -> Settings:
    return load_settings()


def get_settings() -> Settings:
    """The settings in effect: the environment's, with those saved in the app over them."""
    return live(environment_settings())


def live(base: Settings) -> Settings:
    """`base` (the environment's, or a test's) with the settings saved in the app over it."""
    return _with_stored(base, _stored) if _stored else base


@lru_cache(maxsize=8)
def _with_stored(base: Settings, stored: tuple[tuple[str, object], ...]) -> Settings:
    return replace(base, **dict(stored))


def use_stored_settings(values: Mapping[str, object]) -> None:
    """Make `values` (Settings field → value) the settings saved in the app."""
    global _stored
    _stored = tuple(sorted(values.items()))


def public_url_for_serving(host: str, port: int) -> str:
    """The base of the links in emails for a server on `host`:`port`: CRM_PUBLIC_URL, or when
    unset (never in production) the address the server listens on."""
    configured = os.environ.get("CRM_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    if _env("CRM_ENV", "development") == "production":
        raise SettingsError(
            "CRM_PUBLIC_URL is not set: in production, set it to the address people use to "
            "reach the CRM (for example https://crm.example.com). Links in emails start with it."
        )
    shown = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}"


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between runs)."""
    environment_settings.cache_clear()
    use_stored_settings({})
