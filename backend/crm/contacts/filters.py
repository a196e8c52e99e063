"""Which contacts a list shows, and in what order: filter, search and sort keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import phonenumbers
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from crm.contacts.models import Contact, ContactStatus, ContactType, PortalStatus
from crm.core.pagination import SortKey
from crm.core.text import clean, digits, fold, looks_like_phone, words
from crm.groups.models import GroupMembership
from crm.settings import get_settings

MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 8


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
    city: str | None = None
    industry: str | None = None
    has_email: bool | None = None
    # Channel name ("email", "sms", "phone", "post") -> consent wanted (True) or not (False).
    consent: dict[str, bool] = field(default_factory=dict)
    created_from: datetime | None = None
    created_to: datetime | None = None
    last_contacted_from: datetime | None = None
    last_contacted_to: datetime | None = None


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


def search_condition(query: str) -> Q | None:
    """Every word must prefix a word of the contact (or its company); phone digits match inside."""
    query = query.strip()[:MAX_SEARCH_LENGTH]
    if not query:
        return None
    if looks_like_phone(query):
        return Q(
            *[Q(search_text__contains=number) for number in _phone_digits(query)], join_type=Q.OR
        )
    terms = _terms(query)[:MAX_SEARCH_WORDS]
    if not terms:
        return Q(id=-1)
    return Q(
        *[
            Q(search_text__contains=f" {term}") | Q(company__search_text__contains=f" {term}")
            for term in terms
        ]
    )


def filtered_contacts(spec: ContactFilterSpec | None, search: str | None) -> QuerySet[Contact]:
    spec = spec or ContactFilterSpec()
    queryset = Contact.all()
    if spec.archived is not None:
        queryset = queryset.filter(archived_at__isnull=not spec.archived)
    if spec.types:
        queryset = queryset.filter(type__in=spec.types)
    if spec.statuses:
        queryset = queryset.filter(status__in=spec.statuses)
    if spec.portal_statuses:
        queryset = queryset.filter(portal_status__in=spec.portal_statuses)
    if spec.company_id is not None:
        queryset = queryset.filter(company_id=spec.company_id)
    country = (spec.country or "").strip().upper()
    if country:
        # Countries are two-letter codes: anything else names none (and is no database error).
        queryset = queryset.filter(country=country) if len(country) == 2 else queryset.filter(id=-1)
    queryset = _apply_details(queryset, spec)
    if search:
        condition = search_condition(search)
        if condition is not None:
            queryset = queryset.filter(condition)
    return queryset


def _apply_details(queryset: QuerySet[Contact], spec: ContactFilterSpec) -> QuerySet[Contact]:
    if spec.group_id is not None:
        members = GroupMembership.filter(group_id=spec.group_id).values("contact_id")
        queryset = queryset.filter(id__in=Subquery(members))
    if city := clean(spec.city):
        queryset = queryset.filter(city_key=fold(city))
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
