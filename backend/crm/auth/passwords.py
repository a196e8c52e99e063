"""Passwords: what makes one acceptable (staff and portal alike), and hashing with argon2id."""

from __future__ import annotations

import asyncio
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crm.core.errors import ErrorCode, InputError

MIN_LENGTH = 10
MAX_LENGTH = 200

_hasher = PasswordHasher()
# Verifying against this keeps an unknown email as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-for-timing")


@cache
def _common_passwords() -> frozenset[str]:
    lines = (Path(__file__).parent / "common_passwords.txt").read_text().splitlines()
    return frozenset(line.strip().casefold() for line in lines if line and not line.startswith("#"))


def password_problem(password: str, email: str | None) -> str | None:
    """Why the password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters"
    folded = password.strip().casefold()
    if email and folded in {email.casefold(), email.casefold().partition("@")[0]}:
        return "Do not use your email address as your password"
    if folded in _common_passwords():
        return "This password is too common; choose another"
    return None


def require_acceptable_password(
    password: str, email: str | None, field: tuple[str, ...] = ("password",)
) -> None:
    """`password_problem` as the INVALID error on `field`."""
    problem = password_problem(password, email)
    if problem is not None:
        raise InputError.single(field, problem, ErrorCode.INVALID)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def check() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
