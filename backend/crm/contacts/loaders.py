"""Batch loaders for contact relations; one query per relation per request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader

from crm.contacts.models import Contact, PhoneNumber


async def _phones_by_contact(contact_ids: Sequence[int]) -> list[list[PhoneNumber]]:
    grouped: dict[int, list[PhoneNumber]] = defaultdict(list)
    for phone in await PhoneNumber.filter(contact_id__in=list(contact_ids)).order_by(
        "contact_id", "position"
    ):
        grouped[phone.contact_id].append(phone)
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
    def phones(self) -> DataLoader[int, list[PhoneNumber]]:
        return DataLoader(load_fn=_phones_by_contact)

    @cached_property
    def by_id(self) -> DataLoader[int, Contact | None]:
        return DataLoader(load_fn=_contacts_by_id)

    @cached_property
    def primary_of_company(self) -> DataLoader[int, Contact | None]:
        return DataLoader(load_fn=_primary_contact_by_company)
