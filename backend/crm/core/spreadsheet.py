"""The guard against spreadsheet formulas in cells we write (OWASP CSV injection).

The export escapes such a cell with a leading `'`; the importer strips a `'` that precedes
one of the triggers, so a file we wrote reads back as it was.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula gets a `'` prefix.

    E.164 numbers start with `+`, so they come out as `'+44...`.
    """
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
