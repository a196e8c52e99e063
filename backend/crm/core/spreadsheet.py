"""The guard against spreadsheet formulas in cells we write (OWASP CSV injection).

The export escapes a cell a spreadsheet would run with a leading `'`; the importer strips a
`'` that precedes one of the triggers, so a file we wrote reads back as it was.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A signed plain number (a phone number in E.164, a negative amount): a spreadsheet reads it
# as a number or as text, never as a formula, so it is written as it is.
_SIGNED_NUMBER = re.compile(r"[+-]\d+(?:[ .,]\d+)*")


def escape_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula gets a `'` prefix: `=` or `@` first, a tab
    or carriage return first, or `+` / `-` before anything but a plain number. A cell that
    already starts with `'` before a trigger gets one more, so the importer's unescaping
    gives it back whole."""
    if text.startswith(("=", "@", "\t", "\r")):
        return "'" + text
    if text.startswith(("+", "-")):
        return text if _SIGNED_NUMBER.fullmatch(text) else "'" + text
    if text.startswith("'") and text[1:2] in FORMULA_TRIGGERS:
        return "'" + text
    return text
