"""The companies import target: a file row → the changes `createCompany` would get, checked by
the company rules, matched to a company by its ID, else its website's domain, else its name
(folded), and written a batch at a time by the shared run (`crm.imports.batch`).

A second row of the file with the domain (or, without a website, the name) of an earlier one
is reported as an in-file duplicate, never imported twice, as contacts' repeated emails are.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from tortoise.backends.base.client import BaseDBAsyncClient

from crm.companies.models import Company
from crm.companies.services import CompanyChanges
from crm.companies.services import _apply as apply_company_changes
from crm.core.bulk import ids_by_key, insert_sql, reserve_ids
from crm.core.errors import ErrorCode, InputError
from crm.core.ids import from_global_id
from crm.core.inputs import is_set
from crm.core.text import fold
from crm.db import dialect
from crm.imports.batch import (
    Run,
    Target,
    _Batch,
    check_products,
    email_fingerprint,
    now,
    product_ids,
)
from crm.imports.mapping import ImportField
from crm.imports.models import DuplicateMode, ImportJob
from crm.imports.rows import ColumnReader, RowError, country_from_text, unescape
from crm.settings import get_settings

COMPANY_COLUMNS = (
    "id", "name", "sort_name", "search_text", "website", "industry", "phone", "phone_country",
    "notes", "address_line1", "address_line2", "city", "region", "postal_code", "country",
    "created_at", "updated_at", "owner_id",
)  # fmt: skip
COMPANY_PRODUCT_COLUMNS = ("company_id", "product_id")
_TEXT_FIELDS = {
    ImportField.COMPANY: "name",
    ImportField.WEBSITE: "website",
    ImportField.INDUSTRY: "industry",
    ImportField.PHONE: "phone",
    ImportField.NOTES: "notes",
    ImportField.ADDRESS_LINE1: "address_line1",
    ImportField.ADDRESS_LINE2: "address_line2",
    ImportField.CITY: "city",
    ImportField.REGION: "region",
    ImportField.POSTAL_CODE: "postal_code",
}
# The company rules' error paths, mapped back to the field of the file.
_PATH_FIELDS = {
    "name": ImportField.COMPANY,
    "website": ImportField.WEBSITE,
    "industry": ImportField.INDUSTRY,
    "notes": ImportField.NOTES,
    "phone": ImportField.PHONE,
    "phoneCountry": ImportField.PHONE,
    "line1": ImportField.ADDRESS_LINE1,
    "line2": ImportField.ADDRESS_LINE2,
    "city": ImportField.CITY,
    "region": ImportField.REGION,
    "postalCode": ImportField.POSTAL_CODE,
    "country": ImportField.COUNTRY,
}


def domain_of(website: str | None) -> str | None:
    """ "https://www.Example.com/about" → "example.com"."""
    host = urlsplit(website).hostname if website else None
    if not host:
        return None
    return host.removeprefix("www.")


@dataclass
class NewCompanyCheck:
    company: Company
    errors: list[RowError]


@dataclass
class CompanyRow:
    """A row turned into company changes, with the problems found so far."""

    number: int
    cells: list[str]
    changes: CompanyChanges
    # The company the row's ID column names (an export re-imported): matched first.
    record_id: int | None = None
    products: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    as_new: NewCompanyCheck | None = None
    domain: str | None = None
    name_key: str | None = None
    company: Company | None = None
    read_errors: int = 0
    dropped: list[RowError] = field(default_factory=list)

    def forget_checks(self) -> None:
        del self.errors[self.read_errors :]
        self.company = None

    def who(self) -> dict[str, str | None]:
        name = self.changes.name
        return {"name": name if isinstance(name, str) else None, "email": None}

    def key(self) -> str | None:
        """What makes two rows of the file the same company: the domain, else the name."""
        if self.domain:
            return f"domain:{self.domain}"
        return f"name:{self.name_key}" if self.name_key else None


class CompanyReader(ColumnReader):
    def __init__(self, headers: list[str], mapping: dict[int, ImportField]) -> None:
        super().__init__(headers, mapping)
        self.default_country = get_settings().default_country

    def read(self, number: int, cells: list[str]) -> CompanyRow:
        row = CompanyRow(number, cells, CompanyChanges())
        for index, import_field in self.mapping:
            value = unescape(cells[index]) if index < len(cells) else ""
            if value:
                self._cell(row, import_field, value)
        row.read_errors = len(row.errors)
        return row

    def _cell(self, row: CompanyRow, import_field: ImportField, value: str) -> None:
        if import_field in _TEXT_FIELDS:
            setattr(row.changes, _TEXT_FIELDS[import_field], value)
        elif import_field == ImportField.COUNTRY:
            code = country_from_text(value)
            if code is None:
                row.errors.append(
                    self.error(
                        import_field,
                        f"{value!r} is not a country name or ISO code",
                        ErrorCode.INVALID,
                    )
                )
            row.changes.country = code
        elif import_field == ImportField.PRODUCTS:
            self.products(row, value)
        elif import_field == ImportField.ID:
            parsed = from_global_id(value)
            if parsed is None or parsed[0] != "Company":
                row.errors.append(
                    self.error(
                        import_field,
                        f"{value!r} is not the ID of a company exported from this CRM",
                        ErrorCode.INVALID,
                    )
                )
            else:
                row.record_id = parsed[1]

    def _apply(self, company: Company, changes: CompanyChanges) -> list[RowError]:
        try:
            apply_company_changes(company, changes)
        except InputError as refused:
            return [self._problem(problem.field, problem.message, problem.code)
                    for problem in refused.errors]  # fmt: skip
        return []

    def _problem(self, path: tuple[str, ...] | None, message: str, code: str) -> RowError:
        import_field = _PATH_FIELDS.get(path[-1]) if path else None
        index = self.column_of.get(import_field) if import_field is not None else None
        return RowError(self.header(index), import_field, message, code, index)

    def check_new(self, row: CompanyRow) -> None:
        changes = copy(row.changes)
        if not is_set(changes.name):
            changes.name = None
        company = Company(name="")
        errors = self._apply(company, changes)
        if not errors:
            row.domain = domain_of(company.website)
            row.name_key = company.sort_name
        row.as_new = NewCompanyCheck(company, errors)

    def check_update(self, row: CompanyRow, company: Company) -> None:
        """Apply the row's non-empty cells to an existing company."""
        row.errors += self._apply(company, copy(row.changes))
        if not row.errors:
            row.company = company


async def _reader(job: ImportJob) -> CompanyReader:
    mapping = {
        item["index"]: ImportField(item["field"]) for item in job.mapping if item.get("field")
    }
    return CompanyReader(job.headers, mapping)


# --- matching --------------------------------------------------------------------------------


@dataclass
class _Found:
    named: set[int] = field(default_factory=set)  # the ids the ID column names that exist
    by_domain: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)
    loaded: dict[int, Company] = field(default_factory=dict)

    def match(self, row: CompanyRow) -> int | None:
        if row.record_id is not None and row.record_id in self.named:
            return row.record_id
        if row.domain:
            return self.by_domain.get(row.domain)
        return self.by_name.get(row.name_key) if row.name_key else None


async def _domains(conn: BaseDBAsyncClient, run: Run) -> dict[str, int]:
    """The domain of every company's website, read once a run: websites are stored as typed
    (`https://www.example.com/about`), so no index finds a domain. Companies the run creates
    are not added: a later row with one of their domains is an in-file duplicate."""
    if run.domains is None:
        run.domains = {}
        websites = Company.filter(website__isnull=False).using_db(conn).order_by("id")
        for pk, website in await websites.values_list("id", "website"):
            if domain := domain_of(website):
                run.domains.setdefault(domain, pk)
    return run.domains


async def _existing(conn: BaseDBAsyncClient, run: Run, rows: list[CompanyRow]) -> _Found:
    """The companies the rows name by ID, by website domain or by folded name."""
    readable = [row for row in rows if not row.errors]
    found = _Found()
    named = list({row.record_id for row in readable if row.record_id is not None})
    if named:
        found.named = set(
            await Company.filter(id__in=named).using_db(conn).values_list("id", flat=True)
        )
    if any(row.domain for row in readable):
        found.by_domain = await _domains(conn, run)
    names = list({row.name_key for row in readable if row.name_key and not row.domain})
    found.by_name = await ids_by_key(conn, dialect(), "company", "sort_name", names)
    if run.job.duplicate_mode == DuplicateMode.UPDATE:
        ids = {found.match(row) for row in readable} - {None}
        if ids:
            found.loaded = {
                company.id: company
                for company in await Company.filter(id__in=list(ids)).using_db(conn)
            }
    return found


def _classify(run: Run, rows: list[CompanyRow], found: _Found) -> _Batch:
    """Decide each row's fate with the company rules; runs in a worker thread."""
    batch = _Batch()
    mode = run.job.duplicate_mode
    for row in rows:
        assert row.as_new is not None
        key = row.key()
        fingerprint = email_fingerprint(key) if key else None
        if fingerprint is not None and (
            fingerprint in run.seen_emails or fingerprint in batch.seen
        ):
            batch.in_file_duplicates += 1
            column = ImportField.WEBSITE if row.domain else ImportField.COMPANY
            row.errors.append(
                run.reader.error(
                    column,
                    f"This {'domain' if row.domain else 'name'} is on an earlier row of the "
                    "file; only the first is imported",
                    ErrorCode.DUPLICATE,
                )
            )
        check_products(run, row)
        if row.errors:
            row.errors += row.as_new.errors
            batch.failed.append(row)
            continue
        company_id = found.match(row)
        if fingerprint is not None:
            batch.seen.add(fingerprint)
        if company_id is not None:
            batch.existing += 1
            if mode == DuplicateMode.SKIP:
                batch.skipped += 1
            elif mode == DuplicateMode.ERROR:
                row.errors.append(_already_exists(run, row, company_id))
                batch.failed.append(row)
            else:
                run.reader.check_update(row, found.loaded[company_id])
                if row.errors:
                    batch.failed.append(row)
                else:
                    batch.updates.append((row, []))
            continue
        if row.as_new.errors:
            row.errors += row.as_new.errors
            batch.failed.append(row)
            continue
        row.company = row.as_new.company
        batch.new.append(row)
    return batch


def _already_exists(run: Run, row: CompanyRow, company_id: int) -> RowError:
    if row.record_id == company_id:
        message, column = "The company this ID names already exists", ImportField.ID
    elif row.domain:
        message, column = "A company with this website's domain already exists", ImportField.WEBSITE
    else:
        message, column = "A company with this name already exists", ImportField.COMPANY
    return run.reader.error(column, message, ErrorCode.DUPLICATE)


# --- writing ---------------------------------------------------------------------------------


async def _prepare(run: Run, rows: list[CompanyRow]) -> None:
    await product_ids(run, rows)


async def _write(conn: BaseDBAsyncClient, run: Run, batch: _Batch) -> None:
    sql_dialect = dialect()
    new: list[CompanyRow] = batch.new  # type: ignore[assignment]
    ids = await reserve_ids(conn, sql_dialect, "company", len(new))
    moment = now()
    # New companies are the importing user's, as new contacts are.
    owner_id = run.job.created_by_id  # type: ignore[attr-defined]
    if new:
        await conn.execute_many(
            insert_sql(sql_dialect, "company", COMPANY_COLUMNS),
            [_company_values(pk, row, moment, owner_id) for pk, row in zip(ids, new, strict=True)],
        )
    for row, _ in batch.updates:
        assert row.company is not None
        await row.company.save(using_db=conn)
    links = [
        (row.company.id, product_id)
        for row in [*new, *(row for row, _ in batch.updates)]
        if row.company is not None
        for product_id in dict.fromkeys(run.products[fold(name)] for name in row.products)
    ]
    if links:
        await conn.execute_many(
            insert_sql(
                sql_dialect, "company_product", COMPANY_PRODUCT_COLUMNS, ignore_conflicts=True
            ),
            links,
        )


def _company_values(
    pk: int, row: CompanyRow, moment: datetime, owner_id: int | None
) -> tuple[Any, ...]:
    company = row.company
    assert company is not None
    company.id = pk
    company.created_at = company.updated_at = moment
    company.owner_id = owner_id
    return tuple(getattr(company, column) for column in COMPANY_COLUMNS)


def _resume_key(run: Run, cells: list[str]) -> str | None:
    """A committed row's key, read again (resuming a job skips its rows)."""
    row = run.reader.read(0, cells)
    run.reader.check_new(row)
    return row.key()


COMPANIES = Target(_reader, _prepare, _existing, _classify, _write, _resume_key)
