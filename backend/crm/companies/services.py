"""The rules for companies."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from crm.companies.models import Company
from crm.contacts.history import owner_change
from crm.contacts.models import Contact
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.inputs import UNSET, Maybe, is_set
from crm.core.text import fold, words
from crm.core.validation import country_code, parse_phone, text_field, website
from crm.products.services import check_product_ids, company_product_ids, link_company_products
from crm.settings import get_settings
from crm.staff.ownership import check_owner
from crm.timeline.models import TimelineKind
from crm.timeline.services import SYSTEM, Actor, Event, changes_between, record


@dataclass
class CompanyChanges:
    name: Maybe[str | None] = UNSET
    website: Maybe[str | None] = UNSET
    industry: Maybe[str | None] = UNSET
    phone: Maybe[str | None] = UNSET
    phone_country: Maybe[str | None] = UNSET
    notes: Maybe[str | None] = UNSET
    address_line1: Maybe[str | None] = UNSET
    address_line2: Maybe[str | None] = UNSET
    city: Maybe[str | None] = UNSET
    region: Maybe[str | None] = UNSET
    postal_code: Maybe[str | None] = UNSET
    country: Maybe[str | None] = UNSET
    product_ids: Maybe[list[int]] = UNSET
    # A staff user's id; None: nobody's. Left out of a new company: its creator's.
    owner_id: Maybe[int | None] = UNSET


_ADDRESS_FIELDS = {
    "address_line1": ("address", "line1", "Address line 1", 200),
    "address_line2": ("address", "line2", "Address line 2", 200),
    "city": ("address", "city", "City", 100),
    "region": ("address", "region", "Region", 100),
    "postal_code": ("address", "postalCode", "Postal code", 20),
}


def sort_name_for(name: str) -> str:
    return fold(name)[:200]


def search_text_for(name: str) -> str:
    """The folded words of the name that `search` matches."""
    return " " + " ".join(dict.fromkeys(words(name))) + " "


async def get_company(company_id: int, field: str = "id") -> Company:
    company = await Company.get_or_none(id=company_id)
    if company is None:
        raise InputError.single((field,), "No company has this id", ErrorCode.NOT_FOUND)
    return company


def _apply(company: Company, changes: CompanyChanges) -> None:
    errors = ErrorCollector()
    if is_set(changes.name):
        name = text_field(
            changes.name, ("name",), errors, label="Name", max_length=200, required=True
        )
        if name is not None:
            company.name = name
    if is_set(changes.website):
        company.website = website(changes.website, ("website",), errors)
    if is_set(changes.industry):
        company.industry = text_field(
            changes.industry, ("industry",), errors, label="Industry", max_length=100
        )
    if is_set(changes.notes):
        company.notes = text_field(
            changes.notes, ("notes",), errors, label="Notes", max_length=20000, multiline=True
        )
    for attribute, (group, key, label, limit) in _ADDRESS_FIELDS.items():
        value = getattr(changes, attribute)
        if is_set(value):
            setattr(
                company,
                attribute,
                text_field(value, (group, key), errors, label=label, max_length=limit),
            )
    if is_set(changes.country):
        company.country = country_code(changes.country, ("address", "country"), errors)
    if is_set(changes.phone) or is_set(changes.phone_country):
        _apply_phone(company, changes, errors)
    errors.raise_if_any()
    company.sort_name = sort_name_for(company.name)
    company.search_text = search_text_for(company.name)


def _apply_phone(company: Company, changes: CompanyChanges, errors: ErrorCollector) -> None:
    number = changes.phone if is_set(changes.phone) else company.phone
    if not number:
        company.phone = None
        company.phone_country = None
        return
    given_country = changes.phone_country if is_set(changes.phone_country) else None
    country = country_code(given_country, ("phoneCountry",), errors)
    parsed = parse_phone(
        number, country or company.country or get_settings().default_country, ("phone",), errors
    )
    if parsed is not None:
        company.phone = parsed.e164
        company.phone_country = parsed.country


def readable(company: Company) -> dict[str, str]:
    """The company as a person reads it, for the timeline's "what changed"."""
    address = [
        company.address_line1,
        company.address_line2,
        company.city,
        company.region,
        company.postal_code,
        company.country,
    ]
    return {
        "Name": company.name or "",
        "Website": company.website or "",
        "Industry": company.industry or "",
        "Phone": company.phone or "",
        "Address": ", ".join(part for part in address if part),
        "Notes": company.notes or "",
    }


async def create_company(changes: CompanyChanges, *, actor: Actor = SYSTEM) -> Company:
    """With no `changes.owner_id`, the staff user who creates the company owns it."""
    company = Company(name="", owner_id=actor.staff_user_id)
    if not is_set(changes.name):
        changes.name = None
    _apply(company, changes)
    await _check_owner(company, changes, None)
    product_ids = await _checked_products(changes, [])
    async with in_transaction():
        await company.save()
        await _link_products(company.id, product_ids)
        await record(actor, Event(TimelineKind.CREATED, company_id=company.id))
    return company


async def _check_owner(company: Company, changes: CompanyChanges, before: int | None) -> None:
    if not is_set(changes.owner_id):
        return
    errors = ErrorCollector()
    await check_owner(changes.owner_id, errors, current_owner_id=before)
    errors.raise_if_any()
    company.owner_id = changes.owner_id


async def _checked_products(changes: CompanyChanges, already: list[int]) -> Maybe[list[int]]:
    if not is_set(changes.product_ids):
        return UNSET
    errors = ErrorCollector()
    product_ids = await check_product_ids(changes.product_ids, already, errors)
    errors.raise_if_any()
    return product_ids


async def _link_products(company_id: int, product_ids: Maybe[list[int]]) -> None:
    if is_set(product_ids):
        await link_company_products(company_id, product_ids)


async def update_company(
    company_id: int, changes: CompanyChanges, *, actor: Actor = SYSTEM
) -> Company:
    """Apply the changes and record what they changed (nothing when nothing did); read
    locked, as contacts are, so two edits at once chain their differences."""
    async with in_transaction():
        company = await Company.filter(id=company_id).select_for_update().first()
        if company is None:
            raise InputError.single(("id",), "No company has this id", ErrorCode.NOT_FOUND)
        before = readable(company)
        owner_before = company.owner_id
        _apply(company, changes)
        await _check_owner(company, changes, owner_before)
        product_ids = await _checked_products(changes, await company_product_ids(company.id))
        await company.save()
        await _link_products(company.id, product_ids)
        difference = changes_between(before, readable(company))
        difference += await owner_change(owner_before, company.owner_id)
        if difference:
            await record(
                actor, Event(TimelineKind.UPDATED, company_id=company.id, changes=difference)
            )
    return company


async def delete_company(company_id: int) -> int:
    """Delete the company; its contacts stay, as individual customers."""
    async with in_transaction():
        await Contact.filter(company_id=company_id).update(
            company_id=None, is_primary_contact=False
        )
        deleted = await Company.filter(id=company_id).delete()
        if not deleted:
            raise InputError.single(("id",), "No company has this id", ErrorCode.NOT_FOUND)
    return company_id
