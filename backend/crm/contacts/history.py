"""A contact as a person reads it, field by field, for the timeline's "what changed".

Phones are their numbers, the company its name, preferences their consent and its source:
the texts an UPDATED event keeps as "before" and "after".
"""

from __future__ import annotations

from collections.abc import Iterable

from crm.companies.models import Company
from crm.contacts.models import Channel, Contact, PhoneType
from crm.core.validation import ParsedPhone
from crm.staff.ownership import OWNER_LABEL, owner_labels

_TYPE_LABELS = {
    PhoneType.MOBILE: "mobile",
    PhoneType.OFFICE: "office",
    PhoneType.HOME: "home",
    PhoneType.FAX: "fax",
    PhoneType.OTHER: "other",
}
_CHANNEL_LABELS = {"EMAIL": "Email", "SMS": "SMS", "PHONE": "Phone", "POST": "Post"}
_SOURCE_LABELS = {
    "STAFF": "staff",
    "PORTAL": "portal",
    "IMPORT": "import",
    "UNSUBSCRIBE": "unsubscribe",
}

ReadablePhone = tuple[PhoneType, str]  # its type, and the number in international format


def phones_of_rows(rows: Iterable[object]) -> list[ReadablePhone]:
    """From stored phone rows (`PhoneNumber` or a row with `type` and `international`)."""
    return [(row.type, row.international) for row in rows]  # type: ignore[attr-defined]


def phones_of_parsed(phones: Iterable[tuple[object, ParsedPhone]]) -> list[ReadablePhone]:
    """From the services' parsed input: (PhoneInput, ParsedPhone) pairs."""
    return [(given.type, parsed.international) for given, parsed in phones]  # type: ignore[attr-defined]


def _label(value: object) -> str:
    text = str(getattr(value, "value", value) or "")
    return text.replace("_", " ").capitalize()


def _consent(contact: Contact, channel: Channel) -> str:
    prefix = channel.value.lower()
    granted = getattr(contact, f"{prefix}_opt_in")
    source = getattr(contact, f"{prefix}_opt_in_source")
    text = "given" if granted else "not given"
    return f"{text} ({str(getattr(source, 'value', source)).lower()})" if source else text


def readable(
    contact: Contact, phones: list[ReadablePhone], company_name: str | None
) -> dict[str, str]:
    address = [
        contact.address_line1,
        contact.address_line2,
        contact.city,
        contact.region,
        contact.postal_code,
        contact.country,
    ]
    fields = {
        "Title": _label(contact.title),
        "First name": contact.first_name or "",
        "Last name": contact.last_name or "",
        "Email": contact.email or "",
        "Type": _label(contact.type),
        "Status": _label(contact.status),
        "Job title": contact.job_title or "",
        "Company": company_name or "",
        "Phones": "; ".join(f"{number} ({_TYPE_LABELS[kind]})" for kind, number in phones),
        "Address": ", ".join(part for part in address if part),
    }
    for channel in Channel:
        fields[f"{_CHANNEL_LABELS[channel.value]} consent"] = _consent(contact, channel)
    return fields


async def owner_change(before: int | None, after: int | None) -> list[dict[str, str]]:
    """The owner's change as the timeline shows it (nothing when the owner stayed): apart
    from `readable`, so an edit that leaves the owner alone does not look owners up."""
    if before == after:
        return []
    labels = await owner_labels([before, after])
    name_before = labels.get(before, "") if before is not None else ""
    name_after = labels.get(after, "") if after is not None else ""
    return [{"field": OWNER_LABEL, "before": name_before, "after": name_after}]


async def readable_now(contact: Contact, phones: list[ReadablePhone]) -> dict[str, str]:
    """`readable`, looking up the company's name."""
    name = None
    if contact.company_id is not None:
        name = await Company.filter(id=contact.company_id).first().values_list("name", flat=True)
    return readable(contact, phones, name)  # type: ignore[arg-type]
