"""Text folding shared by sorting and search: case- and accent-insensitive."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
_NOT_DIGIT = re.compile(r"\D")
_PHONE_QUERY = re.compile(r"^[\d\s+().\-/]+$")


def fold(text: str) -> str:
    """Lower-case and strip accents: "Zoë Ångström" -> "zoe angstrom"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def clean(text: str | None) -> str:
    """NFC-normalise, drop control characters and collapse runs of white space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    return " ".join("".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text).split())


def clean_multiline(text: str | None) -> str:
    """Like `clean`, but keeps line breaks (notes)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc").strip()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def looks_like_phone(query: str) -> bool:
    return bool(_PHONE_QUERY.match(query)) and len(digits(query)) >= 3
