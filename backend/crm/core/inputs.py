"""A marker for "not given" in partial updates, distinct from an explicit null."""

from __future__ import annotations

from enum import Enum
from typing import Final, TypeVar

T = TypeVar("T")


class _Unset(Enum):
    UNSET = "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final = _Unset.UNSET
Unset = _Unset

Maybe = T | _Unset


def is_set(value: object) -> bool:
    return value is not UNSET


# The key an id that names nothing (malformed, another type's) stands for: no row has it, so
# a filter on it matches nothing and a service looking it up answers NOT_FOUND.
NO_ROW = 0
