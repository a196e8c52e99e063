"""Realistic fake contacts, companies and phone numbers for demos and benchmarks.

`create_demo_data(contacts, seed)` adds (never wipes) contacts spread over many countries.
It is built for volume: Faker is slow per call, so names, streets, cities and company
names are drawn once per locale into pools and then combined with a seeded
`random.Random`; phone numbers are pre-validated pools per country. Rows go in with raw
`executemany` in batched transactions, and every derived column (sort_name, search_text,
email_key, phone formats) is computed with the same functions the services use.

Safety: email addresses use reserved domains (RFC 2606: `example.com`, `*.example`),
and UK / North American / Australian / French numbers come from the ranges the
regulators reserve for fiction where phonenumbers accepts them, so a campaign run
against demo data reaches nobody.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import re
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from tortoise import connections
from tortoise.transactions import in_transaction

from crm.companies.services import search_text_for as company_search_text
from crm.companies.services import sort_name_for as company_sort_name
from crm.contacts.bulk import CONTACT_COLUMNS, PHONE_COLUMNS
from crm.contacts.models import (
    ConsentSource,
    Contact,
    ContactStatus,
    ContactType,
    PhoneType,
    PortalStatus,
    Title,
)
from crm.contacts.services import city_key, search_text_for, sort_name_for
from crm.core.bulk import ids_by_key, insert_sql, reserve_ids
from crm.core.text import clean, fold, words
from crm.core.validation import ParsedPhone, email_key
from crm.settings import get_settings

BATCH_SIZE = 5000

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

# Company name endings per country, for names beyond Faker's pool.
COMPANY_SUFFIXES: dict[str, tuple[str, ...]] = {
    "GB": ("Ltd", "PLC", "LLP", "& Sons", "Group", "Holdings"),
    "US": ("Inc.", "LLC", "Corp.", "Group", "Partners"),
    "DE": ("GmbH", "AG", "KG", "GmbH & Co. KG"),
    "FR": ("SA", "SARL", "SAS"),
    "ES": ("S.L.", "S.A."),
    "IT": ("S.p.A.", "S.r.l."),
    "NL": ("B.V.", "N.V."),
    "BR": ("Ltda.", "S.A."),
    "IN": ("Pvt Ltd", "Ltd", "Industries"),
    "PL": ("Sp. z o.o.", "S.A."),
    "JP": ("株式会社", "有限会社"),
    "AU": ("Pty Ltd", "Group"),
    "CA": ("Inc.", "Ltd."),
    "SE": ("AB", "HB"),
}

INDUSTRIES = (
    "Accounting", "Architecture", "Automotive", "Banking", "Construction", "Consulting",
    "Education", "Energy", "Engineering", "Food & Beverage", "Healthcare", "Hospitality",
    "Insurance", "Legal", "Logistics", "Manufacturing", "Marketing", "Media", "Non-profit",
    "Pharmaceuticals", "Real Estate", "Retail", "Software", "Telecommunications", "Travel",
)  # fmt: skip

PERSONAL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example", "post.example")

# National significant numbers in ranges reserved for fiction ("x" = any digit), tried
# before varying phonenumbers' example number; only numbers phonenumbers accepts are kept.
_US_AREAS = ("201", "202", "212", "213", "303", "305", "312", "404", "415", "617", "646", "713")
_CA_AREAS = ("403", "416", "514", "604", "613", "780")
FICTIONAL: dict[tuple[str, str], tuple[str, ...]] = {
    ("GB", "fixed"): ("2079460xxx", "1214960xxx", "1134960xxx", "1614960xxx", "1314960xxx"),
    ("US", "mobile"): tuple(f"{a}55501xx" for a in _US_AREAS),
    ("US", "fixed"): tuple(f"{a}55501xx" for a in _US_AREAS),
    ("CA", "mobile"): tuple(f"{a}55501xx" for a in _CA_AREAS),
    ("CA", "fixed"): tuple(f"{a}55501xx" for a in _CA_AREAS),
    ("AU", "mobile"): (
        "491570006", "491570156", "491570157", "491570158", "491570159", "491570110",
        "491570313", "491570737", "491571266", "491571491", "491571804", "491572549",
        "491572665", "491572983", "491573770", "491573087", "491574118", "491574632",
        "491575254", "491575789", "491576398", "491576801", "491577426", "491577644",
        "491578957", "491578148", "491578888", "491579212", "491579760", "491579455",
    ),
    ("AU", "fixed"): ("25550xxxx", "37010xxxx", "75550xxxx", "85550xxxx"),
    ("FR", "fixed"): ("19900xxxx", "26191xxxx", "35301xxxx", "46571xxxx", "53649xxxx"),
}  # fmt: skip

_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_FIXED_TYPES = (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
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

COMPANY_COLUMNS = (
    "id", "name", "sort_name", "search_text", "website", "industry", "phone", "phone_country",
    "notes", "address_line1", "address_line2", "city", "region", "postal_code", "country",
    "created_at", "updated_at",
)  # fmt: skip

TYPE_WEIGHTS = {
    ContactType.LEAD: 30,
    ContactType.PROSPECT: 20,
    ContactType.CLIENT: 38,
    ContactType.EMPLOYEE: 4,
    ContactType.OTHER: 8,
}
STATUS_WEIGHTS: dict[ContactType, dict[ContactStatus, int]] = {
    ContactType.LEAD: {
        ContactStatus.NEW: 45,
        ContactStatus.CONTACTED: 30,
        ContactStatus.QUALIFIED: 10,
        ContactStatus.UNQUALIFIED: 15,
    },
    ContactType.PROSPECT: {
        ContactStatus.CONTACTED: 40,
        ContactStatus.QUALIFIED: 50,
        ContactStatus.UNQUALIFIED: 10,
    },
    ContactType.CLIENT: {ContactStatus.CONVERTED: 92, ContactStatus.QUALIFIED: 8},
    ContactType.EMPLOYEE: {ContactStatus.NEW: 60, ContactStatus.CONVERTED: 40},
    ContactType.OTHER: {
        ContactStatus.NEW: 50,
        ContactStatus.CONTACTED: 35,
        ContactStatus.CONVERTED: 15,
    },
}
THREE_YEARS = timedelta(days=3 * 365)
ONE_YEAR = timedelta(days=365)


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


def _draw(make: Any, count: int) -> list[Any]:
    seen = dict.fromkeys(make() for _ in range(count))
    return [value for value in seen if value and value[0]]


def _locale_pool(locale: str, country: str, size: int, seed: int) -> LocalePool:
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(seed)

    def text(method: str) -> Any:
        return lambda: clean(getattr(fake, method)())

    if locale == "ja_JP":
        # Kanji for display, the romanized reading for the email address.
        def pair(method: str) -> Any:
            def make() -> tuple[str, str]:
                kanji, _kana, roman = getattr(fake, method)()
                return kanji, ascii_slug(roman)

            return make

        male, female, last = (
            pair("first_name_male_pair"),
            pair("first_name_female_pair"),
            pair("last_name_pair"),
        )
    else:

        def named(method: str) -> Any:
            def make() -> tuple[str, str]:
                value = clean(getattr(fake, method)())
                return value, ascii_slug(value)

            return make

        male, female, last = (
            named("first_name_male"),
            named("first_name_female"),
            named("last_name"),
        )
    try:
        fake.administrative_unit()
        regions = _draw(text("administrative_unit"), max(10, size // 4))
    except AttributeError:
        regions = []
    return LocalePool(
        country=country,
        male=_draw(male, size),
        female=_draw(female, size),
        last=_draw(last, size * 2),
        cities=_draw(text("city"), size),
        streets=_draw(text("street_address"), size * 2),
        postcodes=_draw(text("postcode"), size),
        regions=regions,
        companies=_draw(text("company"), size),
        jobs=[job[:100] for job in _draw(text("job"), max(20, size // 2))],
    )


def _parsed(number: phonenumbers.PhoneNumber, kinds: Sequence[int]) -> ParsedPhone | None:
    """The number formatted as `crm.core.validation.parse_phone` stores it, if valid."""
    if not phonenumbers.is_valid_number(number):
        return None
    kind = phonenumbers.number_type(number)
    if kind not in kinds:
        return None
    return ParsedPhone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        country=phonenumbers.region_code_for_number(number) or "",
        national=phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
        international=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        is_mobile=kind in _MOBILE_TYPES,
    )


def _phone_pool(region: str, mobile: bool, size: int, rng: random.Random) -> list[ParsedPhone]:
    """Valid numbers for the region: reserved fictional ranges first, then example variants."""
    kinds = _MOBILE_TYPES if mobile else _FIXED_TYPES
    calling_code = phonenumbers.country_code_for_region(region)
    found: dict[str, ParsedPhone] = {}

    def attempt(national: str, italian_zero: bool = False) -> None:
        number = phonenumbers.PhoneNumber(
            country_code=calling_code,
            national_number=int(national),
            italian_leading_zero=italian_zero or None,
        )
        parsed = _parsed(number, kinds)
        if parsed is not None and parsed.country == region:
            found.setdefault(parsed.e164, parsed)

    templates = FICTIONAL.get((region, "mobile" if mobile else "fixed"), ())
    # A fictional range holds few numbers: stop once new draws keep repeating.
    misses = 0
    while templates and len(found) < size and misses < 50:
        template = rng.choice(templates)
        before = len(found)
        attempt("".join(rng.choice("0123456789") if ch == "x" else ch for ch in template))
        misses = 0 if len(found) > before else misses + 1
    example = phonenumbers.example_number_for_type(
        region, PhoneNumberType.MOBILE if mobile else PhoneNumberType.FIXED_LINE
    )
    if example is not None and len(found) < min(size, 20):
        base = str(example.national_number)
        vary = max(2, min(6, len(base) - 3))
        for _ in range(size * 4):
            if len(found) >= size:
                break
            tail = "".join(rng.choice("0123456789") for _ in range(vary))
            attempt(base[:-vary] + tail, bool(example.italian_leading_zero))
    if not found:
        raise RuntimeError(f"no valid demo phone numbers for {region}")
    return list(found.values())


@dataclass
class _Person:
    """Duck-types the Contact fields that sort_name_for / search_text_for read."""

    first_name: str
    last_name: str
    email: str | None


@dataclass
class _Stats:
    contacts: int = 0
    phones: int = 0
    archived: int = 0
    companies: int = 0
    primaries: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class _Generator:
    def __init__(self, contacts: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.sms_enabled = get_settings().sms_enabled
        size = max(12, min(250, contacts // 40))
        self.pools = [
            _locale_pool(locale, country, size, seed + index)
            for index, (locale, country, _) in enumerate(LOCALES)
        ]
        self.country_weights = list(itertools.accumulate(weight for *_, weight in LOCALES))
        phone_size = max(10, min(400, contacts // 30))
        self.mobiles = {
            country: _phone_pool(country, True, phone_size, self.rng) for _, country, _ in LOCALES
        }
        self.fixed = {
            country: _phone_pool(country, False, phone_size, self.rng) for _, country, _ in LOCALES
        }
        self.email_bases: dict[str, int] = {}
        self.types = list(TYPE_WEIGHTS)
        self.type_weights = list(itertools.accumulate(TYPE_WEIGHTS.values()))
        self.statuses = {
            kind: (list(weights), list(itertools.accumulate(weights.values())))
            for kind, weights in STATUS_WEIGHTS.items()
        }

    def pick_locale(self) -> int:
        return self.rng.choices(range(len(self.pools)), cum_weights=self.country_weights)[0]

    def moment_between(self, start: datetime, end: datetime) -> datetime:
        span = max(0.0, (end - start).total_seconds())
        return start + timedelta(seconds=self.rng.random() * span)

    # --- companies -------------------------------------------------------------

    def company_name(self, pool: LocalePool, used: set[str]) -> str:
        rng = self.rng
        for _ in range(3):
            name = rng.choice(pool.companies)
            if name not in used:
                return name
        suffix = rng.choice(COMPANY_SUFFIXES[pool.country])
        first, second = rng.choice(pool.last)[0], rng.choice(pool.last)[0]
        if pool.country == "JP":
            name = f"{suffix}{first}" if rng.random() < 0.5 else f"{first}{second}{suffix}"
        elif rng.random() < 0.3:
            name = f"{first} & {second} {suffix}"
        else:
            name = f"{first} {suffix}"
        if name in used:
            name = f"{name} ({rng.choice(pool.cities)})"
        return name[:200]

    def company_row(
        self, company_id: int, locale: int, used: set[str]
    ) -> tuple[tuple[Any, ...], str]:
        rng = self.rng
        pool = self.pools[locale]
        name = self.company_name(pool, used)
        used.add(name)
        slug = ascii_slug(" ".join(words(name)[:2])) or f"company{company_id}"
        domain = f"{slug[:40]}.example"
        website = f"https://www.{domain}" if rng.random() < 0.85 else None
        phone = rng.choice(self.fixed[pool.country]) if rng.random() < 0.8 else None
        created = self.moment_between(self.now - THREE_YEARS, self.now)
        updated = created if rng.random() < 0.5 else self.moment_between(created, self.now)
        row = (
            company_id,
            name,
            company_sort_name(name),
            company_search_text(name),
            website,
            rng.choice(INDUSTRIES) if rng.random() < 0.9 else None,
            phone.e164 if phone else None,
            phone.country if phone else None,
            None,
            rng.choice(pool.streets),
            None,
            rng.choice(pool.cities),
            rng.choice(pool.regions) if pool.regions and rng.random() < 0.4 else None,
            rng.choice(pool.postcodes),
            pool.country,
            created,
            updated,
        )
        return row, domain

    # --- contacts --------------------------------------------------------------

    def email_local(self, first: str, last: str) -> str:
        rng = self.rng
        roll = rng.random()
        if not first:
            base = last
        elif roll < 0.55:
            base = f"{first}.{last}"
        elif roll < 0.75:
            base = f"{first[0]}{last}"
        elif roll < 0.9:
            base = f"{first}{last}"
        else:
            base = f"{first}_{last}"
        base = base[:60] or "contact"
        count = self.email_bases.get(base, 0) + 1
        self.email_bases[base] = count
        # A counter right after the name; never a dot before digits (see _fix_collisions).
        return base if count == 1 else f"{base}{count}"

    def phones_for(
        self, country: str, in_company: bool
    ) -> list[tuple[PhoneType, ParsedPhone, bool]]:
        rng = self.rng
        count = rng.choices((1, 2, 3), cum_weights=(55, 90, 100))[0]
        wanted: list[PhoneType] = []
        first = rng.random()
        wanted.append(
            PhoneType.MOBILE
            if first < 0.7
            else (PhoneType.OFFICE if in_company and first < 0.9 else PhoneType.HOME)
        )
        if count >= 2:
            wanted.append(
                PhoneType.MOBILE
                if wanted[0] != PhoneType.MOBILE
                else (PhoneType.OFFICE if in_company else PhoneType.HOME)
            )
        if count >= 3:
            wanted.append(PhoneType.FAX if in_company and rng.random() < 0.5 else PhoneType.OTHER)
        phones: list[tuple[PhoneType, ParsedPhone, bool]] = []
        seen: set[str] = set()
        for kind in wanted:
            where = country if rng.random() < 0.95 else self.pools[self.pick_locale()].country
            mobile = kind == PhoneType.MOBILE or (kind == PhoneType.OTHER and rng.random() < 0.5)
            parsed = rng.choice((self.mobiles if mobile else self.fixed)[where])
            if parsed.e164 in seen:
                continue
            seen.add(parsed.e164)
            phones.append((kind, parsed, kind == PhoneType.MOBILE or parsed.is_mobile))
        return phones

    def contact(
        self,
        created: datetime,
        company: tuple[int, int, str] | None,
        archived: bool,
        primary: bool,
    ) -> dict[str, Any]:
        """One contact as a column dict (no id yet) plus its phones under "_phones"."""
        rng = self.rng
        in_home_country = company is not None and rng.random() < 0.85
        locale = company[1] if company is not None and in_home_country else self.pick_locale()
        pool = self.pools[locale]
        female = rng.random() < 0.5
        first, first_ascii = rng.choice(pool.female if female else pool.male)
        last, last_ascii = rng.choice(pool.last)
        if rng.random() < 0.08:  # double-barrelled / two family names
            second, second_ascii = rng.choice(pool.last)
            if second != last and len(last) + len(second) < 90:
                last, last_ascii = f"{last}-{second}", f"{last_ascii}{second_ascii}"

        kind = self.types[bisect.bisect(self.type_weights, rng.random() * self.type_weights[-1])]
        statuses, status_weights = self.statuses[kind]
        status = statuses[bisect.bisect(status_weights, rng.random() * status_weights[-1])]
        email = None
        if kind in (ContactType.PROSPECT, ContactType.CLIENT) or rng.random() < 0.85:
            if company is not None and rng.random() < 0.8:
                domain = company[2]
            else:
                domain = rng.choice(PERSONAL_DOMAINS)
            email = f"{self.email_local(first_ascii, last_ascii)}@{domain}"

        roll = rng.random()
        if roll < 0.85:
            address = (
                rng.choice(pool.streets),
                rng.choice(pool.cities),
                rng.choice(pool.regions) if pool.regions and rng.random() < 0.5 else None,
                rng.choice(pool.postcodes),
                pool.country,
            )
        elif roll < 0.95:
            address = (None, rng.choice(pool.cities), None, None, pool.country)
        else:
            address = (None, None, None, None, None)

        phones = self.phones_for(pool.country, company is not None)
        primary_at = 0 if len(phones) == 1 or rng.random() < 0.9 else rng.randrange(len(phones))

        if rng.random() < 0.7:
            title = None
        elif female:
            title = rng.choices(
                (Title.MS, Title.MRS, Title.MISS, Title.DR, Title.PROF), (45, 35, 10, 8, 2)
            )[0]
        else:
            title = rng.choices((Title.MR, Title.DR, Title.PROF), (88, 9, 3))[0]
        job = None
        if rng.random() < (0.75 if company is not None else 0.2):
            job = rng.choice(pool.jobs)

        updated = created if rng.random() < 0.4 else self.moment_between(created, self.now)
        last_contacted = None
        if rng.random() < 0.6:
            last_contacted = self.moment_between(max(created, self.now - ONE_YEAR), self.now)
            updated = max(updated, last_contacted)
        archived_at = self.moment_between(created, self.now) if archived else None
        if archived_at is not None:
            updated = max(updated, archived_at)

        # Consent as the services record it for fields filled in by staff.
        filled = {
            "email": email is not None,
            "sms": self.sms_enabled and any(is_mobile for *_, is_mobile in phones),
            "phone": any(kind != PhoneType.FAX for kind, *_ in phones),
            "post": any(part for part in address[:4]),
        }
        row: dict[str, Any] = {
            "title": title.value if title else None,
            "first_name": first,
            "last_name": last,
            "email": email,
            "type": kind.value,
            "status": status.value,
            "job_title": job,
            "company_id": company[0] if company is not None else None,
            "is_primary_contact": primary,
            "portal_status": PortalStatus.NOT_INVITED.value,
            "archived_at": archived_at,
            "last_contacted_at": last_contacted,
            "address_line1": address[0],
            "address_line2": None,
            "city": address[1],
            "city_key": city_key(address[1]),
            "region": address[2],
            "postal_code": address[3],
            "country": address[4],
            "created_at": created,
            "updated_at": updated,
        }
        for channel, is_filled in filled.items():
            withdrawn = is_filled and channel == "email" and rng.random() < 0.04
            row[f"{channel}_opt_in"] = is_filled and not withdrawn
            row[f"{channel}_opt_in_at"] = (
                (self.moment_between(created, self.now) if withdrawn else created)
                if is_filled
                else None
            )
            row[f"{channel}_opt_in_source"] = ConsentSource.STAFF.value if is_filled else None
        row["_phones"] = [
            (kind.value, parsed, position == primary_at)
            for position, (kind, parsed, _) in enumerate(phones)
        ]
        return row


async def _insert_companies(
    gen: _Generator, dialect: str, locales: list[int]
) -> tuple[list[int], list[str]]:
    ids: list[int] = []
    domains: list[str] = []
    used: set[str] = set()
    sql = insert_sql(dialect, "company", COMPANY_COLUMNS)
    for start in range(0, len(locales), BATCH_SIZE):
        chunk = locales[start : start + BATCH_SIZE]
        async with in_transaction() as conn:
            chunk_ids = await reserve_ids(conn, dialect, "company", len(chunk))
            rows = []
            for company_id, locale in zip(chunk_ids, chunk, strict=True):
                row, domain = gen.company_row(company_id, locale, used)
                rows.append(row)
                domains.append(domain)
            await conn.execute_many(sql, rows)
        ids += chunk_ids
    return ids, domains


@dataclass
class _Plan:
    """Decided up front: who works where, who is archived, who is a primary contact."""

    company_of: array  # index into company_ids, -1 for an individual customer
    archived: bytearray
    primary: bytearray
    company_ids: list[int]
    company_locales: list[int]
    company_domains: list[str]
    oldest: datetime
    step: timedelta


def _plan_companies(
    gen: _Generator,
    contacts: int,
    company_ids: list[int],
    company_locales: list[int],
    company_domains: list[str],
) -> _Plan:
    rng = gen.rng
    companies = len(company_ids)
    # Skewed sizes: a few large customers, many with one or two contacts.
    sizes = list(itertools.accumulate(min(40.0, rng.paretovariate(1.5)) for _ in range(companies)))
    company_of = array("i", [-1]) * contacts
    archived = bytearray(contacts)
    for index in range(contacts):
        if companies and rng.random() < 0.7:
            company_of[index] = min(companies - 1, bisect.bisect(sizes, rng.random() * sizes[-1]))
        archived[index] = rng.random() < 0.05
    wants_primary = [rng.random() < 0.6 for _ in range(companies)]
    primary = bytearray(contacts)
    for index, company in enumerate(company_of):
        if company >= 0 and wants_primary[company] and not archived[index]:
            primary[index] = 1
            wants_primary[company] = False
    return _Plan(
        company_of=company_of,
        archived=archived,
        primary=primary,
        company_ids=company_ids,
        company_locales=company_locales,
        company_domains=company_domains,
        oldest=gen.now - THREE_YEARS,
        step=THREE_YEARS / max(contacts, 1),
    )


def _with_derived(row: dict[str, Any]) -> dict[str, Any]:
    """Fill email_key, sort_name and search_text exactly as the services do."""
    person = cast(Contact, _Person(row["first_name"], row["last_name"], row["email"]))
    row["email_key"] = email_key(row["email"])
    row["sort_name"] = sort_name_for(person)
    row["search_text"] = search_text_for(person, [parsed for _, parsed, _ in row["_phones"]])
    return row


def _contact_batch(gen: _Generator, plan: _Plan, start: int, stop: int) -> list[dict[str, Any]]:
    batch = []
    for index in range(start, stop):
        company_index = plan.company_of[index]
        company = (
            (
                plan.company_ids[company_index],
                plan.company_locales[company_index],
                plan.company_domains[company_index],
            )
            if company_index >= 0
            else None
        )
        # Creation times rise with the id, as they do in real life, with jitter.
        created = plan.oldest + plan.step * (index + gen.rng.random())
        row = gen.contact(created, company, bool(plan.archived[index]), bool(plan.primary[index]))
        batch.append(_with_derived(row))
    return batch


async def _write_contacts(dialect: str, batch: list[dict[str, Any]], stats: _Stats) -> None:
    contact_rows = []
    phone_rows = []
    started = time.perf_counter()
    async with in_transaction() as conn:
        ids = await reserve_ids(conn, dialect, "contact", len(batch))
        keys = [row["email_key"] for row in batch if row["email_key"]]
        taken = await ids_by_key(conn, dialect, "contact", "email_key", keys)
        for contact_id, row in zip(ids, batch, strict=True):
            if row["email_key"] in taken:
                # Demo data added again: keep addresses unique with the (new) id.
                local, _, domain = row["email"].partition("@")
                row["email"] = f"{local}.{contact_id}@{domain}"
                _with_derived(row)
            row["id"] = contact_id
            contact_rows.append(tuple(row[column] for column in CONTACT_COLUMNS))
            for position, (kind, parsed, is_primary) in enumerate(row["_phones"]):
                phone_rows.append(
                    (
                        contact_id,
                        kind,
                        parsed.e164,
                        parsed.country,
                        parsed.national,
                        parsed.international,
                        is_primary,
                        position,
                    )
                )
        await conn.execute_many(insert_sql(dialect, "contact", CONTACT_COLUMNS), contact_rows)
        await conn.execute_many(insert_sql(dialect, "phone_number", PHONE_COLUMNS), phone_rows)
    stats.contacts += len(contact_rows)
    stats.phones += len(phone_rows)
    stats.seconds["write"] = stats.seconds.get("write", 0.0) + time.perf_counter() - started


async def create_demo_data(contacts: int, seed: int = 1) -> str:
    """Add `contacts` fake contacts (and about one company per 8 of them); returns a summary.

    Generation and writing do not overlap on purpose: a CPU-bound generator thread starves
    sqlite3's per-row parameter binding of the GIL and makes the whole run slower.
    """
    if contacts < 0:
        raise ValueError("contacts must not be negative")
    started = time.perf_counter()
    dialect = connections.get("default").capabilities.dialect
    stats = _Stats()
    gen = _Generator(contacts, seed)

    company_count = math.ceil(contacts / 8) if contacts else 0
    company_locales = [gen.pick_locale() for _ in range(company_count)]
    company_ids, company_domains = await _insert_companies(gen, dialect, company_locales)
    stats.companies = company_count
    plan = _plan_companies(gen, contacts, company_ids, company_locales, company_domains)
    stats.primaries = sum(plan.primary)
    stats.archived = sum(plan.archived)

    for start in range(0, contacts, BATCH_SIZE):
        batch = _contact_batch(gen, plan, start, min(contacts, start + BATCH_SIZE))
        await _write_contacts(dialect, batch, stats)

    elapsed = time.perf_counter() - started
    return (
        f"Added {stats.contacts} contacts ({stats.phones} phone numbers, {stats.archived} "
        f"archived) and {stats.companies} companies ({stats.primaries} with a primary contact) "
        f"on {dialect} in {elapsed:.1f} s (database writes {stats.seconds.get('write', 0):.1f} s"
        f", seed {seed})."
    )
