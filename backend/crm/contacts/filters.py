"""Which contacts a list shows, and in what order: filter, search and sort keys."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import phonenumbers
from pypika_tortoise.terms import Term
from tortoise import connections
from tortoise.expressions import Q, RawSQL, Subquery
from tortoise.queryset import QuerySet

from crm.contacts.models import Contact, ContactStatus, ContactType, PortalStatus
from crm.contacts.services import city_key
from crm.core.inputs import NO_ROW
from crm.core.pagination import DEFAULT_PAGE_SIZE, SortKey
from crm.core.text import (
    MAX_SEARCH_LENGTH,
    MAX_SEARCH_WORDS,
    clean,
    digits,
    fold,
    looks_like_phone,
    words,
)
from crm.db import dialect
from crm.groups.models import GroupMembership
from crm.products.models import ContactProduct
from crm.search.index import (
    SearchSQL,
    indexed,
    like,
    like_literal,
    rows_containing,
)
from crm.settings import get_settings


class ContactSortField(StrEnum):
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"
    LAST_CONTACTED_AT = "LAST_CONTACTED_AT"


@dataclass
class ContactFilterSpec:
    types: list[ContactType] | None = None
    statuses: list[ContactStatus] | None = None
    company_id: int | None = None
    portal_statuses: list[PortalStatus] | None = None
    archived: bool | None = False
    country: str | None = None
    group_id: int | None = None
    product_id: int | None = None
    city: str | None = None
    industry: str | None = None
    has_email: bool | None = None
    # Channel name ("email", "sms", "phone", "post") -> consent wanted (True) or not (False).
    consent: dict[str, bool] = field(default_factory=dict)
    created_from: datetime | None = None
    created_to: datetime | None = None
    last_contacted_from: datetime | None = None
    last_contacted_to: datetime | None = None
    owner_id: int | None = None
    # True: contacts someone owns; False: contacts nobody owns.
    has_owner: bool | None = None


def sort_keys(field: ContactSortField, descending: bool) -> list[SortKey]:
    match field:
        case ContactSortField.NAME:
            return [SortKey("sort_name", descending)]
        case ContactSortField.CREATED_AT:
            return [SortKey("created_at", descending, is_datetime=True)]
        case ContactSortField.UPDATED_AT:
            return [SortKey("updated_at", descending, is_datetime=True)]
        case ContactSortField.LAST_CONTACTED_AT:
            return [SortKey("last_contacted_at", descending, nullable=True, is_datetime=True)]


def _phone_digits(query: str) -> list[str]:
    """The digits typed, and those of the whole number when it parses ("0044 (0)20 ...")."""
    typed = digits(query)
    try:
        parsed = phonenumbers.parse(query, get_settings().default_country)
    except phonenumbers.NumberParseException:
        return [typed]
    if not phonenumbers.is_valid_number(parsed):
        return [typed]
    e164 = digits(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    return list(dict.fromkeys([typed, e164]))


def _terms(query: str) -> list[str]:
    """Folded words; an email address (or "@domain") stays whole so it finds just that address."""
    terms: list[str] = []
    for part in query.split():
        if "@" in part:
            address = fold(part.strip("\"'<>(),;")).lstrip("@")
            if address:
                terms.append(address)
        else:
            terms.extend(words(part))
    return terms


# A search for one word can find its page two ways. Through the index: every match, sorted,
# about as costly as the share `d` of contacts that match times their number N. Walking the
# list in its order, checking each row: about PAGE / d rows for a page. The walk is the
# quicker when d > sqrt(PAGE / N): such a word is "common". `d` is measured on the first
# SAMPLE_ROWS contacts of the list, the rows a walk reads first, the same way on both
# databases, and remembered per process for COMMON_TTL_SECONDS (the number of contacts for
# COUNT_TTL_SECONDS).
SAMPLE_ROWS = 2000
COMMON_TTL_SECONDS = 600.0
COUNT_TTL_SECONDS = 3600.0
# None: the threshold is sqrt(PAGE / N). A fixed share (tests) skips counting the contacts.
MIN_COMMON_SHARE: float | None = None


@dataclass(frozen=True)
class Commonness:
    common: bool
    share: float  # of the sampled contacts whose own text has the word
    contacts: int  # live contacts counted (0 when not counted)

    @property
    def estimated_matches(self) -> int:
        return round(self.share * self.contacts)


_commonness: dict[str, tuple[float, Commonness]] = {}
_contacts_counted: list[tuple[float, int]] = []


def single_indexed_word(search: str | None) -> str | None:
    """The one indexed word prefix of a search made of a single plain word, else None."""
    query = (search or "").strip()[:MAX_SEARCH_LENGTH]
    if not query or looks_like_phone(query):
        return None
    terms = _terms(query)
    if len(terms) != 1 or not indexed(f" {terms[0]}"):
        return None
    return f" {terms[0]}"


async def is_common(prefix: str) -> bool:
    return (await commonness(prefix)).common


async def commonness(prefix: str) -> Commonness:
    """How common `prefix` is among the contacts (see SAMPLE_ROWS); one statement the first
    time a process meets the word in COMMON_TTL_SECONDS (and one to count the contacts)."""
    now = time.monotonic()
    known = _commonness.get(prefix)
    if known is not None and known[0] > now:
        return known[1]
    matches, sampled = await _sample(prefix)
    share = matches / sampled if sampled else 0.0
    if sampled < SAMPLE_ROWS:
        # Few contacts: the index finds them all at once, whatever the word.
        result = Commonness(False, share, sampled)
    elif MIN_COMMON_SHARE is not None:
        result = Commonness(share >= MIN_COMMON_SHARE, share, 0)
    else:
        contacts = await _live_contacts(now)
        result = Commonness(share >= (DEFAULT_PAGE_SIZE / contacts) ** 0.5, share, contacts)
    if len(_commonness) > 10_000:
        _commonness.clear()
    _commonness[prefix] = (now + COMMON_TTL_SECONDS, result)
    return result


async def _sample(prefix: str) -> tuple[int, int]:
    """How many of the first SAMPLE_ROWS live contacts in name order contain `prefix`, and
    how many were read."""
    mark = "$1" if dialect() == "postgres" else "?"
    rows = await connections.get("default").execute_query(
        "SELECT count(*), coalesce(sum(CASE WHEN search_text LIKE "
        f"{mark} ESCAPE '\\' THEN 1 ELSE 0 END), 0) FROM (SELECT search_text FROM contact "
        f"WHERE archived_at IS NULL ORDER BY sort_name, id LIMIT {SAMPLE_ROWS}) AS first_rows",
        [f"%{like_literal(prefix)}%"],
    )
    sampled, matches = rows[1][0]
    return int(matches), int(sampled)


async def _live_contacts(now: float) -> int:
    if _contacts_counted and _contacts_counted[0][0] > now:
        return _contacts_counted[0][1]
    _, rows = await connections.get("default").execute_query(
        "SELECT count(*) FROM contact WHERE archived_at IS NULL"
    )
    count = int(rows[0][0])
    _contacts_counted[:] = [(now + COUNT_TTL_SECONDS, count)]
    return count


def _walk_condition(prefix: str) -> Q:
    """`prefix` in the contact's text or its company's, checked row by row as the list is
    walked in its order: for a common word the page fills after a few hundred rows. The
    (few) matching companies are found once through the index."""
    return Q(search_text__contains=prefix) | Q(
        company_id__in=SearchSQL("(", rows_containing("company", [prefix]), ")")
    )


def _index_key(prefix: str) -> str:
    """What the index is asked for a term: an address or domain by its start, up to the first
    "." or "@" (" salzgmbh" for " salzgmbh.example"): the labels after it ("example", "com",
    "mail") are in very many rows, and a trigram lookup costs as much as its commonest
    trigram. The rows found are then checked for the whole term."""
    if "." not in prefix:
        return prefix
    head = re.split(r"[.@]", prefix, maxsplit=1)[0]
    return head if indexed(head) else prefix


def _word_condition(terms: list[str]) -> Q:
    """Every term starts a word of the contact or of its company.

    The index finds the candidates, the few of them are checked exactly:
    - contacts whose own text has every indexed term (one index query, intersected by the
      database), the short terms checked on those rows;
    - contacts of the (few) companies matching some indexed term, every term checked on the
      contact's or the company's text.
    A contact matches through one of the two or not at all. Terms of one character have no
    trigram: when there is nothing else, the plain scan in list order (most rows match one
    letter, so a page fills fast).
    """
    prefixes = [f" {term}" for term in terms]
    long = [prefix for prefix in prefixes if indexed(prefix)]
    keys = list(dict.fromkeys(_index_key(prefix) for prefix in long))
    if not long:
        return Q(
            *[
                Q(search_text__contains=prefix) | Q(company__search_text__contains=prefix)
                for prefix in prefixes
            ]
        )
    parts: list[str | Term] = [
        "(SELECT m.id FROM contact m WHERE m.id IN (",
        rows_containing("contact", keys, every=True),
        ")",
    ]
    for prefix in prefixes:
        if indexed(prefix) and _index_key(prefix) != prefix:
            # `|| ''`: a check on the rows found, which PostgreSQL must not plan as a second,
            # slow, index lookup.
            parts += [" AND ", *like("(m.search_text || '')", prefix)]
        elif not indexed(prefix):
            parts += [" AND (", *like("m.search_text", prefix)]
            parts += [" OR m.company_id IN (SELECT id FROM company WHERE "]
            parts += [*like("search_text", prefix), "))"]
    parts += [
        " UNION ALL SELECT m.id FROM contact m JOIN company co ON co.id = m.company_id"
        " WHERE co.id IN (",
        rows_containing("company", keys),
        ")",
    ]
    for prefix in prefixes:
        parts += [
            " AND (",
            *like("m.search_text", prefix),
            " OR ",
            *like("co.search_text", prefix),
            ")",
        ]
    parts.append(")")
    return Q(id__in=SearchSQL(*parts))


@dataclass(frozen=True)
class ContactList:
    contacts: QuerySet[Contact]
    # A single common word: its matches estimated from the sample, not counted (a count
    # would read each of them).
    estimated_count: int | None = None


async def listed_contacts(spec: ContactFilterSpec, search: str | None) -> ContactList:
    """The contacts a list shows, found the quicker way for its search: a single common word
    is walked in list order (see `commonness`), which fills a page fast only when no other
    filter thins the list out; with one, the index's matches are the quicker way."""
    word = single_indexed_word(search)
    if word is None or spec != ContactFilterSpec(archived=spec.archived):
        return ContactList(filtered_contacts(spec, search))
    found = await commonness(word)
    if not found.common:
        return ContactList(filtered_contacts(spec, search))
    estimate = found.estimated_matches if spec.archived is False and found.contacts else None
    return ContactList(filtered_contacts(spec, search, common_search=True), estimate)


def search_condition(query: str, *, common: bool = False) -> Q | None:
    """Every word must prefix a word of the contact (or its company); phone digits match inside.

    `common`: the search is one word that `is_common`, walked in list order instead.
    """
    return _search(query, common)[0]


def _search(query: str, common: bool) -> tuple[Q | None, bool]:
    """The search condition, and whether the index drives it (a list of matching ids)."""
    if common and (prefix := single_indexed_word(query)) is not None:
        return _walk_condition(prefix), False
    query = query.strip()[:MAX_SEARCH_LENGTH]
    if not query:
        return None, False
    if looks_like_phone(query):
        # At least 3 digits (looks_like_phone), so always indexed.
        return Q(id__in=SearchSQL("(", rows_containing("contact", _phone_digits(query)), ")")), True
    terms = _terms(query)[:MAX_SEARCH_WORDS]
    if not terms:
        return Q(id=NO_ROW), False
    return _word_condition(terms), any(indexed(f" {term}") for term in terms)


# `archived_at IS NULL` in a form no index serves. SQLite (no statistics) would otherwise walk
# the (archived_at, sort_name) index in list order checking each row against the search's
# ids: fine when most rows match, a scan of the whole table for a rare word.
_LIVE = RawSQL('CASE WHEN "contact"."archived_at" IS NULL THEN 1 ELSE 0 END')


def filtered_contacts(
    spec: ContactFilterSpec | None, search: str | None, *, common_search: bool = False
) -> QuerySet[Contact]:
    """The contacts a list shows. `common_search`: the search is one common word (see
    `is_common`), found by walking the list order rather than through the index."""
    spec = spec or ContactFilterSpec()
    queryset = Contact.all()
    condition, by_index = _search(search, common_search) if search else (None, False)
    if spec.archived is not None:
        if by_index and dialect() == "sqlite":
            queryset = queryset.annotate(_live=_LIVE).filter(_live=0 if spec.archived else 1)
        else:
            queryset = queryset.filter(archived_at__isnull=not spec.archived)
    if spec.types:
        queryset = queryset.filter(type__in=spec.types)
    if spec.statuses:
        queryset = queryset.filter(status__in=spec.statuses)
    if spec.portal_statuses:
        queryset = queryset.filter(portal_status__in=spec.portal_statuses)
    if spec.company_id is not None:
        queryset = queryset.filter(company_id=spec.company_id)
    if spec.owner_id is not None:
        queryset = queryset.filter(owner_id=spec.owner_id)
    if spec.has_owner is not None:
        queryset = queryset.filter(owner_id__isnull=not spec.has_owner)
    country = (spec.country or "").strip().upper()
    if country:
        # Countries are two-letter codes: anything else names none (and is no database error).
        queryset = (
            queryset.filter(country=country) if len(country) == 2 else queryset.filter(id=NO_ROW)
        )
    queryset = _apply_details(queryset, spec)
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset


def _apply_details(queryset: QuerySet[Contact], spec: ContactFilterSpec) -> QuerySet[Contact]:
    if spec.group_id is not None:
        members = GroupMembership.filter(group_id=spec.group_id).values("contact_id")
        queryset = queryset.filter(id__in=Subquery(members))
    if spec.product_id is not None:
        users = ContactProduct.filter(product_id=spec.product_id).values("contact_id")
        queryset = queryset.filter(id__in=Subquery(users))
    if city := clean(spec.city):
        queryset = queryset.filter(city_key=city_key(city))
    if industry := clean(spec.industry):
        queryset = queryset.filter(company__industry__iexact=industry)
    if spec.has_email is not None:
        queryset = queryset.filter(email__isnull=not spec.has_email)
    for channel, wanted in spec.consent.items():
        queryset = queryset.filter(**{f"{channel}_opt_in": wanted})
    ranges = (
        ("created_at", spec.created_from, spec.created_to),
        ("last_contacted_at", spec.last_contacted_from, spec.last_contacted_to),
    )
    for column, start, end in ranges:
        if start is not None:
            queryset = queryset.filter(**{f"{column}__gte": start})
        if end is not None:
            queryset = queryset.filter(**{f"{column}__lt": end})
    return queryset
