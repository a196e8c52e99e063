"""Realistic fake contacts, companies and phone numbers for demos and benchmarks.

`create_demo_data(contacts, seed)` adds (never wipes) contacts spread over many countries.
It is built for volume: Faker is slow per call, so names, streets, cities and company
names are drawn once per locale into pools (`pools`) and then combined with a seeded
`random.Random` (`generator`); phone numbers are pre-validated pools per country (`phones`).
Rows go in with raw `executemany` in batched transactions (`companies`, `contacts`, `plan`),
and every derived column (sort_name, search_text, email_key, phone formats) is computed with
the same functions the services use.

Safety: email addresses use reserved domains (RFC 2606: `example.com`, `*.example`),
and UK / North American / Australian / French numbers come from the ranges the
regulators reserve for fiction where phonenumbers accepts them, so a campaign run
against demo data reaches nobody.
"""

from __future__ import annotations

import math
import time

from tortoise import connections

from crm.demo.companies import insert_companies
from crm.demo.contacts import write_contacts
from crm.demo.generator import BATCH_SIZE, Generator
from crm.demo.plan import contact_batch, plan_companies


async def create_demo_data(contacts: int, seed: int = 1) -> str:
    """Add `contacts` fake contacts (and about one company per 8 of them); returns a summary.

    Generation and writing do not overlap on purpose: a CPU-bound generator thread starves
    sqlite3's per-row parameter binding of the GIL and makes the whole run slower.
    """
    if contacts < 0:
        raise ValueError("contacts must not be negative")
    started = time.perf_counter()
    dialect = connections.get("default").capabilities.dialect
    gen = Generator(contacts, seed)

    company_count = math.ceil(contacts / 8) if contacts else 0
    company_locales = [gen.pick_locale() for _ in range(company_count)]
    company_ids, company_domains = await insert_companies(gen, dialect, company_locales)
    plan = plan_companies(gen, contacts, company_ids, company_locales, company_domains)

    written = phones = 0
    write_seconds = 0.0
    for start in range(0, contacts, BATCH_SIZE):
        batch = contact_batch(gen, plan, start, min(contacts, start + BATCH_SIZE))
        writing = time.perf_counter()
        added, added_phones = await write_contacts(dialect, batch)
        write_seconds += time.perf_counter() - writing
        written, phones = written + added, phones + added_phones

    elapsed = time.perf_counter() - started
    return (
        f"Added {written} contacts ({phones} phone numbers, {sum(plan.archived)} "
        f"archived) and {company_count} companies ({sum(plan.primary)} with a primary contact) "
        f"on {dialect} in {elapsed:.1f} s (database writes {write_seconds:.1f} s, seed {seed})."
    )
