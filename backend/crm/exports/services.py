"""Contact export: rows read in keyset pages and written as they go (CSV, xlsx, vCard 4.0).

Nothing here knows about HTTP or GraphQL. `export_pages` yields the contacts of a list view
(filter + search + sort) or of an explicit selection, one keyset page at a time, each page
with its companies, phones and groups loaded in one query apiece. The writers turn those
pages into chunks of bytes, so memory stays bounded by one page whatever the row count.

A million rows must stream in seconds, so nothing per row goes through the ORM: the queries
are built by tortoise (the list's own filter, search and order) but their rows come back as
the driver gives them (tuples of str/int/bool, and datetimes as text on SQLite), and each
writer turns a row into its cells in one function.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import re
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import IO, Any, NamedTuple

from tortoise.expressions import Q
from tortoise.queryset import QuerySet, ValuesListQuery

from crm.companies.models import Company
from crm.contacts.filters import ContactFilterSpec, ContactSortField, filtered_contacts, sort_keys
from crm.contacts.models import Contact, PhoneNumber, PhoneType
from crm.core.pagination import SortKey
from crm.groups.models import Group, GroupMembership

# Rows per keyset page, read with 4 queries (contacts, companies, phones, groups): large
# enough that the per-query cost is small per row, small enough for a quick first byte.
PAGE_SIZE = 2000
# A selection travels in the URL; past this, export a group or a filter instead.
MAX_SELECTED_IDS = 5000

# The contact columns read, in this order (`ContactValues`); a sort key not among them
# (sort_name) is read after them.
CONTACT_FIELDS = (
    "id",
    "title",
    "first_name",
    "last_name",
    "email",
    "type",
    "status",
    "job_title",
    "company_id",
    "is_primary_contact",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
    "email_opt_in",
    "sms_opt_in",
    "phone_opt_in",
    "post_opt_in",
    "portal_status",
    "archived_at",
    "created_at",
    "updated_at",
    "last_contacted_at",
)
# A row of CONTACT_FIELDS as the database driver returns it: enums as their text, booleans
# as bool (PostgreSQL) or 0/1 (SQLite), datetimes as datetime (PostgreSQL) or as the text
# tortoise stored (SQLite).
ContactValues = Sequence[Any]


class ExportPhone(NamedTuple):
    type: str  # a PhoneType value
    e164: str
    is_primary: bool


class ExportRecord(NamedTuple):
    values: ContactValues
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


async def _driver_rows(query: ValuesListQuery[Any]) -> list[Sequence[Any]]:
    """The rows of a values_list query as the driver returns them, skipping tortoise's
    per-value conversion (enum objects, parsed datetimes): the writers need neither.

    Uses the query's internals (pinned tortoise-orm 1.1.9); the export tests cover both
    databases.
    """
    query._choose_db_if_not_chosen()
    query._make_query()
    _, rows = await query._db.execute_query(*query.query.get_parameterized_sql())
    return rows


async def export_pages(request: ExportRequest) -> AsyncIterator[list[ExportRecord]]:
    """The matching contacts, page by page in the list's order (keyset, stable under writes).

    The order is `crm.core.pagination.paginate`'s over the same queryset and keys, rows
    without a value in a nullable key last; every page but the last has `page_size` rows.
    """
    if request.ids is not None:
        if not request.ids:
            return
        queryset = Contact.filter(id__in=request.ids)
    else:
        queryset = filtered_contacts(request.spec, request.search)
    keys = request.keys
    id_descending = keys[-1].descending if keys else False
    columns = [*CONTACT_FIELDS, *(k.field for k in keys if k.field not in CONTACT_FIELDS)]
    size = request.page_size
    pending: list[ContactValues] = []
    for run, run_keys in _runs(queryset, keys):
        async for rows in _keyset_rows(run, run_keys, id_descending, columns, size):
            pending += rows
            if len(pending) >= size:
                yield await _with_relations(pending[:size])
                del pending[:size]
    if pending:
        yield await _with_relations(pending)


def _runs(
    queryset: QuerySet[Contact], keys: list[SortKey]
) -> list[tuple[QuerySet[Contact], list[SortKey]]]:
    """The list order as runs of plain column order, which the list's indexes serve as they
    are: for a nullable first key, the rows with a value, then (in either direction) the rows
    without one. `paginate` sorts by a computed null flag instead; fine for a page of 50,
    but it makes the database sort every remaining row for every page of an export."""
    if any(key.nullable for key in keys[1:]):
        raise ValueError("only the first sort key may be nullable")
    if not keys or not keys[0].nullable:
        return [(queryset, keys)]
    first = keys[0]
    return [
        (queryset.filter(**{f"{first.field}__isnull": False}), [replace(first, nullable=False)]),
        (queryset.filter(**{f"{first.field}__isnull": True}), []),
    ]


async def _keyset_rows(
    queryset: QuerySet[Contact],
    keys: list[SortKey],
    id_descending: bool,
    columns: list[str],
    size: int,
) -> AsyncIterator[list[ContactValues]]:
    """The rows of `queryset` in `keys` order then id, `size` at a time (keys never null)."""
    ordering = [("-" if k.descending else "") + k.field for k in keys]
    ordering.append("-id" if id_descending else "id")
    key_fields = [Contact._meta.fields_map[k.field] for k in keys]
    key_positions = [columns.index(k.field) for k in keys]
    after: list[Any] | None = None
    while True:
        page = queryset
        if after is not None:
            page = page.filter(_after(keys, id_descending, after))
        rows = await _driver_rows(page.order_by(*ordering).limit(size + 1).values_list(*columns))
        has_next = len(rows) > size
        del rows[size:]
        if rows:
            yield rows
        if not has_next:
            return
        last = rows[-1]
        # The cursor values as the ORM holds them (a datetime, not SQLite's text).
        after = [
            key_field.to_python_value(last[position])
            for key_field, position in zip(key_fields, key_positions, strict=True)
        ]
        after.append(last[0])


def _after(keys: list[SortKey], id_descending: bool, values: list[Any]) -> Q:
    """Rows after `values` (each key's value, then the id) in the order of the keys then id.

    The keyset condition of `paginate` (k1 > v1 OR (k1 = v1 AND k2 > v2) ...), and the same
    bound on the first column alone: the OR cannot start an index scan, the bound can, so
    each page seeks to where the last one ended instead of scanning from the list's start.
    """
    order = [*((k.field, k.descending) for k in keys), ("id", id_descending)]
    branches: list[Q] = []
    equal: dict[str, Any] = {}
    for (name, descending), value in zip(order, values, strict=True):
        branches.append(Q(**equal, **{f"{name}__{'lt' if descending else 'gt'}": value}))
        equal[name] = value
    (name, descending), value = order[0], values[0]
    bound = Q(**{f"{name}__{'lte' if descending else 'gte'}": value})
    return bound & Q(*branches, join_type=Q.OR)


def _ids_condition(column: str, ids: Iterable[int], postgres: bool) -> tuple[str, list[Any]]:
    """`column` among `ids`, with the values to bind. SQLite: the ids inlined as integer
    literals (a page has thousands; binding a parameter apiece costs more than the query).
    PostgreSQL: one array parameter; its prepared statement's generic plan looks the ids up in
    the index, where an IN list of thousands makes it scan the whole table for every page."""
    if postgres:
        return f"{column} = ANY($1::int[])", [list(ids)]
    return f"{column} IN ({','.join(map(str, map(int, ids)))})", []


async def _with_relations(rows: list[ContactValues]) -> list[ExportRecord]:
    db = Contact._meta.db
    postgres = db.capabilities.dialect == "postgres"
    in_page, page_ids = _ids_condition('"contact_id"', [row[0] for row in rows], postgres)
    companies: dict[int, str] = {}
    company_ids = {row[8] for row in rows if row[8] is not None}
    if company_ids:
        condition, values = _ids_condition('"id"', company_ids, postgres)
        _, found = await db.execute_query(
            f'SELECT "id", "name" FROM "{Company._meta.db_table}" WHERE {condition}', values
        )
        companies = dict(found)
    phones: dict[int, list[ExportPhone]] = {}
    _, found = await db.execute_query(
        f'SELECT "contact_id", "type", "e164", "is_primary" FROM "{PhoneNumber._meta.db_table}"'
        f' WHERE {in_page} ORDER BY "contact_id", "position", "id"',
        page_ids,
    )
    for contact_id, kind, e164, primary in found:
        phones.setdefault(contact_id, []).append(ExportPhone(kind, e164, bool(primary)))
    groups: dict[int, list[str]] = {}
    _, found = await db.execute_query(
        f'SELECT m."contact_id", g."name" FROM "{GroupMembership._meta.db_table}" m'
        f' JOIN "{Group._meta.db_table}" g ON g."id" = m."group_id" WHERE m.{in_page}',
        page_ids,
    )
    for contact_id, name in found:
        groups.setdefault(contact_id, []).append(name)
    for names in groups.values():
        names.sort(key=str.casefold)
    no_phones: list[ExportPhone] = []
    no_groups: list[str] = []
    return [
        ExportRecord(
            row,
            companies.get(row[8]) if row[8] is not None else None,
            phones.get(row[0], no_phones),
            groups.get(row[0], no_groups),
        )
        for row in rows
    ]


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


def _naive_utc(value: str | datetime) -> datetime:
    return _moment(value).astimezone(UTC).replace(tzinfo=None)


def _vcard_time(value: str | datetime) -> str:
    """RFC 6350 timestamp in UTC, `20240501T093000Z`."""
    if _is_stored_utc_text(value):
        assert isinstance(value, str)
        return f"{value[:4]}{value[5:7]}{value[8:10]}T{value[11:13]}{value[14:16]}{value[17:19]}Z"
    return _moment(value).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _global_id(pk: int) -> str:
    # Same as crm.graphql.relay.to_global_id, without importing the GraphQL layer.
    return base64.urlsafe_b64encode(f"Contact:{pk}".encode()).decode()


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
    "Email consent",
    "SMS consent",
    "Phone consent",
    "Post consent",
    "Portal status",
    "Archived",
    "Created at",
    "Updated at",
    "Last contacted at",
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
        *_sort,
    ) = record.values
    company = record.company
    groups = record.groups
    phones = [empty if c is None else text(c) for c in _phone_cells(record.phones)]
    return [
        _global_id(pk),
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
        flag(email_opt_in),
        flag(sms_opt_in),
        flag(phone_opt_in),
        flag(post_opt_in),
        portal_status,
        flag(archived_at is not None),
        moment(created_at),
        moment(updated_at),
        empty if last_contacted_at is None else moment(last_contacted_at),
    ]


# --- spreadsheet safety -----------------------------------------------------------------------

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula gets a `'` prefix (OWASP CSV injection).

    E.164 numbers start with `+`, so they come out as `'+44...`; the importer strips a `'`
    that precedes one of these characters.
    """
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


# --- CSV ------------------------------------------------------------------------------------

BOM = "\ufeff".encode()
_YES_NO = {False: "no", True: "yes"}  # also 0 and 1: SQLite's booleans


# A line needs csv's quoting if a cell holds a quote, a line break or a comma (more commas
# than the separators); most do not, and joining them is several times faster than csv.
_QUOTE_NEEDED = re.compile(r'["\r\n]').search
_SEPARATORS = len(HEADERS) - 1


def csv_row(record: ExportRecord) -> list[str]:
    return table_row(record, escape_formula, _YES_NO.__getitem__, iso_utc, "")


def csv_lines(records: Iterable[ExportRecord]) -> str:
    """The records as CSV lines, exactly as `csv.writer(lineterminator="\\r\\n")` writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for record in records:
        cells = csv_row(record)
        line = ",".join(cells)
        if line.count(",") != _SEPARATORS or _QUOTE_NEEDED(line):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(cells)
            lines.append(buffer.getvalue())
        else:
            lines.append(line + "\r\n")
    return "".join(lines)


async def csv_chunks(
    pages: AsyncIterator[list[ExportRecord]], *, bom: bool = False
) -> AsyncIterator[bytes]:
    """RFC 4180 CSV (CRLF, quoted as needed), one chunk per page; header first, at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    yield (BOM if bom else b"") + buffer.getvalue().encode()
    async for records in pages:
        yield csv_lines(records).encode()


# --- xlsx -----------------------------------------------------------------------------------


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
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font

        strip_illegal = ILLEGAL_CHARACTERS_RE.sub

        def text(value: str) -> str:
            return escape_formula(strip_illegal("", value))

        self.text = text
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
        append, text = self.sheet.append, self.text
        for record in records:
            # Excel has no time zones: UTC, said in the header.
            append(table_row(record, text, bool, _naive_utc, None))

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


def vcard(record: ExportRecord) -> str:
    (
        pk,
        title,
        first_name,
        last_name,
        email,
        _kind,
        _status,
        job_title,
        _company_id,
        _is_primary_contact,
        line1,
        line2,
        city,
        region,
        postal_code,
        country,
        _email_opt_in,
        _sms_opt_in,
        _phone_opt_in,
        _post_opt_in,
        _portal_status,
        _archived_at,
        _created_at,
        updated_at,
        *_,
    ) = record.values
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
    lines.append(f"REV:{_vcard_time(updated_at)}")
    lines.append("END:VCARD")
    return "".join(fold_line(line) for line in lines)


async def vcard_chunks(pages: AsyncIterator[list[ExportRecord]]) -> AsyncIterator[bytes]:
    """One .vcf with every contact, one chunk per page."""
    async for records in pages:
        yield "".join(vcard(record) for record in records).encode()
