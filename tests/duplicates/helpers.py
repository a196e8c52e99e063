"""Contacts made through the contact services, and the pairs they left."""

from __future__ import annotations

from crm.companies.models import Company
from crm.contacts.services import AddressInput, ContactChanges, PhoneInput, create_contact
from crm.duplicates.models import DuplicateCandidate


def full_width(text: str) -> str:
    """The text in full-width forms (U+FF41...), as some East Asian keyboards type it."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


async def person(
    first: str,
    last: str,
    *,
    email: str | None = None,
    phones: tuple[str, ...] = (),
    city: str | None = None,
    company: Company | None = None,
) -> int:
    changes = ContactChanges(
        first_name=first,
        last_name=last,
        email=email,
        phones=[PhoneInput(number, "FR") for number in phones],
        address=AddressInput(city=city) if city else None,
        company_id=company.id if company is not None else None,
    )
    return (await create_contact(changes)).id


async def company(name: str) -> Company:
    return await Company.create(name=name, sort_name=name.lower())


async def pairs() -> dict[tuple[int, int], list[str]]:
    """The open pairs, lower id first, with their reasons."""
    return {
        (row.low_contact_id, row.high_contact_id): row.reason_list  # type: ignore[attr-defined]
        for row in await DuplicateCandidate.filter(dismissed_at__isnull=True)
    }
