"""Lists searched by name alone (groups, segments): every word within the folded name."""

from __future__ import annotations

from typing import TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from crm.core.inputs import NO_ROW
from crm.core.text import search_words

ModelT = TypeVar("ModelT", bound=Model)


def with_name_words(queryset: QuerySet[ModelT], search: str | None) -> QuerySet[ModelT]:
    """The rows whose `name_key` contains every word of `search` (all when nothing was typed,
    none for punctuation only)."""
    terms = search_words(search)
    if terms is None:
        return queryset
    if not terms:
        return queryset.filter(id=NO_ROW)
    for term in terms:
        queryset = queryset.filter(name_key__contains=term)
    return queryset
