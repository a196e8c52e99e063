"""Faker output drawn once per locale: names, streets, cities, companies, jobs.

Faker is slow per call, so each locale's values are drawn once into pools that the
generator then combines with its seeded `random.Random`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from crm.core.text import clean, fold

# (Faker locale, ISO country, weight): where the contacts live.
LOCALES: tuple[tuple[str, str, int], ...] = (
    ("en_GB", "GB", 18),
    ("en_US", "US", 18),
    ("de_DE", "DE", 10),
    ("fr_FR", "FR", 8),
    ("es_ES", "ES", 6),
    ("it_IT", "IT", 6),
    ("nl_NL", "NL", 5),
    ("pt_BR", "BR", 5),
    ("en_IN", "IN", 5),
    ("pl_PL", "PL", 4),
    ("ja_JP", "JP", 4),
    ("en_AU", "AU", 4),
    ("en_CA", "CA", 4),
    ("sv_SE", "SE", 3),
)

_ASCII = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "\u0131": "i",
    }
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_slug(text: str) -> str:
    """ "Zoë van der Berg" -> "zoevanderberg": letters and digits safe in an address."""
    return _NOT_ALNUM.sub("", fold(text).translate(_ASCII))


@dataclass
class LocalePool:
    """Faker output for one locale, drawn once. Names are (display, ascii) pairs."""

    country: str
    male: list[tuple[str, str]]
    female: list[tuple[str, str]]
    last: list[tuple[str, str]]
    cities: list[str]
    streets: list[str]
    postcodes: list[str]
    regions: list[str]
    companies: list[str]
    jobs: list[str]


def _draw(make: Callable[[], Any], count: int) -> list[Any]:
    seen = dict.fromkeys(make() for _ in range(count))
    return [value for value in seen if value and value[0]]


def _name(fake: Any, method: str) -> tuple[str, str]:
    value = clean(getattr(fake, method)())
    return value, ascii_slug(value)


def _japanese_name(fake: Any, method: str) -> tuple[str, str]:
    """Kanji for display, the romanized reading for the email address."""
    kanji, _kana, roman = getattr(fake, f"{method}_pair")()
    return kanji, ascii_slug(roman)


def locale_pool(locale: str, country: str, size: int, seed: int) -> LocalePool:
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(seed)

    def text(method: str) -> Callable[[], str]:
        return lambda: clean(getattr(fake, method)())

    name = partial(_japanese_name if locale == "ja_JP" else _name, fake)
    try:
        fake.administrative_unit()
        regions = _draw(text("administrative_unit"), max(10, size // 4))
    except AttributeError:
        regions = []
    return LocalePool(
        country=country,
        male=_draw(partial(name, "first_name_male"), size),
        female=_draw(partial(name, "first_name_female"), size),
        last=_draw(partial(name, "last_name"), size * 2),
        cities=_draw(text("city"), size),
        streets=_draw(text("street_address"), size * 2),
        postcodes=_draw(text("postcode"), size),
        regions=regions,
        companies=_draw(text("company"), size),
        jobs=[job[:100] for job in _draw(text("job"), max(20, size // 2))],
    )
