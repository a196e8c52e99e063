"""Random tokens for sessions and links: only an HMAC of each token is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from crm.settings import get_settings


def new_token() -> str:
    """256 bits from the OS's CSPRNG, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
