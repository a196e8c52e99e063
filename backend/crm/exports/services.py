"""Contact export: rows read in keyset pages and written as they go (CSV, xlsx, vCard 4.0).

Nothing here knows about HTTP or GraphQL. `export_pages` yields the contacts of a list view
(filter + search + sort) or of an explicit selection, one keyset page at a time, each page
with its companies, phones and groups loaded in one query apiece. The writers turn those
pages into chunks of bytes, so memory stays bounded by one page whatever the row count.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import tempfile
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from crm.companies.models import Company
from crm.contacts.filters import ContactFilterSpec, ContactSortField, filtered_contacts, sort_keys
from crm.contacts.models import Contact, PhoneNumber, PhoneType
from crm.core.pagination import MAX_PAGE_SIZE, PageRequest, SortKey, paginate
from crm.groups.models import GroupMembership

# The keyset page: the largest the shared paginator allows; 4 queries per page.
PAGE_SIZE = MAX_PAGE_SIZE
# A selection travels in the URL; past this, export a group or a filter instead.
MAX_SELECTED_IDS = 5000

CellValue = str | bool | datetime | None


@dataclass(frozen=True)
class ExportPhone:
    type: PhoneType
    e164: str
    is_primary: bool


@dataclass
class ExportRecord:
    contact: Contact
    company: str | None
    phones: list[ExportPhone]
    groups: list[str]


@dataclass
class ExportRequest:
    """What to export: a list view, or (when `ids` is given) exactly those contacts.

    A selection ignores the filter and search (the user picked the rows) but keeps the sort.
    """

    spec: ContactFilterSpec | None = None
    search: str | None = None
    keys: list[SortKey] = field(default_factory=lambda: sort_keys(ContactSortField.NAME, False))
    ids: list[int] | None = None
    page_size: int = PAGE_SIZE


async def export_pages(request: ExportRequest) -> AsyncIterator[list[ExportRecord]]:
    """The matching contacts, page by page in the list's order (keyset, stable under writes)."""
    if request.ids is not None:
        if not request.ids:
            return
        queryset = Contact.filter(id__in=request.ids)
    else:
        queryset = filtered_contacts(request.spec, request.search)
    after: str | None = None
    while True:
        page = await paginate(queryset, request.keys, PageRequest(request.page_size, after))
        if page.items:
            yield await _with_relations(page.items)
        if not page.has_next_page:
            return
        after = page.cursors[-1]


async def _with_relations(contacts: list[Contact]) -> list[ExportRecord]:
    ids = [c.id for c in contacts]
    company_ids = {c.company_id for c in contacts if c.company_id is not None}
    companies: dict[int, str] = {}
    if company_ids:
        companies = dict(
            await Company.filter(id__in=company_ids).values_list("id", "name")  # type: ignore[arg-type]
        )
    phones: dict[int, list[ExportPhone]] = defaultdict(list)
    for contact_id, kind, e164, primary in (
        await PhoneNumber.filter(contact_id__in=ids)
        .order_by("contact_id", "position", "id")
        .values_list("contact_id", "type", "e164", "is_primary")
    ):
        phones[contact_id].append(ExportPhone(PhoneType(kind), e164, bool(primary)))
    groups: dict[int, list[str]] = defaultdict(list)
    for contact_id, name in await GroupMembership.filter(contact_id__in=ids).values_list(
        "contact_id", "group__name"
    ):
        groups[contact_id].append(name)
    return [
        ExportRecord(
            contact=c,
            company=companies.get(c.company_id) if c.company_id is not None else None,
            phones=phones.get(c.id, []),
            groups=sorted(groups.get(c.id, []), key=str.casefold),
        )
        for c in contacts
    ]


# --- columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[ExportRecord], CellValue]


def _global_id(pk: int) -> str:
    # Same as crm.graphql.relay.to_global_id, without importing the GraphQL layer.
    return base64.urlsafe_b64encode(f"Contact:{pk}".encode()).decode()


def _phones_of(kind: PhoneType) -> Callable[[ExportRecord], CellValue]:
    def value(record: ExportRecord) -> CellValue:
        numbers = [p.e164 for p in record.phones if p.type == kind]
        return "; ".join(numbers) or None

    return value


def _primary_phone(record: ExportRecord) -> CellValue:
    for phone in record.phones:
        if phone.is_primary:
            return phone.e164
    return record.phones[0].e164 if record.phones else None


def _enum(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


PHONE_HEADERS = {
    PhoneType.MOBILE: "Mobile phone",
    PhoneType.OFFICE: "Office phone",
    PhoneType.HOME: "Home phone",
    PhoneType.FAX: "Fax",
    PhoneType.OTHER: "Other phone",
}

COLUMNS: list[Column] = [
    Column("ID", lambda r: _global_id(r.contact.id)),
    Column("Title", lambda r: _enum(r.contact.title)),
    Column("First name", lambda r: r.contact.first_name or None),
    Column("Last name", lambda r: r.contact.last_name),
    Column("Email", lambda r: r.contact.email),
    Column("Type", lambda r: _enum(r.contact.type)),
    Column("Status", lambda r: _enum(r.contact.status)),
    Column("Job title", lambda r: r.contact.job_title),
    Column("Company", lambda r: r.company),
    Column("Primary contact", lambda r: r.contact.is_primary_contact),
    Column("Primary phone", _primary_phone),
    *[Column(header, _phones_of(kind)) for kind, header in PHONE_HEADERS.items()],
    Column("Address line 1", lambda r: r.contact.address_line1),
    Column("Address line 2", lambda r: r.contact.address_line2),
    Column("City", lambda r: r.contact.city),
    Column("Region", lambda r: r.contact.region),
    Column("Postal code", lambda r: r.contact.postal_code),
    Column("Country", lambda r: r.contact.country),
    Column("Groups", lambda r: "; ".join(r.groups) or None),
    Column("Email consent", lambda r: r.contact.email_opt_in),
    Column("SMS consent", lambda r: r.contact.sms_opt_in),
    Column("Phone consent", lambda r: r.contact.phone_opt_in),
    Column("Post consent", lambda r: r.contact.post_opt_in),
    Column("Portal status", lambda r: _enum(r.contact.portal_status)),
    Column("Archived", lambda r: r.contact.archived),
    Column("Created at", lambda r: r.contact.created_at),
    Column("Updated at", lambda r: r.contact.updated_at),
    Column("Last contacted at", lambda r: r.contact.last_contacted_at),
]
HEADERS = [column.header for column in COLUMNS]


# --- spreadsheet safety -----------------------------------------------------------------------

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula gets a `'` prefix (OWASP CSV injection).

    E.164 numbers start with `+`, so they come out as `'+44...`; the importer strips a `'`
    that precedes one of these characters.
    """
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _csv_cell(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return escape_formula(value)


def table_rows(records: Iterable[ExportRecord]) -> Iterable[list[CellValue]]:
    for record in records:
        yield [column.value(record) for column in COLUMNS]


# --- CSV ------------------------------------------------------------------------------------

BOM = "\ufeff".encode()


async def csv_chunks(
    pages: AsyncIterator[list[ExportRecord]], *, bom: bool = False
) -> AsyncIterator[bytes]:
    """RFC 4180 CSV (CRLF, quoted as needed), one chunk per page; header first, at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    yield (BOM if bom else b"") + buffer.getvalue().encode()
    async for records in pages:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_cell(v) for v in row] for row in table_rows(records))
        yield buffer.getvalue().encode()


# --- xlsx -----------------------------------------------------------------------------------


def _xlsx_cell(value: CellValue) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, datetime):
        # Excel has no time zones: UTC, said in the header.
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, str):
        return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def xlsx_headers() -> list[str]:
    return [f"{c} (UTC)" if c.endswith(" at") else c for c in HEADERS]


class XlsxWriter:
    """openpyxl in write-only mode: rows go to a temporary file as they come, never to memory.

    The zip is assembled at `finish()` into an anonymous temporary file that the caller
    streams; a worksheet cannot be zipped before its last row, so an xlsx download starts
    when the file is complete. Each call is blocking: run it in a worker thread.
    """

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet("Contacts")
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for text in xlsx_headers():
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)
        self.saved = False

    def add(self, records: list[ExportRecord]) -> None:
        for row in table_rows(records):
            self.sheet.append([_xlsx_cell(v) for v in row])

    def finish(self) -> IO[bytes]:
        output = tempfile.TemporaryFile()  # noqa: SIM115 - the caller streams and closes it
        try:
            self.workbook.save(output)  # removes the sheet's temporary file
        except BaseException:
            output.close()
            raise
        self.saved = True
        output.seek(0)
        return output

    def discard(self) -> None:
        """Remove the sheet's temporary file when the export stops early (client gone)."""
        writer = getattr(self.sheet, "_writer", None)  # openpyxl keeps it private
        if self.saved or writer is None:
            return
        self.saved = True
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


# --- vCard 4.0 ------------------------------------------------------------------------------

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


def _vcard_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def vcard(record: ExportRecord) -> str:
    c = record.contact
    esc = vcard_escape
    prefix = TITLE_PREFIXES.get(_enum(c.title) or "", "")
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:individual",
        f"UID:urn:uuid:{uuid.uuid5(_UID_NAMESPACE, f'contact:{c.id}')}",
        f"FN:{esc(c.full_name or c.last_name)}",
        f"N:{esc(c.last_name)};{esc(c.first_name)};;{esc(prefix)};",
    ]
    if c.email:
        lines.append(f"EMAIL:{esc(c.email)}")
    for phone in record.phones:
        pref = ";PREF=1" if phone.is_primary else ""
        lines.append(f"TEL;VALUE=uri;TYPE={VCARD_TEL_TYPES[phone.type]}{pref}:tel:{phone.e164}")
    if record.company:
        lines.append(f"ORG:{esc(record.company)}")
    if c.job_title:
        lines.append(f"TITLE:{esc(c.job_title)}")
    street = [s for s in (c.address_line1, c.address_line2) if s]
    if street or c.city or c.region or c.postal_code or c.country:
        parts = [
            "",
            "",
            ",".join(esc(s) for s in street),
            esc(c.city or ""),
            esc(c.region or ""),
            esc(c.postal_code or ""),
            esc(c.country or ""),
        ]
        lines.append("ADR:" + ";".join(parts))
    if record.groups:
        lines.append("CATEGORIES:" + ",".join(esc(g) for g in record.groups))
    lines.append(f"REV:{_vcard_time(c.updated_at)}")
    lines.append("END:VCARD")
    return "".join(fold_line(line) for line in lines)


async def vcard_chunks(pages: AsyncIterator[list[ExportRecord]]) -> AsyncIterator[bytes]:
    """One .vcf with every contact, one chunk per page."""
    async for records in pages:
        yield "".join(vcard(record) for record in records).encode()
