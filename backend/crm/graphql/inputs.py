"""From GraphQL inputs to the services' change objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError, coerce_input_value
from graphql.utilities import validate_input_value
from strawberry.types.arguments import convert_argument

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


class InputProblems(ValueError):
    """Why a JSON value is not a valid GraphQL input (each problem with its path)."""


def input_from_json(raw: Any, type_name: str, python_type: type) -> Any:
    """A JSON value (from outside GraphQL: an export's query string) checked and converted
    exactly as the GraphQL argument of type `type_name` would be."""
    from crm.graphql.schema import schema

    graphql_type = schema._schema.get_type(type_name)
    assert graphql_type is not None
    problems: list[str] = []

    def collect(error: GraphQLError, path: Any) -> None:
        where = ".".join(str(part) for part in path)
        problems.append(f"{where}: {error.message}" if where else error.message)

    validate_input_value(raw, graphql_type, collect, hide_suggestions=True)  # type: ignore[arg-type]
    if problems:
        raise InputProblems("; ".join(problems))
    value = coerce_input_value(raw, graphql_type)  # type: ignore[arg-type]
    return convert_argument(
        value, python_type, schema.schema_converter.scalar_registry, schema.config
    )
