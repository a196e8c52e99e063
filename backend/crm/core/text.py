"""Text folding shared by sorting and search: case- and accent-insensitive."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
_NOT_DIGIT = re.compile(r"\D")
_PHONE_QUERY = re.compile(r"^[\d\s+().\-/]+$")


def fold(text: str) -> str:
    """Lower-case and strip accents: "Zoë Ångström" -> "zoe angstrom"."""
    if text.isascii():
        return text.lower()  # the same result, without decomposing (imports fold millions)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _without_controls(text: str, keep: str = "") -> str:
    """Control characters out: white-space ones (tab, newline) become a space, others vanish."""
    return "".join(
        ch if ch in keep or unicodedata.category(ch) != "Cc" else (" " if ch.isspace() else "")
        for ch in text
    )


def clean(text: str | None) -> str:
    """NFC-normalise, drop control characters and collapse runs of white space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():  # no control characters to drop: skip the walk over each one
        return " ".join(text.split())
    return " ".join(_without_controls(text).split())


def clean_multiline(text: str | None) -> str:
    """Like `clean`, but keeps line breaks (notes)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _without_controls(text, keep="\n").strip()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def looks_like_phone(query: str) -> bool:
    return bool(_PHONE_QUERY.match(query)) and len(digits(query)) >= 3
