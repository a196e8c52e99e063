"""How rows become contacts, a batch at a time, for an import and for its preview.

A run reads the job's file from where it stopped (a child process reads it under memory
and time ceilings: `crm.imports.bounded`). Each batch of rows is read and checked as new
contacts in a worker thread; then its emails are looked up at once and each row's fate is
decided with the contact rules. An import writes a batch in one transaction that also
renews the job's lease and records its progress and the rows that failed, so the counts
and the failed-rows file always agree with what was written; a batch whose job was
cancelled or taken over by another runner meanwhile rolls back. Each contact a batch
creates or updates gets an IMPORTED event on its timeline, written with the rows. A preview
checks the same way and writes nothing but its progress.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from crm.companies.services import search_text_for as company_search_text
from crm.companies.services import sort_name_for as company_sort_name
from crm.contacts.bulk import CONTACT_COLUMNS, PHONE_COLUMNS, contact_row, phone_row
from crm.contacts.models import Channel, Contact, ContactStatus, ContactType, PhoneNumber
from crm.contacts.services import PhoneInput, primary_flags
from crm.core.bulk import ids_by_key, insert_sql, reserve_ids
from crm.core.errors import ErrorCode, InputError
from crm.core.text import fold
from crm.core.validation import ParsedPhone
from crm.db import dialect
from crm.duplicates.services import refresh_imported, rows_like_saved_contacts
from crm.groups.models import Group
from crm.groups.services import MEMBERSHIP_COLUMNS, GroupChanges, create_group
from crm.imports import bounded, reading
from crm.imports.mapping import ImportField, ImportTarget
from crm.imports.models import (
    DuplicateMode,
    ImportJob,
    ImportState,
    InvalidValues,
    UnknownProducts,
)
from crm.imports.rows import (
    Defaults,
    FingerprintSet,
    ReadRow,
    RowError,
    RowReader,
    email_fingerprint,
)
from crm.imports.services import MAX_LISTED_ERRORS, file_info, now
from crm.imports.uploads import local_path
from crm.jobs.queue import Lease
from crm.products.models import Product
from crm.products.services import ProductChanges, create_product
from crm.settings import get_settings
from crm.staff.models import StaffUser
from crm.staff.ownership import owners_by_email
from crm.timeline.bulk import record_for_contacts
from crm.timeline.models import TimelineKind
from crm.timeline.services import IMPORT

BATCH_ROWS = 2000
FAILED_ROW_COLUMNS = ("job_id", "row_number", "cells", "errors")
PRODUCT_COLUMNS = ("contact_id", "product_id")


class Cancelled(Exception):
    """The job was cancelled (or taken over) while a batch was in flight."""


class Stopping(Exception):
    """The runner is stopping: the batch in hand is done, the rest of the job is not."""


@dataclass
class Run:
    job: ImportJob
    lease: Lease
    stop: asyncio.Event | None
    reader: Any  # the target's ColumnReader
    rows: Iterator[reading.Row]
    target: Target
    # Fingerprints of the keys met in the file (a contact's email, a company's domain or name).
    seen_emails: FingerprintSet = field(default_factory=FingerprintSet)
    companies: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    # Products by folded name: those the rows named that the catalogue has (or the run made).
    products: dict[str, int] = field(default_factory=dict)
    # Companies by their website's domain (the companies target reads them once a run).
    domains: dict[str, int] | None = None
    previewing: bool = False
    target_group: int | None = None
    # What each IMPORTED event says besides "created" or "updated": the file, and who ran it.
    event_details: dict[str, str] = field(default_factory=dict)

    def stop_if_asked(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise Stopping


@dataclass
class _Batch:
    consumed: int = 0
    new: list[ReadRow] = field(default_factory=list)
    updates: list[tuple[ReadRow, list[PhoneNumber]]] = field(default_factory=list)
    failed: list[ReadRow] = field(default_factory=list)
    skipped: int = 0
    existing: int = 0
    in_file_duplicates: int = 0
    seen: set[int] = field(default_factory=set)

    @property
    def partial(self) -> list[ReadRow]:
        """Rows written without a field whose value was refused (DROP_FIELD)."""
        written = [*self.new, *(row for row, _ in self.updates)]
        return [row for row in written if row.dropped]

    def reported(self) -> list[tuple[ReadRow, list[RowError]]]:
        """The rows the failed-rows file lists, with their problems: those that failed, and
        those imported without a field."""
        reported = [
            *((row, [*row.errors, *row.dropped]) for row in self.failed),
            *((row, row.dropped) for row in self.partial),
        ]
        return sorted(reported, key=lambda item: item[0].number)


@dataclass(frozen=True)
class Target:
    """What rows become, as the shared run needs it: a reader (rows read and checked as new
    records in a worker thread), what to look up before a batch's transaction (`prepare`), the
    matching records in the database (`existing`), each row's fate (`classify`, in a worker
    thread), the batch's writes (`write`), and the key a committed row leaves among the
    in-file duplicates when a job resumes (`resume_key`)."""

    reader: Callable[[ImportJob], Awaitable[Any]]
    prepare: Callable[[Run, list[Any]], Awaitable[None]]
    existing: Callable[[BaseDBAsyncClient, Run, list[Any]], Awaitable[Any]]
    classify: Callable[[Run, list[Any], Any], _Batch]
    write: Callable[[BaseDBAsyncClient, Run, _Batch], Awaitable[None]]
    resume_key: Callable[[Run, list[str]], str | None]


def target_for(job: ImportJob) -> Target:
    if job.target == ImportTarget.COMPANIES:
        from crm.imports.company_batch import COMPANIES

        return COMPANIES
    return CONTACTS


async def _reader(job: ImportJob) -> RowReader:
    mapping = {
        item["index"]: ImportField(item["field"]) for item in job.mapping if item.get("field")
    }
    defaults = Defaults(
        ContactType(job.default_type),
        ContactStatus(job.default_status),
        owner_id=job.created_by_id,  # type: ignore[attr-defined]
        staff=await owners_by_email() if ImportField.OWNER in mapping.values() else {},
    )
    agreed = frozenset(Channel(channel) for channel in job.consents)
    return RowReader(job.headers, mapping, defaults, get_settings().default_country, agreed)


def _read_batch(run: Run) -> tuple[int, list[ReadRow]]:
    """The next rows (blank ones counted, not returned), each checked as a new contact: the
    work of a row that needs no database. Runs in a worker thread."""
    consumed = 0
    rows = []
    for row in islice(run.rows, BATCH_ROWS):
        consumed += 1
        if not reading.is_blank(row):
            read = run.reader.read(row.number, row.cells)
            run.reader.check_new(read)
            if run.job.invalid_values == InvalidValues.DROP_FIELD:
                read = run.reader.without_invalid(read)
            rows.append(read)
    return consumed, rows


@dataclass
class _Found:
    """The batch's rows' contacts in the database: by email key, by the ID column's id, and
    (to update them) loaded with their phones."""

    by_email: dict[str, int] = field(default_factory=dict)
    emails_by_id: dict[int, str | None] = field(default_factory=dict)
    loaded: dict[int, tuple[Contact, list[PhoneNumber]]] = field(default_factory=dict)

    def match(self, row: ReadRow, reader: RowReader) -> int | None:
        """The contact the row stands for: the one its ID names, else the one with its email.
        A row whose ID names a contact while its email is another's is refused."""
        by_email = self.by_email.get(row.email_key) if row.email_key else None
        if row.contact_id is None or row.contact_id not in self.emails_by_id:
            return by_email
        if by_email is not None and by_email != row.contact_id:
            row.errors.append(
                reader.error(
                    ImportField.EMAIL,
                    "This email belongs to another contact than the one the ID names",
                    ErrorCode.DUPLICATE,
                )
            )
        return row.contact_id


def _classify(run: Run, rows: list[ReadRow], found: _Found) -> _Batch:
    """Decide each row's fate with the contact rules; runs in a worker thread."""
    batch = _Batch()
    mode = run.job.duplicate_mode
    reader = run.reader
    for row in rows:
        assert row.as_new is not None
        fingerprint = email_fingerprint(row.email_key) if row.email_key else None
        if fingerprint is not None and (
            fingerprint in run.seen_emails or fingerprint in batch.seen
        ):
            batch.in_file_duplicates += 1
            row.errors.append(
                reader.error(
                    ImportField.EMAIL,
                    "This email is on an earlier row of the file; only the first is imported",
                    ErrorCode.DUPLICATE,
                )
            )
        check_products(run, row)
        contact_id = None if row.errors else found.match(row, reader)
        if row.errors:
            row.errors += row.as_new.errors  # the rest of the row's problems too
            batch.failed.append(row)
            continue
        if contact_id is not None:
            batch.existing += 1
            if fingerprint is not None:
                batch.seen.add(fingerprint)
            if mode == DuplicateMode.SKIP:
                batch.skipped += 1
                continue
            if mode == DuplicateMode.ERROR:
                row.errors.append(_already_exists(row, contact_id, reader))
                batch.failed.append(row)
                continue
            contact, phones = found.loaded[contact_id]
            reader.check_update(row, contact, phones)
            if row.errors:
                batch.failed.append(row)
            else:
                batch.updates.append((row, phones))
            continue
        if row.as_new.errors:
            row.errors += row.as_new.errors
            batch.failed.append(row)
            continue
        row.contact, row.phones = row.as_new.contact, row.as_new.phones
        if fingerprint is not None:
            batch.seen.add(fingerprint)
        batch.new.append(row)
    return batch


def check_products(run: Run, row: Any) -> None:
    """A product the catalogue lacks fails the row, unless the user chose to create it (a
    preview creates nothing: such names count as created)."""
    if run.job.unknown_products == UnknownProducts.CREATE and run.previewing:
        return
    unknown = [name for name in row.products if fold(name) not in run.products]
    if unknown:
        names = ", ".join(repr(name) for name in dict.fromkeys(unknown))
        row.errors.append(
            run.reader.error(
                ImportField.PRODUCTS, f"No product is named {names}", ErrorCode.NOT_FOUND
            )
        )


def _already_exists(row: ReadRow, contact_id: int, reader: RowReader) -> RowError:
    if row.contact_id == contact_id:
        return reader.error(
            ImportField.ID, "The contact this ID names already exists", ErrorCode.DUPLICATE
        )
    return reader.error(
        ImportField.EMAIL, "A contact with this email already exists", ErrorCode.DUPLICATE
    )


async def _existing(conn: BaseDBAsyncClient, run: Run, rows: list[ReadRow]) -> _Found:
    readable = [row for row in rows if not row.errors]
    keys = list({row.email_key for row in readable if row.email_key})
    named = list({row.contact_id for row in readable if row.contact_id is not None})
    found = _Found(by_email=await ids_by_key(conn, dialect(), "contact", "email_key", keys))
    if named:
        found.emails_by_id = dict(
            await Contact.filter(id__in=named).using_db(conn).values_list("id", "email_key")
        )
    if run.job.duplicate_mode == DuplicateMode.UPDATE:
        ids = list({*found.by_email.values(), *found.emails_by_id})
        if ids:
            found.loaded = await _loaded(conn, ids)
    return found


async def _loaded(
    conn: BaseDBAsyncClient, ids: list[int]
) -> dict[int, tuple[Contact, list[PhoneNumber]]]:
    contacts = await Contact.filter(id__in=ids).using_db(conn)
    phones: dict[int, list[PhoneNumber]] = {pk: [] for pk in ids}
    for phone in await PhoneNumber.filter(contact_id__in=ids).order_by("position").using_db(conn):
        phones[phone.contact_id].append(phone)  # type: ignore[attr-defined]
    return {c.id: (c, phones[c.id]) for c in contacts}


async def _company_ids(conn: BaseDBAsyncClient, run: Run, names: set[str]) -> None:
    """Ids of the companies the rows name, creating the missing ones (matched folded)."""
    wanted = {company_sort_name(name): name for name in names}
    missing = [key for key in wanted if key not in run.companies]
    if not missing:
        return
    run.companies.update(await ids_by_key(conn, dialect(), "company", "sort_name", missing))
    to_create = [key for key in missing if key not in run.companies]
    if not to_create:
        return
    ids = await reserve_ids(conn, dialect(), "company", len(to_create))
    moment = now()
    columns = ("id", "name", "sort_name", "search_text", "created_at", "updated_at")
    await conn.execute_many(
        insert_sql(dialect(), "company", columns),
        [
            (pk, wanted[key], key, company_search_text(wanted[key]), moment, moment)
            for pk, key in zip(ids, to_create, strict=True)
        ],
    )
    run.companies.update(zip(to_create, ids, strict=True))


async def group_ids(run: Run, names: set[str]) -> None:
    for name in names:
        key = fold(name)
        if key in run.groups:
            continue
        group = await Group.get_or_none(name_key=key)
        if group is None:
            try:
                group = await create_group(GroupChanges(name=name))
            except InputError:
                group = await Group.get_or_none(name_key=key)
        if group is not None:
            run.groups[key] = group.id


async def product_ids(run: Run, rows: list[Any]) -> None:
    """Find the products the rows name (folded), creating the missing ones when the user
    chose so (outside the batch's transaction, as groups are: a product is shared), spelled
    as the file first spells them."""
    wanted: dict[str, str] = {}
    for row in rows:
        for name in row.products:
            wanted.setdefault(fold(name), name)
    missing = [key for key in wanted if key not in run.products]
    if not missing:
        return
    for start in range(0, len(missing), 500):
        keys = missing[start : start + 500]
        run.products.update(
            await Product.filter(name_key__in=keys).values_list("name_key", "id")  # type: ignore[arg-type]
        )
    if run.previewing or run.job.unknown_products != UnknownProducts.CREATE:
        return
    for key in missing:
        if key in run.products:
            continue
        try:
            product = await create_product(ProductChanges(name=wanted[key]))
        except InputError:  # created meanwhile by someone else
            product = await Product.get_or_none(name_key=key)
        if product is not None:
            run.products[key] = product.id


async def _write(conn: BaseDBAsyncClient, run: Run, batch: _Batch) -> None:
    sql_dialect = dialect()
    rows = batch.new + [row for row, _ in batch.updates]
    await _company_ids(conn, run, {row.company_name for row in rows if row.company_name})
    for row in rows:
        assert row.contact is not None
        if row.company_name:
            company_id = run.companies[company_sort_name(row.company_name)]
            if row.contact.company_id != company_id:
                row.contact.is_primary_contact = False
            row.contact.company_id = company_id

    ids = await reserve_ids(conn, sql_dialect, "contact", len(batch.new))
    moment = now()
    contact_values, phone_values = await asyncio.to_thread(_new_rows, ids, batch.new, moment)
    if contact_values:
        await conn.execute_many(insert_sql(sql_dialect, "contact", CONTACT_COLUMNS), contact_values)
    for row, _ in batch.updates:
        assert row.contact is not None
        await row.contact.save(using_db=conn)
        if row.phones is not None:
            await PhoneNumber.filter(contact_id=row.contact.id).using_db(conn).delete()
            phone_values += _phone_values(row.contact.id, row.phones)
    if phone_values:
        await conn.execute_many(
            insert_sql(sql_dialect, "phone_number", PHONE_COLUMNS), phone_values
        )

    memberships = []
    for row in rows:
        assert row.contact is not None
        targets = [run.groups[fold(name)] for name in row.groups if fold(name) in run.groups]
        if run.target_group is not None:
            targets.append(run.target_group)
        memberships += [(group_id, row.contact.id, moment) for group_id in dict.fromkeys(targets)]
    if memberships:
        await conn.execute_many(
            insert_sql(sql_dialect, "group_membership", MEMBERSHIP_COLUMNS, ignore_conflicts=True),
            memberships,
        )
    product_links = [
        (row.contact.id, product_id)
        for row in rows
        if row.contact is not None
        for product_id in dict.fromkeys(run.products[fold(name)] for name in row.products)
    ]
    if product_links:
        await conn.execute_many(
            insert_sql(sql_dialect, "contact_product", PRODUCT_COLUMNS, ignore_conflicts=True),
            product_links,
        )
    await refresh_imported(batch.new, batch.updates)
    await _record(conn, run, batch, moment)


async def write_failed_rows(conn: BaseDBAsyncClient, run: Run, batch: _Batch) -> None:
    reported = batch.reported()
    if reported:
        await conn.execute_many(
            insert_sql(dialect(), "import_failed_row", FAILED_ROW_COLUMNS),
            [
                (run.job.id, row.number, _json(row.cells), _json(error_dicts(row, errors)))
                for row, errors in reported
            ],
        )


def error_dicts(row: Any, errors: list[RowError]) -> list[dict[str, Any]]:
    """The row's problems as stored, each naming the contact the row is about."""
    who = row.who()
    return [{**error.as_dict(), **who} for error in errors]


async def _record(conn: BaseDBAsyncClient, run: Run, batch: _Batch, moment: datetime) -> None:
    """An IMPORTED event for each contact created or updated, one statement for each."""
    created = [row.contact.id for row in batch.new if row.contact is not None]
    updated = [row.contact.id for row, _ in batch.updates if row.contact is not None]
    for action, contact_ids in (("created", created), ("updated", updated)):
        await record_for_contacts(
            IMPORT,
            TimelineKind.IMPORTED,
            contact_ids,
            {**run.event_details, "action": action},
            conn=conn,
            moment=moment,
        )


def _new_rows(
    ids: list[int], rows: list[ReadRow], moment: datetime
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Insert values for new contacts and their phones; runs in a worker thread."""
    contact_values = []
    phone_values = []
    for pk, row in zip(ids, rows, strict=True):
        assert row.contact is not None
        row.contact.id = pk
        row.contact.created_at = row.contact.updated_at = moment
        contact_values.append(contact_row(row.contact))
        phone_values += _phone_values(pk, row.phones or [])
    return contact_values, phone_values


def _phone_values(
    contact_id: int, phones: list[tuple[PhoneInput, ParsedPhone]]
) -> list[tuple[Any, ...]]:
    return [
        phone_row(contact_id, position, given.type, parsed, is_primary)
        for position, ((given, parsed), is_primary) in enumerate(
            zip(phones, primary_flags(phones), strict=True)
        )
    ]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


async def _hold(conn: BaseDBAsyncClient, run: Run) -> None:
    """Renew the lease; a job cancelled or taken over meanwhile rolls this batch back. On
    SQLite this first write also takes the write lock that `reserve_ids` relies on."""
    if not await run.lease.renew([run.job.id], conn):
        raise Cancelled


async def _prepare_contacts(run: Run, rows: list[ReadRow]) -> None:
    await group_ids(run, {name for row in rows for name in row.groups})
    await product_ids(run, rows)


async def _import_batch(run: Run, consumed: int, rows: list[Any]) -> None:
    """Decide and write a batch of read rows in one transaction."""
    target = run.target
    await target.prepare(run, rows)
    for attempt in range(3):
        try:
            async with in_transaction() as conn:
                await _hold(conn, run)
                found = await target.existing(conn, run, _fresh(rows))
                batch = await asyncio.to_thread(target.classify, run, rows, found)
                await target.write(conn, run, batch)
                await write_failed_rows(conn, run, batch)
                await (
                    ImportJob.filter(id=run.job.id)
                    .using_db(conn)
                    .update(
                        rows_done=run.job.rows_done + consumed,
                        created_count=run.job.created_count + len(batch.new),
                        updated_count=run.job.updated_count + len(batch.updates),
                        skipped_count=run.job.skipped_count + batch.skipped,
                        failed_count=run.job.failed_count + len(batch.failed),
                        partial_count=run.job.partial_count + len(batch.partial),
                    )
                )
            break
        except IntegrityError:
            # Someone added one of these emails (or names) meanwhile: look again.
            if attempt == 2:
                raise
    run.seen_emails.update(batch.seen)
    run.job.rows_done += consumed
    run.job.created_count += len(batch.new)
    run.job.updated_count += len(batch.updates)
    run.job.skipped_count += batch.skipped
    run.job.partial_count += len(batch.partial)
    run.job.failed_count += len(batch.failed)


async def import_rows(run: Run) -> None:
    """Batch after batch until the file ends, or `Stopping` after a batch. (Reading the next
    batch in a thread while this one is written was tried: the GIL hand-offs made both
    sides slower.)"""
    while True:
        consumed, rows = await asyncio.to_thread(_read_batch, run)
        if consumed == 0:
            return
        await _import_batch(run, consumed, rows)
        run.stop_if_asked()


def _fresh(rows: list[Any]) -> list[Any]:
    for row in rows:
        row.forget_checks()
    return rows


def _skip_done(run: Run, done: int) -> None:
    """Resume: skip the rows already committed, remembering their keys."""
    for row in islice(run.rows, done):
        key = run.target.resume_key(run, row.cells)
        if key:
            run.seen_emails.add(email_fingerprint(key))


def _contact_resume_key(run: Run, cells: list[str]) -> str | None:
    email_index = run.reader.column_of.get(ImportField.EMAIL)
    if email_index is None or email_index >= len(cells):
        return None
    return RowReader.email_key_of(cells[email_index])


@contextlib.asynccontextmanager
async def started_run(
    job: ImportJob, lease: Lease, stop: asyncio.Event | None, *, resume: bool
) -> AsyncIterator[Run]:
    """The job's rows, after those already done when resuming; the child reading them
    stops with the run."""
    rows = await asyncio.to_thread(bounded.ChildRows, local_path(job), file_info(job))
    try:
        target = target_for(job)
        run = Run(
            job,
            lease,
            stop,
            await target.reader(job),
            rows,
            target,
            event_details=await _event_details(job),
        )
        if resume and job.rows_done:
            await asyncio.to_thread(_skip_done, run, job.rows_done)
        yield run
    finally:
        await asyncio.to_thread(rows.close)


async def _event_details(job: ImportJob) -> dict[str, str]:
    creator = await StaffUser.get_or_none(id=job.created_by_id)  # type: ignore[attr-defined]
    by = {"by": creator.name or creator.email} if creator is not None else {}
    return {"file": job.file_name, **by}


async def preview_rows(run: Run) -> dict[str, Any]:
    """The preview's counts and first problems, checking every row from the first;
    `Cancelled` when the preview was cancelled, `Stopping` after a batch."""
    summary = {
        "valid": 0,
        "invalid": 0,
        "partial": 0,
        "new": 0,
        "existing": 0,
        "in_file": 0,
        "total": 0,
        "look_alikes": 0,
    }
    errors: list[dict[str, Any]] = []
    look_alikes: list[dict[str, Any]] = []
    done = 0
    conn = connections.get("default")
    run.previewing = True
    while True:
        consumed, rows = await asyncio.to_thread(_read_batch, run)
        if consumed == 0:
            return {**summary, "errors": errors, "look_alike_rows": look_alikes}
        await run.target.prepare(run, rows)
        found = await run.target.existing(conn, run, rows)
        batch = await asyncio.to_thread(run.target.classify, run, rows, found)
        run.seen_emails.update(batch.seen)
        summary["total"] += len(rows)
        summary["invalid"] += len(batch.failed)
        summary["valid"] += len(rows) - len(batch.failed)
        summary["new"] += len(batch.new)
        summary["existing"] += batch.existing
        summary["in_file"] += batch.in_file_duplicates
        summary["partial"] += len(batch.partial)
        if run.target is CONTACTS:
            alike = await rows_like_saved_contacts(batch.new)
            summary["look_alikes"] += len(alike)
            look_alikes += alike[: MAX_LISTED_ERRORS - len(look_alikes)]
        for row, problems in batch.reported():
            for problem in error_dicts(row, problems):
                if len(errors) < MAX_LISTED_ERRORS:
                    errors.append({"row": row.number, **problem})
        done += consumed
        if not await run.lease.renew([run.job.id]):
            raise Cancelled
        await ImportJob.filter(
            id=run.job.id, state=ImportState.PREVIEWING, claimed_by=run.lease.owner
        ).update(rows_done=done)
        run.stop_if_asked()


CONTACTS = Target(_reader, _prepare_contacts, _existing, _classify, _write, _contact_resume_key)
