"""Errors that services raise and the API reports as `UserError`s."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    DUPLICATE = "DUPLICATE"
    NOT_FOUND = "NOT_FOUND"
    NOT_ALLOWED = "NOT_ALLOWED"
    TOO_MANY = "TOO_MANY"
    CONFLICT = "CONFLICT"


@dataclass(frozen=True)
class FieldError:
    """`field` is the path inside the input, e.g. ("phones", "0", "number")."""

    field: tuple[str, ...] | None
    message: str
    code: ErrorCode


class InputError(Exception):
    """One or more problems with what the caller sent; nothing was changed."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)

    @classmethod
    def single(
        cls, field: tuple[str, ...] | None, message: str, code: ErrorCode = ErrorCode.INVALID
    ) -> InputError:
        return cls([FieldError(field, message, code)])


class ErrorCollector:
    """Gathers every problem of an input so the caller sees them all at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: tuple[str, ...] | None, message: str, code: ErrorCode) -> None:
        self.errors.append(FieldError(field, message, code))

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputError(self.errors)
