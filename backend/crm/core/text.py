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


# Joiners and emoji tag characters are invisible formatting (category Cf) that words need:
# emoji sequences, Persian and Indic spellings, subdivision flags. Kept between two visible
# characters; every other formatting character (zero-width space, BOM, bidi overrides, soft
# hyphen...) goes, as it would let blank text look filled and equal names look different.
_WORD_FORMATTING = frozenset("\u200c\u200d") | frozenset(map(chr, range(0xE0020, 0xE0080)))


def _kept_formatting(text: str, index: int) -> bool:
    if text[index] not in _WORD_FORMATTING or index == 0 or index == len(text) - 1:
        return False
    return not text[index - 1].isspace() and not text[index + 1].isspace()


def _without_controls(text: str, keep: str = "") -> str:
    """Control characters out: white-space ones (tab, newline) become a space, others vanish;
    invisible formatting characters vanish too, but joiners inside words."""
    kept = []
    for index, ch in enumerate(text):
        category = unicodedata.category(ch)
        if ch in keep or category not in ("Cc", "Cf"):
            kept.append(ch)
        elif category == "Cc":
            kept.append(" " if ch.isspace() else "")
        elif _kept_formatting(text, index):
            kept.append(ch)
    return "".join(kept)


def clean(text: str | None) -> str:
    """NFC-normalise, drop control and invisible formatting characters, collapse runs of white
    space."""
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


MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 8


def search_words(search: str | None) -> list[str] | None:
    """The words a list's search looks for, from its first MAX_SEARCH_LENGTH characters.

    None: nothing typed, so no search. An empty list: nothing searchable typed (punctuation
    only), which matches nothing, in every list alike.
    """
    text = (search or "").strip()[:MAX_SEARCH_LENGTH]
    if not text:
        return None
    return words(text)[:MAX_SEARCH_WORDS]


def digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def looks_like_phone(query: str) -> bool:
    return bool(_PHONE_QUERY.match(query)) and len(digits(query)) >= 3
