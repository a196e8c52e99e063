"""One contact as the cells every format writes: the headers, the phone columns, the values.

Each writer turns a row into its cells in one function (`table_row`, or the vCard's own), fed
the driver's values as `crm.exports.query` reads them; datetimes come as datetimes
(PostgreSQL) or as the text tortoise stored (SQLite), and each format writes them its way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from crm.contacts.models import Contact, PhoneType
from crm.core.ids import to_global_id
from crm.exports.query import ExportPhone, ExportRecord

# --- values ---------------------------------------------------------------------------------

_DATETIME_FIELD = Contact._meta.fields_map["created_at"]


def _moment(value: str | datetime) -> datetime:
    """A stored datetime as the ORM reads it (SQLite holds tortoise's text)."""
    if isinstance(value, str):
        return _DATETIME_FIELD.to_python_value(value)
    return value


def _is_stored_utc_text(value: Any) -> bool:
    """Tortoise's SQLite text for a UTC datetime, `isoformat(" ")` with +00:00, with or without
    microseconds: rewritten without being parsed (a million rows hold three apiece)."""
    return (
        value.__class__ is str
        and value[10:11] == " "
        and value[-6:] == "+00:00"
        and ((len(value) == 25 and value[19] == "+") or (len(value) == 32 and value[19] == "."))
    )


def iso_utc(value: str | datetime) -> str:
    """ISO 8601 in UTC, `2024-05-01T09:30:00.123456+00:00` (as `datetime.isoformat`)."""
    if _is_stored_utc_text(value):
        assert isinstance(value, str)
        return value.replace(" ", "T", 1)
    return _moment(value).astimezone(UTC).isoformat()


def naive_utc(value: str | datetime) -> datetime:
    return _moment(value).astimezone(UTC).replace(tzinfo=None)


def vcard_time(value: str | datetime) -> str:
    """RFC 6350 timestamp in UTC, `20240501T093000Z`."""
    if _is_stored_utc_text(value):
        assert isinstance(value, str)
        return f"{value[:4]}{value[5:7]}{value[8:10]}T{value[11:13]}{value[14:16]}{value[17:19]}Z"
    return _moment(value).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# --- columns -------------------------------------------------------------------------------

PHONE_HEADERS = {
    PhoneType.MOBILE: "Mobile phone",
    PhoneType.OFFICE: "Office phone",
    PhoneType.HOME: "Home phone",
    PhoneType.FAX: "Fax",
    PhoneType.OTHER: "Other phone",
}
PHONE_TYPES = tuple(PHONE_HEADERS)
_NO_PHONE_CELLS: tuple[None, ...] = (None,) * (1 + len(PHONE_TYPES))
assert len(_NO_PHONE_CELLS) == 6  # _phone_cells

HEADERS = [
    "ID",
    "Title",
    "First name",
    "Last name",
    "Email",
    "Type",
    "Status",
    "Job title",
    "Company",
    "Primary contact",
    "Primary phone",
    *PHONE_HEADERS.values(),
    "Address line 1",
    "Address line 2",
    "City",
    "Region",
    "Postal code",
    "Country",
    "Groups",
    "Products",
    "Email consent",
    "SMS consent",
    "Phone consent",
    "Post consent",
    "Portal status",
    "Archived",
    "Created at",
    "Updated at",
    "Last contacted at",
    "Owner",
]


_PHONE_CELL = {kind: index for index, kind in enumerate(PHONE_TYPES, start=1)}


def _phone_cells(phones: list[ExportPhone]) -> Sequence[str | None]:
    """The primary phone (else the first), then the numbers of each type, "; "-separated."""
    if not phones:
        return _NO_PHONE_CELLS
    cells: list[str | None] = [None, None, None, None, None, None]
    for kind, e164, is_primary in phones:
        index = _PHONE_CELL[kind]
        numbers = cells[index]
        cells[index] = e164 if numbers is None else f"{numbers}; {e164}"
        if is_primary and cells[0] is None:
            cells[0] = e164
    if cells[0] is None:
        cells[0] = phones[0].e164
    return cells


def table_row(
    record: ExportRecord,
    text: Callable[[str], Any],
    flag: Callable[[Any], Any],
    moment: Callable[[Any], Any],
    empty: Any,
) -> list[Any]:
    """The cells of one contact in HEADERS order; each format says how it writes free text
    (`text`, never given None), yes/no (`flag`), datetimes (`moment`, never given None) and
    a cell with no value (`empty`).

    Enum values and ids are written as they are: no formula trigger can start them.
    """
    (
        pk,
        title,
        first_name,
        last_name,
        email,
        kind,
        status,
        job_title,
        _company_id,
        is_primary_contact,
        line1,
        line2,
        city,
        region,
        postal_code,
        country,
        email_opt_in,
        sms_opt_in,
        phone_opt_in,
        post_opt_in,
        portal_status,
        archived_at,
        created_at,
        updated_at,
        last_contacted_at,
        _owner_id,
        *_sort,
    ) = record.values
    company = record.company
    groups = record.groups
    products = record.products
    phones = [empty if c is None else text(c) for c in _phone_cells(record.phones)]
    return [
        to_global_id("Contact", pk),
        empty if title is None else title,
        text(first_name) if first_name else empty,
        text(last_name),
        empty if email is None else text(email),
        kind,
        status,
        empty if job_title is None else text(job_title),
        empty if company is None else text(company),
        flag(is_primary_contact),
        *phones,
        empty if line1 is None else text(line1),
        empty if line2 is None else text(line2),
        empty if city is None else text(city),
        empty if region is None else text(region),
        empty if postal_code is None else text(postal_code),
        empty if country is None else text(country),
        text("; ".join(groups)) if groups else empty,
        text("; ".join(products)) if products else empty,
        flag(email_opt_in),
        flag(sms_opt_in),
        flag(phone_opt_in),
        flag(post_opt_in),
        portal_status,
        flag(archived_at is not None),
        moment(created_at),
        moment(updated_at),
        empty if last_contacted_at is None else moment(last_contacted_at),
        empty if record.owner is None else text(record.owner),
    ]
