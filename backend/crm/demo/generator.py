"""What every part of the demo data shares: the seeded random source, the clock, the pools."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

from crm.core.validation import ParsedPhone
from crm.demo.phones import phone_pool
from crm.demo.pools import LOCALES, locale_pool
from crm.settings import get_settings

# Rows per transaction when writing.
BATCH_SIZE = 5000
# How far back the data goes: companies and contacts are created over this span.
THREE_YEARS = timedelta(days=3 * 365)


class Generator:
    """Every choice comes from `rng` (seeded), so a seed gives the same people; their dates
    are spread back from `now`."""

    def __init__(self, contacts: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.sms_enabled = get_settings().sms_enabled
        size = max(12, min(250, contacts // 40))
        self.pools = [
            locale_pool(locale, country, size, seed + index)
            for index, (locale, country, _) in enumerate(LOCALES)
        ]
        self.country_weights = list(itertools.accumulate(weight for *_, weight in LOCALES))
        phone_size = max(10, min(400, contacts // 30))
        self.mobiles: dict[str, list[ParsedPhone]] = {
            country: phone_pool(country, True, phone_size, self.rng) for _, country, _ in LOCALES
        }
        self.fixed: dict[str, list[ParsedPhone]] = {
            country: phone_pool(country, False, phone_size, self.rng) for _, country, _ in LOCALES
        }
        # How many addresses each email local part has had: the next gets a counter.
        self.email_bases: dict[str, int] = {}

    def pick_locale(self) -> int:
        return self.rng.choices(range(len(self.pools)), cum_weights=self.country_weights)[0]

    def moment_between(self, start: datetime, end: datetime) -> datetime:
        span = max(0.0, (end - start).total_seconds())
        return start + timedelta(seconds=self.rng.random() * span)
