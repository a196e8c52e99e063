"""Batch loaders for contact relations; one query per relation per request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from typing import NamedTuple

from strawberry.dataloader import DataLoader

from crm.contacts.models import Contact, PhoneNumber, PhoneType


class PhoneRow(NamedTuple):
    """The columns of a phone number a contact shows: read as plain tuples, since a list
    page reads a hundred of them and building ORM models for them would cost more."""

    id: int
    contact_id: int
    type: PhoneType
    e164: str
    national: str
    international: str
    country: str
    is_primary: bool


async def _phones_by_contact(contact_ids: Sequence[int]) -> list[list[PhoneRow]]:
    grouped: dict[int, list[PhoneRow]] = defaultdict(list)
    rows = (
        await PhoneNumber.filter(contact_id__in=list(contact_ids))
        .order_by("contact_id", "position")
        .values_list(*PhoneRow._fields)
    )
    for row in rows:
        phone = PhoneRow(*row)
        grouped[phone.contact_id].append(phone._replace(type=PhoneType(phone.type)))
    return [grouped.get(contact_id, []) for contact_id in contact_ids]


async def _contacts_by_id(contact_ids: Sequence[int]) -> list[Contact | None]:
    found = {c.id: c for c in await Contact.filter(id__in=list(contact_ids))}
    return [found.get(contact_id) for contact_id in contact_ids]


async def _primary_contact_by_company(company_ids: Sequence[int]) -> list[Contact | None]:
    found = {
        c.company_id: c
        for c in await Contact.filter(company_id__in=list(company_ids), is_primary_contact=True)
    }
    return [found.get(company_id) for company_id in company_ids]


class ContactLoaders:
    @cached_property
    def phones(self) -> DataLoader[int, list[PhoneRow]]:
        return DataLoader(load_fn=_phones_by_contact)

    @cached_property
    def by_id(self) -> DataLoader[int, Contact | None]:
        return DataLoader(load_fn=_contacts_by_id)

    @cached_property
    def primary_of_company(self) -> DataLoader[int, Contact | None]:
        return DataLoader(load_fn=_primary_contact_by_company)
