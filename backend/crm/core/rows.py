"""Rows read as plain values, with only the columns a request needs.

Building an ORM model per row costs about ten times reading the row's values (Tortoise
converts every column, datetimes parsed from text on SQLite), which is most of a list page's
time. A `Row` answers attribute reads from the values read; a column that was not read reads
as None. The node types built from rows read every column, and a query only resolves what it
selects, so a list reads exactly the columns its selection needs (`columns_for`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class Row:
    """Attribute reads answered from the values read; a column not read reads as None."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.__dict__.update(values)  # plain attribute reads for the columns read

    def __getattr__(self, name: str) -> Any:
        # Only for names not read (the others are found in the instance's __dict__).
        if name.startswith("_"):
            raise AttributeError(name)
        return None

    @property
    def pk(self) -> Any:
        return self.__dict__["id"]

    @property
    def values(self) -> Mapping[str, Any]:
        return self.__dict__


def columns_for(
    selected: Iterable[str], columns_of_field: Mapping[str, tuple[str, ...]]
) -> list[str] | None:
    """The columns the selected GraphQL fields read (with `id`), or None when a field is not
    in the map (then read whole rows: a field added later is never answered from a column
    that was not read)."""
    columns = {"id"}
    for name in selected:
        if name == "__typename":
            continue
        if name not in columns_of_field:
            return None
        columns.update(columns_of_field[name])
    return sorted(columns)
