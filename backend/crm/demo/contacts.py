"""Demo contacts: a person drawn from a locale's pools, their email, phones, consent and dates.

Every derived column (sort_name, search_text, email_key, phone formats) is computed with the
functions the services use. Emails use reserved domains (RFC 2606: `example.com`,
`*.example`), so a campaign run against demo data reaches nobody.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from tortoise.transactions import in_transaction

from crm.contacts.bulk import CONTACT_COLUMNS, PHONE_COLUMNS, phone_row
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
from crm.core.validation import ParsedPhone, email_key
from crm.demo.generator import Generator

PERSONAL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example", "post.example")

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
# The weights as cumulative lists, for `bisect` on one random number.
_TYPES = list(TYPE_WEIGHTS)
_TYPE_WEIGHTS = list(itertools.accumulate(TYPE_WEIGHTS.values()))
_STATUSES = {
    kind: (list(weights), list(itertools.accumulate(weights.values())))
    for kind, weights in STATUS_WEIGHTS.items()
}
ONE_YEAR = timedelta(days=365)


def _email_local(gen: Generator, first: str, last: str) -> str:
    rng = gen.rng
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
    count = gen.email_bases.get(base, 0) + 1
    gen.email_bases[base] = count
    # A counter right after the name, never after a dot: `write_contacts` renames a clash
    # with `.<id>`, so the two kinds of address cannot meet.
    return base if count == 1 else f"{base}{count}"


def _phones_for(
    gen: Generator, country: str, in_company: bool
) -> list[tuple[PhoneType, ParsedPhone, bool]]:
    rng = gen.rng
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
        where = country if rng.random() < 0.95 else gen.pools[gen.pick_locale()].country
        mobile = kind == PhoneType.MOBILE or (kind == PhoneType.OTHER and rng.random() < 0.5)
        parsed = rng.choice((gen.mobiles if mobile else gen.fixed)[where])
        if parsed.e164 in seen:
            continue
        seen.add(parsed.e164)
        phones.append((kind, parsed, kind == PhoneType.MOBILE or parsed.is_mobile))
    return phones


def contact_row(
    gen: Generator,
    created: datetime,
    company: tuple[int, int, str] | None,
    archived: bool,
    primary: bool,
) -> dict[str, Any]:
    """One contact as a column dict (no id yet) plus its phones under "_phones"."""
    rng = gen.rng
    in_home_country = company is not None and rng.random() < 0.85
    locale = company[1] if company is not None and in_home_country else gen.pick_locale()
    pool = gen.pools[locale]
    female = rng.random() < 0.5
    first, first_ascii = rng.choice(pool.female if female else pool.male)
    last, last_ascii = rng.choice(pool.last)
    if rng.random() < 0.08:  # double-barrelled / two family names
        second, second_ascii = rng.choice(pool.last)
        if second != last and len(last) + len(second) < 90:
            last, last_ascii = f"{last}-{second}", f"{last_ascii}{second_ascii}"

    kind = _TYPES[bisect.bisect(_TYPE_WEIGHTS, rng.random() * _TYPE_WEIGHTS[-1])]
    statuses, status_weights = _STATUSES[kind]
    status = statuses[bisect.bisect(status_weights, rng.random() * status_weights[-1])]
    email = None
    if kind in (ContactType.PROSPECT, ContactType.CLIENT) or rng.random() < 0.85:
        if company is not None and rng.random() < 0.8:
            domain = company[2]
        else:
            domain = rng.choice(PERSONAL_DOMAINS)
        email = f"{_email_local(gen, first_ascii, last_ascii)}@{domain}"

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

    phones = _phones_for(gen, pool.country, company is not None)
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

    updated = created if rng.random() < 0.4 else gen.moment_between(created, gen.now)
    last_contacted = None
    if rng.random() < 0.6:
        last_contacted = gen.moment_between(max(created, gen.now - ONE_YEAR), gen.now)
        updated = max(updated, last_contacted)
    archived_at = gen.moment_between(created, gen.now) if archived else None
    if archived_at is not None:
        updated = max(updated, archived_at)

    # Consent as the services record it for fields filled in by staff.
    filled = {
        "email": email is not None,
        "sms": gen.sms_enabled and any(is_mobile for *_, is_mobile in phones),
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
        "owner_id": None,
        "portal_status": PortalStatus.NOT_INVITED.value,
        "archived_at": archived_at,
        "last_contacted_at": last_contacted,
        "avatar_version": 0,
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
            (gen.moment_between(created, gen.now) if withdrawn else created) if is_filled else None
        )
        row[f"{channel}_opt_in_source"] = ConsentSource.STAFF.value if is_filled else None
    row["_phones"] = [
        (kind.value, parsed, position == primary_at)
        for position, (kind, parsed, _) in enumerate(phones)
    ]
    return row


@dataclass
class _Person:
    """Duck-types the Contact fields that sort_name_for / search_text_for read."""

    first_name: str
    last_name: str
    email: str | None


def with_derived(row: dict[str, Any]) -> dict[str, Any]:
    """Fill email_key, sort_name and search_text exactly as the services do."""
    person = cast(Contact, _Person(row["first_name"], row["last_name"], row["email"]))
    row["email_key"] = email_key(row["email"])
    row["sort_name"] = sort_name_for(person)
    row["search_text"] = search_text_for(person, [parsed for _, parsed, _ in row["_phones"]])
    return row


async def write_contacts(dialect: str, batch: list[dict[str, Any]]) -> tuple[int, int]:
    """Insert the rows of `contact_row` (with their phones) in one transaction; returns how
    many contacts and phone numbers went in."""
    contact_rows = []
    phone_rows = []
    async with in_transaction() as conn:
        ids = await reserve_ids(conn, dialect, "contact", len(batch))
        keys = [row["email_key"] for row in batch if row["email_key"]]
        taken = await ids_by_key(conn, dialect, "contact", "email_key", keys)
        for contact_id, row in zip(ids, batch, strict=True):
            if row["email_key"] in taken:
                # Demo data added again: keep addresses unique with the (new) id.
                local, _, domain = row["email"].partition("@")
                row["email"] = f"{local}.{contact_id}@{domain}"
                with_derived(row)
            row["id"] = contact_id
            contact_rows.append(tuple(row[column] for column in CONTACT_COLUMNS))
            phone_rows += [
                phone_row(contact_id, position, kind, parsed, is_primary)
                for position, (kind, parsed, is_primary) in enumerate(row["_phones"])
            ]
        await conn.execute_many(insert_sql(dialect, "contact", CONTACT_COLUMNS), contact_rows)
        await conn.execute_many(insert_sql(dialect, "phone_number", PHONE_COLUMNS), phone_rows)
    return len(contact_rows), len(phone_rows)
