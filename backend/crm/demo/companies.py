"""Demo companies: names in each country's style, a website on a reserved domain, an address."""

from __future__ import annotations

import random
from typing import Any

from tortoise.transactions import in_transaction

from crm.companies.services import search_text_for, sort_name_for
from crm.core.bulk import insert_sql, reserve_ids
from crm.core.text import words
from crm.demo.generator import BATCH_SIZE, THREE_YEARS, Generator
from crm.demo.pools import LocalePool, ascii_slug

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

COMPANY_COLUMNS = (
    "id", "name", "sort_name", "search_text", "website", "industry", "phone", "phone_country",
    "notes", "address_line1", "address_line2", "city", "region", "postal_code", "country",
    "created_at", "updated_at", "owner_id",
)  # fmt: skip


def _company_name(rng: random.Random, pool: LocalePool, used: set[str]) -> str:
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
    gen: Generator, company_id: int, locale: int, used: set[str]
) -> tuple[tuple[Any, ...], str]:
    """The COMPANY_COLUMNS values of a new company, and the email domain of its people."""
    rng = gen.rng
    pool = gen.pools[locale]
    name = _company_name(rng, pool, used)
    used.add(name)
    slug = ascii_slug(" ".join(words(name)[:2])) or f"company{company_id}"
    domain = f"{slug[:40]}.example"
    website = f"https://www.{domain}" if rng.random() < 0.85 else None
    phone = rng.choice(gen.fixed[pool.country]) if rng.random() < 0.8 else None
    created = gen.moment_between(gen.now - THREE_YEARS, gen.now)
    updated = created if rng.random() < 0.5 else gen.moment_between(created, gen.now)
    row = (
        company_id,
        name,
        sort_name_for(name),
        search_text_for(name),
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
        None,  # nobody owns demo companies
    )
    return row, domain


async def insert_companies(
    gen: Generator, dialect: str, locales: list[int]
) -> tuple[list[int], list[str]]:
    """One company per locale given; their ids and email domains, in that order."""
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
                row, domain = company_row(gen, company_id, locale, used)
                rows.append(row)
                domains.append(domain)
            await conn.execute_many(sql, rows)
        ids += chunk_ids
    return ids, domains
