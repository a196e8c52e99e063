"""What makes a portal password acceptable."""

from __future__ import annotations

from functools import cache
from pathlib import Path

MIN_LENGTH = 10
MAX_LENGTH = 200


@cache
def _common_passwords() -> frozenset[str]:
    lines = (Path(__file__).parent / "common_passwords.txt").read_text().splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def password_problem(password: str, email: str | None) -> str | None:
    """Why the password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters"
    lowered = password.strip().lower()
    if email and lowered in {email.lower(), email.lower().partition("@")[0]}:
        return "Do not use your email address as your password"
    if lowered in _common_passwords():
        return "This password is too common; choose another"
    return None
