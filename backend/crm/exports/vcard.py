"""The export as one vCard 4.0 file (RFC 6350), a card per contact."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from operator import itemgetter
from typing import Any

from crm.contacts.models import PhoneType
from crm.exports.columns import vcard_time
from crm.exports.query import CONTACT_FIELDS, ExportRecord

VCARD_TEL_TYPES = {
    PhoneType.MOBILE: "cell",
    PhoneType.OFFICE: "work,voice",
    PhoneType.HOME: "home,voice",
    PhoneType.FAX: "fax",
    PhoneType.OTHER: "voice",
}
TITLE_PREFIXES = {
    "MR": "Mr",
    "MRS": "Mrs",
    "MS": "Ms",
    "MISS": "Miss",
    "MX": "Mx",
    "DR": "Dr",
    "PROF": "Prof",
}
_UID_NAMESPACE = uuid.UUID("6f1c1a57-5d0e-4c7b-9a3c-2f8e0f3b7c11")


def _picker(*fields: str) -> itemgetter[Any]:
    """The values of `fields` from a row of CONTACT_FIELDS, in that order."""
    return itemgetter(*map(CONTACT_FIELDS.index, fields))


_CARD_VALUES = _picker("id", "title", "first_name", "last_name", "email", "job_title", "updated_at")
_ADDRESS_VALUES = _picker(
    "address_line1", "address_line2", "city", "region", "postal_code", "country"
)


def vcard_escape(text: str) -> str:
    """RFC 6350 3.4: backslash, comma, semicolon and newlines in a text value."""
    return (
        text.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold_line(line: str) -> str:
    """RFC 6350 3.2: lines of at most 75 octets, continued after CRLF + space.

    Never splits a UTF-8 sequence; the leading space counts toward the 75.
    """
    if len(line.encode()) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def vcard(record: ExportRecord) -> str:
    pk, title, first_name, last_name, email, job_title, updated_at = _CARD_VALUES(record.values)
    line1, line2, city, region, postal_code, country = _ADDRESS_VALUES(record.values)
    esc = vcard_escape
    full_name = f"{first_name} {last_name}".strip()
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:individual",
        f"UID:urn:uuid:{uuid.uuid5(_UID_NAMESPACE, f'contact:{pk}')}",
        f"FN:{esc(full_name or last_name)}",
        f"N:{esc(last_name)};{esc(first_name)};;{esc(TITLE_PREFIXES.get(title or '', ''))};",
    ]
    if email:
        lines.append(f"EMAIL:{esc(email)}")
    for phone in record.phones:
        pref = ";PREF=1" if phone.is_primary else ""
        lines.append(f"TEL;VALUE=uri;TYPE={VCARD_TEL_TYPES[phone.type]}{pref}:tel:{phone.e164}")
    if record.company:
        lines.append(f"ORG:{esc(record.company)}")
    if job_title:
        lines.append(f"TITLE:{esc(job_title)}")
    street = [s for s in (line1, line2) if s]
    if street or city or region or postal_code or country:
        parts = [
            "",
            "",
            ",".join(esc(s) for s in street),
            esc(city or ""),
            esc(region or ""),
            esc(postal_code or ""),
            esc(country or ""),
        ]
        lines.append("ADR:" + ";".join(parts))
    if record.groups:
        lines.append("CATEGORIES:" + ",".join(esc(g) for g in record.groups))
    lines.append(f"REV:{vcard_time(updated_at)}")
    lines.append("END:VCARD")
    return "".join(fold_line(line) for line in lines)


async def vcard_chunks(pages: AsyncIterator[list[ExportRecord]]) -> AsyncIterator[bytes]:
    """One .vcf with every contact, one chunk per page."""
    async for records in pages:
        yield "".join(vcard(record) for record in records).encode()
