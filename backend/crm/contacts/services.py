"""The rules for contacts: validation, uniqueness, phones, preferences, archive and erase.

The API, the command line and the importer all change contacts through these functions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from crm.auth.services import end_all_sessions
from crm.companies.models import Company
from crm.contacts.history import owner_change, phones_of_parsed, phones_of_rows, readable_now
from crm.contacts.models import (
    Channel,
    ConsentSource,
    Contact,
    ContactStatus,
    ContactType,
    PhoneNumber,
    PhoneType,
    Title,
)
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.inputs import UNSET, Maybe, is_set
from crm.core.text import digits, fold, words
from crm.core.validation import (
    ParsedPhone,
    country_code,
    email_key,
    normalize_email,
    parse_phone,
    text_field,
)
from crm.duplicates.services import refresh_contacts
from crm.mail.services import wake_worker
from crm.products.services import check_product_ids, contact_product_ids, link_contact_products
from crm.settings import get_settings
from crm.staff.models import StaffUser
from crm.staff.ownership import check_owner
from crm.timeline.models import TimelineKind
from crm.timeline.services import PORTAL, SYSTEM, Actor, Event, changes_between, record

MAX_PHONES = 20
TYPES_NEEDING_EMAIL = (ContactType.PROSPECT, ContactType.CLIENT)


@dataclass
class PhoneInput:
    number: str | None
    country: str | None = None
    type: PhoneType = PhoneType.MOBILE
    is_primary: bool = False


@dataclass
class AddressInput:
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


@dataclass
class PreferencesInput:
    """None for a channel means "not given": the automatic rules decide."""

    email: bool | None = None
    sms: bool | None = None
    phone: bool | None = None
    post: bool | None = None


@dataclass
class ContactChanges:
    title: Maybe[Title | None] = UNSET
    first_name: Maybe[str | None] = UNSET
    last_name: Maybe[str | None] = UNSET
    email: Maybe[str | None] = UNSET
    type: Maybe[ContactType] = UNSET
    status: Maybe[ContactStatus] = UNSET
    job_title: Maybe[str | None] = UNSET
    company_id: Maybe[int | None] = UNSET
    phones: Maybe[list[PhoneInput]] = UNSET
    address: Maybe[AddressInput | None] = UNSET
    preferences: Maybe[PreferencesInput] = UNSET
    product_ids: Maybe[list[int]] = UNSET
    # A staff user's id; None: nobody's. Left out of a new contact: its creator's.
    owner_id: Maybe[int | None] = UNSET


@dataclass
class _Prepared:
    phones: list[tuple[PhoneInput, ParsedPhone]] | None = None
    errors: ErrorCollector = field(default_factory=ErrorCollector)


def now() -> datetime:
    return datetime.now(UTC)


async def get_contact(contact_id: int, field: str = "id") -> Contact:
    contact = await Contact.get_or_none(id=contact_id)
    if contact is None:
        raise InputError.single((field,), "No contact has this id", ErrorCode.NOT_FOUND)
    return contact


def _apply_names(contact: Contact, changes: ContactChanges, errors: ErrorCollector) -> None:
    if is_set(changes.title):
        contact.title = changes.title
    if is_set(changes.first_name):
        contact.first_name = (
            text_field(
                changes.first_name, ("firstName",), errors, label="First name", max_length=100
            )
            or ""
        )
    if is_set(changes.last_name):
        last = text_field(
            changes.last_name,
            ("lastName",),
            errors,
            label="Last name",
            max_length=100,
            required=True,
        )
        if last is not None:
            contact.last_name = last
    if is_set(changes.job_title):
        contact.job_title = text_field(
            changes.job_title, ("jobTitle",), errors, label="Job title", max_length=100
        )
    if is_set(changes.type):
        if changes.type is None:
            errors.add(("type",), "Type cannot be empty", ErrorCode.REQUIRED)
        else:
            contact.type = changes.type
    if is_set(changes.status):
        if changes.status is None:
            errors.add(("status",), "Status cannot be empty", ErrorCode.REQUIRED)
        else:
            contact.status = changes.status


def _apply_email(contact: Contact, changes: ContactChanges, errors: ErrorCollector) -> None:
    if is_set(changes.email):
        problems_before = len(errors.errors)
        address = normalize_email(changes.email, ("email",), errors)
        if len(errors.errors) > problems_before:
            return
        contact.email = address
        contact.email_key = email_key(address)
    if contact.type in TYPES_NEEDING_EMAIL and not contact.email:
        errors.add(
            ("email",),
            f"Email is required for a {contact.type.value.lower()} contact",
            ErrorCode.REQUIRED,
        )


def _apply_address(contact: Contact, address: AddressInput | None, errors: ErrorCollector) -> None:
    address = address or AddressInput()
    prefix = ("address",)
    contact.address_line1 = text_field(
        address.line1, (*prefix, "line1"), errors, label="Address line 1", max_length=200
    )
    contact.address_line2 = text_field(
        address.line2, (*prefix, "line2"), errors, label="Address line 2", max_length=200
    )
    contact.city = text_field(address.city, (*prefix, "city"), errors, label="City", max_length=100)
    contact.city_key = city_key(contact.city)
    contact.region = text_field(
        address.region, (*prefix, "region"), errors, label="Region", max_length=100
    )
    contact.postal_code = text_field(
        address.postal_code, (*prefix, "postalCode"), errors, label="Postal code", max_length=20
    )
    contact.country = country_code(address.country, (*prefix, "country"), errors)


def _parse_phones(
    phones: list[PhoneInput], errors: ErrorCollector
) -> list[tuple[PhoneInput, ParsedPhone]]:
    if len(phones) > MAX_PHONES:
        errors.add(
            ("phones",),
            f"A contact can have at most {MAX_PHONES} phone numbers",
            ErrorCode.TOO_MANY,
        )
        return []
    default_country = get_settings().default_country
    parsed: list[tuple[PhoneInput, ParsedPhone]] = []
    seen: set[str] = set()
    primaries = 0
    for index, phone in enumerate(phones):
        path = ("phones", str(index))
        country = country_code(phone.country, (*path, "country"), errors) or default_country
        result = parse_phone(phone.number, country, (*path, "number"), errors)
        if phone.is_primary:
            primaries += 1
            if primaries > 1:
                errors.add(
                    (*path, "isPrimary"), "Only one phone number can be primary", ErrorCode.INVALID
                )
        if result is None:
            continue
        if result.e164 in seen:
            errors.add((*path, "number"), "This number is already listed", ErrorCode.DUPLICATE)
            continue
        seen.add(result.e164)
        parsed.append((phone, result))
    return parsed


def _filled_channels(contact: Contact, phones: Iterable[tuple[PhoneType, bool]]) -> set[Channel]:
    filled: set[Channel] = set()
    if contact.email:
        filled.add(Channel.EMAIL)
    for phone_type, is_mobile in phones:
        if phone_type != PhoneType.FAX:
            filled.add(Channel.PHONE)
        if phone_type == PhoneType.MOBILE or (phone_type == PhoneType.OTHER and is_mobile):
            filled.add(Channel.SMS)
    if contact.address_line1 or contact.city or contact.postal_code:
        filled.add(Channel.POST)
    return filled


def apply_preferences(
    contact: Contact,
    given: PreferencesInput | None,
    filled_before: set[Channel],
    filled_after: set[Channel],
    source: ConsentSource,
    agreed: Collection[Channel] | None = None,
) -> None:
    """Explicit choices win; otherwise a channel is ticked unless it was ever set: a newly
    filled field's channel (the form, which shows the tick), or, when `agreed` is given, the
    channels the people agreed to and no other (an import, where nobody sees a tick)."""
    moment = now()
    sms_enabled = get_settings().sms_enabled
    for channel in Channel:
        prefix = channel.value.lower()
        explicit = getattr(given, prefix) if given is not None else None
        current = getattr(contact, f"{prefix}_opt_in")
        ever_set = getattr(contact, f"{prefix}_opt_in_at") is not None
        if explicit is not None:
            if explicit != current or not ever_set:
                _set_consent(contact, prefix, explicit, moment, source)
            continue
        if agreed is None:
            ticked = channel in filled_after and channel not in filled_before
        else:
            ticked = channel in agreed
        if channel == Channel.SMS and not sms_enabled:
            continue
        if ticked and not ever_set:
            _set_consent(contact, prefix, True, moment, source)


def _set_consent(
    contact: Contact, prefix: str, granted: bool, moment: datetime, source: ConsentSource
) -> None:
    setattr(contact, f"{prefix}_opt_in", granted)
    setattr(contact, f"{prefix}_opt_in_at", moment)
    setattr(contact, f"{prefix}_opt_in_source", source)


def city_key(city: str | None) -> str | None:
    """The form the city filter compares cities in."""
    return fold(city) if city else None


def search_text_for(contact: Contact, phone_numbers: Iterable[ParsedPhone | PhoneNumber]) -> str:
    name = f"{contact.first_name} {contact.last_name}"
    tokens = words(name)
    # "O'Brien" and "Jean-Luc" are also found typed as "obrien" and "jeanluc".
    tokens += [joined for part in fold(name).split() if (joined := "".join(words(part))) != part]
    if contact.email:
        address = fold(contact.email)
        local, _, domain = address.partition("@")
        tokens += [address, local, domain, *words(address)]
    for phone in phone_numbers:
        e164_digits = digits(phone.e164)
        tokens += [e164_digits, digits(phone.national)]
    unique = list(dict.fromkeys(t for t in tokens if t))
    return " " + " ".join(unique) + " "


def sort_name_for(contact: Contact) -> str:
    return fold(f"{contact.last_name} {contact.first_name}").strip()[:201]


async def _check_company(company_id: int | None, errors: ErrorCollector) -> None:
    if company_id is not None and not await Company.exists(id=company_id):
        errors.add(("companyId",), "No company has this id", ErrorCode.NOT_FOUND)


async def _duplicate_email_error(contact: Contact) -> InputError:
    other = await Contact.filter(email_key=contact.email_key).exclude(id=contact.id or 0).first()
    if other is not None and other.archived:
        message = (
            f"This email belongs to the archived contact {other.full_name} "
            f"(id {other.id}); restore that contact instead of adding a new one"
        )
    else:
        name = f" ({other.full_name})" if other is not None else ""
        message = f"Another contact{name} already has this email address"
    return InputError.single(("email",), message, ErrorCode.DUPLICATE)


async def _save(
    contact: Contact,
    phones: list[tuple[PhoneInput, ParsedPhone]] | None,
    also: Callable[[Contact], Awaitable[None]] | None = None,
    product_ids: Maybe[list[int]] = UNSET,
) -> Contact:
    """Save the contact, its phones and products, then `also` (e.g. an invitation), in one
    transaction."""
    try:
        async with in_transaction():
            await contact.save()
            if phones is not None:
                await PhoneNumber.filter(contact_id=contact.id).delete()
                await PhoneNumber.bulk_create(phone_rows(contact.id, phones))
            if is_set(product_ids):
                await link_contact_products(contact.id, product_ids)
            if also is not None:
                await also(contact)
            await refresh_contacts([contact.id])
    except IntegrityError:
        if contact.email_key:
            raise await _duplicate_email_error(contact) from None
        raise
    return contact


def primary_flags(phones: list[tuple[PhoneInput, ParsedPhone]]) -> list[bool]:
    """Which phone is primary: the one marked so, else the first."""
    has_primary = any(given.is_primary for given, _ in phones)
    return [
        given.is_primary or (not has_primary and position == 0)
        for position, (given, _) in enumerate(phones)
    ]


def phone_rows(contact_id: int, phones: list[tuple[PhoneInput, ParsedPhone]]) -> list[PhoneNumber]:
    return [
        PhoneNumber(
            contact_id=contact_id,
            type=given.type,
            e164=parsed.e164,
            country=parsed.country,
            national=parsed.national,
            international=parsed.international,
            is_primary=is_primary,
            position=position,
        )
        for position, ((given, parsed), is_primary) in enumerate(
            zip(phones, primary_flags(phones), strict=True)
        )
    ]


def apply_changes(
    contact: Contact, changes: ContactChanges, errors: ErrorCollector
) -> list[tuple[PhoneInput, ParsedPhone]] | None:
    """Check and apply the changes to the (unsaved) contact; problems go into `errors`.

    The company id is taken as given: `_prepare` checks it exists, the importer resolves
    companies by name itself. Returns the parsed phones when `changes.phones` is set.
    """
    _apply_names(contact, changes, errors)
    _apply_email(contact, changes, errors)
    if is_set(changes.address):
        _apply_address(contact, changes.address, errors)
    phones = _parse_phones(changes.phones, errors) if is_set(changes.phones) else None
    if is_set(changes.company_id):
        if changes.company_id != contact.company_id:
            contact.is_primary_contact = False
        contact.company_id = changes.company_id
    if is_set(changes.owner_id):
        contact.owner_id = changes.owner_id
    return phones


def derive_fields(
    contact: Contact,
    changes: ContactChanges,
    source: ConsentSource,
    filled_before: set[Channel],
    phones: list[tuple[PhoneInput, ParsedPhone]] | None,
    existing_phones: list[PhoneNumber],
    *,
    agreed: Collection[Channel] | None = None,
) -> None:
    """Consent that follows from newly filled fields (or only from `agreed`: see
    `apply_preferences`), the sort key and the search text."""
    phone_facts = (
        [(given.type, parsed.is_mobile) for given, parsed in phones]
        if phones is not None
        else [(p.type, p.type == PhoneType.MOBILE) for p in existing_phones]
    )
    apply_preferences(
        contact,
        changes.preferences if is_set(changes.preferences) else None,
        filled_before,
        _filled_channels(contact, phone_facts),
        source,
        agreed,
    )
    contact.sort_name = sort_name_for(contact)
    contact.search_text = search_text_for(
        contact, [parsed for _, parsed in phones] if phones is not None else existing_phones
    )


def filled_channels_of(contact: Contact, phones: list[PhoneNumber]) -> set[Channel]:
    return _filled_channels(contact, [(p.type, p.type == PhoneType.MOBILE) for p in phones])


async def _prepare(
    contact: Contact,
    changes: ContactChanges,
    source: ConsentSource,
    filled_before: set[Channel],
    existing_phones: list[PhoneNumber],
) -> list[tuple[PhoneInput, ParsedPhone]] | None:
    errors = ErrorCollector()
    owner_before = contact.owner_id
    phones = apply_changes(contact, changes, errors)
    if is_set(changes.company_id):
        await _check_company(changes.company_id, errors)
    if is_set(changes.owner_id):
        await check_owner(changes.owner_id, errors, current_owner_id=owner_before)
    if is_set(changes.product_ids):
        already = await contact_product_ids(contact.id) if contact.id else []
        changes.product_ids = await check_product_ids(changes.product_ids, already, errors)
    errors.raise_if_any()
    derive_fields(contact, changes, source, filled_before, phones, existing_phones)
    return phones


def new_contact(changes: ContactChanges) -> Contact:
    """An unsaved contact ready for `apply_changes`: a missing last name is an error; a
    missing type or status is LEAD / NEW."""
    if not is_set(changes.last_name):
        changes.last_name = None
    changes.type = changes.type or ContactType.LEAD
    changes.status = changes.status or ContactStatus.NEW
    # A copy of a blank contact's state: `Model.__init__` walks every field, which is a fifth
    # of the work of an imported row. Field values are immutable; the one dict is renewed.
    contact = Contact.__new__(Contact)
    contact.__dict__.update(_blank_contact_state(), _await_when_save={})
    return contact


@cache
def _blank_contact_state() -> dict[str, Any]:
    return dict(Contact(last_name="", first_name="").__dict__)


async def create_contact(
    changes: ContactChanges,
    source: ConsentSource = ConsentSource.STAFF,
    *,
    send_invite: bool | None = False,
    invited_by: StaffUser | None = None,
    actor: Actor = SYSTEM,
) -> Contact:
    """`send_invite`: True invites (an error if the contact cannot be invited), False does
    not, None invites when the contact can be (the default of the new-contact form). With no
    `changes.owner_id`, the staff user who creates the contact owns it."""
    from crm.portal.services import invite_refusal, send_invite_in_transaction

    owned_by_creator = not is_set(changes.owner_id)
    contact = new_contact(changes)
    phones = await _prepare(contact, changes, source, set(), [])
    if owned_by_creator:
        contact.owner_id = actor.staff_user_id
    refusal = invite_refusal(contact)
    if send_invite and refusal is not None:
        raise InputError.single(("sendInvite",), refusal, ErrorCode.NOT_ALLOWED)
    invite = send_invite or (send_invite is None and refusal is None)

    async def record_and_invite(saved: Contact) -> None:
        await record(actor, Event(TimelineKind.CREATED, contact_id=saved.id))
        if invite:
            await send_invite_in_transaction(saved, invited_by)

    saved = await _save(contact, phones or [], record_and_invite, changes.product_ids)
    if invite:
        wake_worker()
    return saved


async def update_contact(
    contact_id: int,
    changes: ContactChanges,
    source: ConsentSource = ConsentSource.STAFF,
    *,
    actor: Actor | None = None,
) -> Contact:
    """`actor` defaults to the portal for changes a portal contact makes, else the system."""
    if actor is None:
        actor = PORTAL if source == ConsentSource.PORTAL else SYSTEM
    return await _change(contact_id, changes, source, actor, TimelineKind.UPDATED)


async def _change(
    contact_id: int,
    changes: ContactChanges,
    source: ConsentSource,
    actor: Actor,
    kind: TimelineKind,
    details: dict[str, Any] | None = None,
) -> Contact:
    """Apply `changes` and record what they changed, as a person reads it (no event when
    nothing did). The contact is read in the transaction that writes it, locked, so two
    edits at once each record their own difference."""
    async with in_transaction():
        contact = await _locked(contact_id)
        existing_phones = await PhoneNumber.filter(contact_id=contact.id).order_by("position")
        before = await readable_now(contact, phones_of_rows(existing_phones))
        owner_before = contact.owner_id
        filled_before = filled_channels_of(contact, existing_phones)
        email_before = contact.email_key
        phones = await _prepare(contact, changes, source, filled_before, existing_phones)
        moved = contact.email_key != email_before

        async def record_and_follow(saved: Contact) -> None:
            readable_phones = (
                phones_of_parsed(phones) if phones is not None else phones_of_rows(existing_phones)
            )
            difference = changes_between(before, await readable_now(saved, readable_phones))
            difference += await owner_change(owner_before, saved.owner_id)
            if difference or kind != TimelineKind.UPDATED:
                event = Event(kind, contact_id=saved.id, changes=difference, details=details)
                await record(actor, event)
            if moved:
                from crm.portal.services import email_changed

                await email_changed(saved, actor=actor)

        saved = await _save(contact, phones, record_and_follow, changes.product_ids)
    if moved:
        wake_worker()
    return saved


async def _locked(contact_id: int, field: str = "id") -> Contact:
    contact = await Contact.filter(id=contact_id).select_for_update().first()
    if contact is None:
        raise InputError.single((field,), "No contact has this id", ErrorCode.NOT_FOUND)
    return contact


async def convert_lead(
    contact_id: int,
    to: ContactType = ContactType.CLIENT,
    email: Maybe[str | None] = UNSET,
    *,
    actor: Actor = SYSTEM,
) -> Contact:
    """A LEAD becomes a CLIENT (or a PROSPECT) with status CONVERTED, in one step and one
    event; the new type needs an email, which can come with the conversion."""
    contact = await get_contact(contact_id, "contactId")
    if contact.type != ContactType.LEAD:
        raise InputError.single(
            ("contactId",), "Only a lead can be converted", ErrorCode.NOT_ALLOWED
        )
    if to not in TYPES_NEEDING_EMAIL:
        raise InputError.single(
            ("type",), "A lead converts to a client or a prospect", ErrorCode.INVALID
        )
    changes = ContactChanges(type=to, status=ContactStatus.CONVERTED, email=email)
    details = {"from": ContactType.LEAD.value, "to": to.value}
    return await _change(
        contact_id, changes, ConsentSource.STAFF, actor, TimelineKind.CONVERTED, details
    )


async def archive_contact(contact_id: int, *, actor: Actor = SYSTEM) -> Contact:
    contact = await get_contact(contact_id)
    if contact.archived_at is None:
        contact.archived_at = now()
        # An archived contact can't be the company's point of communication.
        contact.is_primary_contact = False
        async with in_transaction():
            await contact.save(update_fields=["archived_at", "is_primary_contact", "updated_at"])
            # Signed out for good: restoring the contact must not bring old sessions back.
            await end_all_sessions(contact_id=contact.id)
            await record(actor, Event(TimelineKind.ARCHIVED, contact_id=contact.id))
    return contact


async def restore_contact(contact_id: int, *, actor: Actor = SYSTEM) -> Contact:
    contact = await get_contact(contact_id)
    if contact.archived_at is not None:
        contact.archived_at = None
        async with in_transaction():
            await contact.save(update_fields=["archived_at", "updated_at"])
            await record(actor, Event(TimelineKind.RESTORED, contact_id=contact.id))
    return contact


async def delete_contact(contact_id: int) -> int:
    """Erase the contact and everything personal attached to it (GDPR erasure)."""
    async with in_transaction():
        deleted = await Contact.filter(id=contact_id).delete()
    if not deleted:
        raise InputError.single(("id",), "No contact has this id", ErrorCode.NOT_FOUND)
    return contact_id


async def set_primary_contact(contact_id: int, *, actor: Actor = SYSTEM) -> tuple[Contact, Company]:
    """Make the contact its company's primary contact, unsetting the previous one atomically."""
    contact = await get_contact(contact_id, "contactId")
    if contact.company_id is None:
        raise InputError.single(
            ("contactId",), "This contact does not belong to a company", ErrorCode.NOT_ALLOWED
        )
    if contact.archived:
        raise InputError.single(
            ("contactId",), "An archived contact cannot be a primary contact", ErrorCode.NOT_ALLOWED
        )
    async with in_transaction() as connection:
        # Lock the company row so concurrent swaps on the same company queue up.
        company = (
            await Company.filter(id=contact.company_id)
            .select_for_update()
            .using_db(connection)
            .first()
        )
        if company is None:
            raise InputError.single(
                ("contactId",), "The company no longer exists", ErrorCode.NOT_FOUND
            )
        await (
            Contact.filter(company_id=company.id, is_primary_contact=True)
            .exclude(id=contact.id)
            .update(is_primary_contact=False)
        )
        updated = await Contact.filter(
            id=contact.id, company_id=company.id, archived_at__isnull=True
        ).update(is_primary_contact=True)
        if not updated:
            raise InputError.single(
                ("contactId",), "The contact changed meanwhile; try again", ErrorCode.CONFLICT
            )
        details = {"company": company.name}
        await record(
            actor,
            Event(TimelineKind.PRIMARY_CONTACT_SET, contact_id=contact.id, details=details),
            Event(
                TimelineKind.PRIMARY_CONTACT_SET,
                company_id=company.id,
                subject_contact_id=contact.id,
            ),
        )
    contact.is_primary_contact = True
    return contact, company
