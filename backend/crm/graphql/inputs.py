"""From GraphQL inputs to the services' change objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from crm.core.inputs import UNSET

T = TypeVar("T")


def given(value: Any) -> Any:
    """A field of a partial-update input: strawberry's "not given" becomes the services' UNSET
    (distinct from an explicit null)."""
    return UNSET if value is strawberry.UNSET else value


def given_as(value: T | None, convert: Callable[[T | None], Any]) -> Any:
    """A given field converted for the services; UNSET when it was not given."""
    return UNSET if value is strawberry.UNSET else convert(value)


def given_fields(input: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of an input, each through `given`."""
    return {name: given(getattr(input, name)) for name in names}
