"""What two contacts are compared by: normalised emails, phones and names, and the blocking
keys that bring possible duplicates together without comparing every pair.

A contact's keys: its email, each phone number, and its last name and each name with the
other's initial (`Profile.name_blocks`), each together with each of its contexts (company,
city, email domain). Two contacts are compared
only when they share a key; a shared key is a hint, `finding.compare` decides.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property

from crm.core.errors import ErrorCollector
from crm.core.text import fold, words
from crm.core.validation import parse_phone

# Domains many unrelated people share: a shared one says nothing about two people. The
# RFC 2606 domains are the placeholders that stand for them in test and demo data.
SHARED_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.fr",
        "yahoo.co.uk",
        "hotmail.com",
        "hotmail.fr",
        "hotmail.co.uk",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "proton.me",
        "protonmail.com",
        "mail.ru",
        "yandex.ru",
        "qq.com",
        "example.com",
        "example.net",
        "example.org",
    }
)


class KeyKind(IntEnum):
    """Kept in a key's two low bits, so a block's kind is known from its key alone."""

    EMAIL = 0
    PHONE = 1
    NAME = 2


# Plain ints: an IntEnum's `|` costs, and there are millions of keys to a full scan.
_EMAIL, _PHONE, _NAME = int(KeyKind.EMAIL), int(KeyKind.PHONE), int(KeyKind.NAME)


def email_match_key(address: str | None) -> str | None:
    """The form in which two addresses are the same mailbox: compatibility-normalised (NFKC:
    full-width letters, ligatures, composed and decomposed accents alike) and case-folded,
    the Turkish capital dotted İ as i. Dots and plus tags are kept: on most providers they
    are other mailboxes."""
    if not address:
        return None
    folded = unicodedata.normalize("NFKC", address).casefold().replace("i\u0307", "i")
    return unicodedata.normalize("NFKC", folded)


def email_domain(address: str | None) -> str | None:
    """The address's domain when it says where someone works (not a public mail provider)."""
    key = email_match_key(address)
    if not key or "@" not in key:
        return None
    domain = key.rpartition("@")[2]
    if domain in SHARED_MAIL_DOMAINS or domain.endswith(".example"):
        return None
    return domain


def phone_e164(number: str | None, country: str | None) -> str | None:
    """The number in E.164 as the contact services store it, None when it is not valid."""
    parsed = parse_phone(number, country, ("number",), ErrorCollector()) if number else None
    return parsed.e164 if parsed is not None else None


def name_words(first_name: str | None, last_name: str | None) -> list[str]:
    """The name's words, accent- and case-folded: "Zoë Ångström" -> ["zoe", "angstrom"]."""
    return words(f"{first_name or ''} {last_name or ''}")


def name_part(part: str | None) -> str:
    """One name field as one folded word: "Jean-Luc" -> "jeanluc"."""
    return "".join(words(part or ""))


def trigrams(name_tokens: Iterable[str]) -> frozenset[str]:
    """Each word's trigrams, padded as PostgreSQL's pg_trgm does ("  w", " wo", ..., "rd "),
    so the word order does not matter."""
    grams: set[str] = set()
    for token in name_tokens:
        padded = f"  {token} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def hashed(kind: int, text: str) -> int:
    """A signed 64-bit key (fits BIGINT on both databases) with `kind` in its low bits."""
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return (int.from_bytes(digest, "big", signed=True) & ~3) | kind


def kind_of(key: int) -> KeyKind:
    return KeyKind(key & 3)


@dataclass
class Profile:
    """What finding duplicates reads of a contact."""

    id: int
    first_name: str
    last_name: str
    email: str | None
    company_id: int | None
    city_key: str | None
    phones: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def email_key(self) -> str | None:
        return email_match_key(self.email)

    @cached_property
    def domain(self) -> str | None:
        return email_domain(self.email)

    @cached_property
    def name_tokens(self) -> tuple[str, ...]:
        return tuple(name_words(self.first_name, self.last_name))

    @cached_property
    def name_trigrams(self) -> frozenset[str]:
        return trigrams(self.name_tokens)

    def blocking_keys(self) -> set[int]:
        found = set()
        if self.email_key:
            found.add(hashed(_EMAIL, self.email_key))
        found.update(hashed(_PHONE, e164) for e164 in self.phones)
        contexts = [
            f"c:{self.company_id}" if self.company_id is not None else None,
            f"t:{self.city_key}" if self.city_key else None,
            f"d:{self.domain}" if self.domain else None,
        ]
        found.update(
            hashed(_NAME, f"{name}|{context}")
            for name in self.name_blocks()
            for context in contexts
            if context
        )
        return found

    def name_blocks(self) -> list[str]:
        """The last name; each name with the other's initial. A typo in either name leaves
        another key whole (Catherine/Katherine Dupont meet on "dupont", Dupont/Dupond on
        "catherine d"), and names typed in each other's field meet too ("adam a"). The
        first name alone would put every John of a city in one block (a 1M demo database:
        1.8M pairs to compare)."""
        first, last = name_part(self.first_name), name_part(self.last_name)
        blocks = [f"l:{last}"] if len(last) >= 2 else []
        if len(first) >= 2:
            blocks.append(f"w:{first}|{last[:1]}")
            if len(last) >= 2:
                blocks.append(f"w:{last}|{first[:1]}")
        return blocks


def folded_city(city: str | None) -> str | None:
    """As `crm.contacts.services.city_key`, for input that has not been saved."""
    return fold(city) if city else None
