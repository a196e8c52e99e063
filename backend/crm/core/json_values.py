"""JSON from callers, read with bounds: nesting that no input needs, text that is not Unicode."""

from __future__ import annotations

import json
from typing import Any

# The deepest input we take is a filter inside an input inside the variables: a few levels.
MAX_DEPTH = 32


class JSONRefused(ValueError):
    pass


def loads_bounded(text: str | bytes) -> Any:
    """`json.loads`, refusing nesting deeper than MAX_DEPTH (Python's parser would recurse
    until it fails far deeper, and every later step would recurse through it again)."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise JSONRefused(f"The JSON is nested too deeply (at most {MAX_DEPTH} levels)") from None
    if _depth_over(value, MAX_DEPTH):
        raise JSONRefused(f"The JSON is nested too deeply (at most {MAX_DEPTH} levels)")
    return value


def _depth_over(value: Any, limit: int) -> bool:
    level = [value]
    for _ in range(limit + 1):
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return True


def _broken(text: str) -> bool:
    """Whether the text holds a lone surrogate ("\\ud800" in JSON): no such character exists,
    so it cannot be stored or sent anywhere."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def broken_text_path(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The path to the first string (or key) in `value` that is not valid Unicode, if any."""
    if isinstance(value, str):
        return path if _broken(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _broken(key):
                return path
            if (found := broken_text_path(item, (*path, str(key)))) is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if (found := broken_text_path(item, (*path, str(index)))) is not None:
                return found
    return None
