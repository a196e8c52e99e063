"""The rules of an import: create the job from an upload, plan it, preview, run, cancel.

A job lives in the database. The runner (`crm.imports.runner`) claims active jobs with a
lease, so a job survives the request that started it and, after a crash, the process
that was running it: a new runner resumes after the last committed batch. Each batch of
rows is one transaction that also records the job's progress and the rows that failed,
so the counts and the failed-rows file always agree with what was written.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import shutil
import weakref
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from crm.companies.services import search_text_for as company_search_text
from crm.companies.services import sort_name_for as company_sort_name
from crm.contacts.bulk import CONTACT_COLUMNS, PHONE_COLUMNS, contact_row, phone_row
from crm.contacts.models import Contact, ContactStatus, ContactType, PhoneNumber
from crm.contacts.services import PhoneInput, primary_flags
from crm.core.bulk import ids_by_key, insert_sql, reserve_ids
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.text import fold
from crm.core.validation import ParsedPhone, text_field
from crm.db import dialect
from crm.groups.models import Group
from crm.groups.services import MEMBERSHIP_COLUMNS, GroupChanges, create_group
from crm.imports import bounded, reading
from crm.imports.mapping import ImportField, check_mapping, propose
from crm.imports.models import ACTIVE_STATES, DuplicateMode, ImportFailedRow, ImportJob, ImportState
from crm.imports.rows import (
    Defaults,
    FingerprintSet,
    ReadRow,
    RowError,
    RowReader,
    email_fingerprint,
)
from crm.settings import get_settings
from crm.staff.models import StaffUser

log = logging.getLogger("crm.imports")

BATCH_ROWS = 2000
LEASE = timedelta(seconds=60)
MAX_LISTED_ERRORS = 100
PLANNABLE = (ImportState.UPLOADED, ImportState.PREVIEWED)
# An upload nobody started is forgotten (job and file) after this long.
UNSTARTED_KEPT = timedelta(days=7)
FAILED_ROW_COLUMNS = ("job_id", "row_number", "cells", "errors")


def now() -> datetime:
    return datetime.now(UTC)


def upload_dir() -> Path:
    path = get_settings().data_dir / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_path(job: ImportJob) -> Path:
    return upload_dir() / job.stored_name


async def get_job(job_id: int, path: str = "jobId") -> ImportJob:
    job = await ImportJob.get_or_none(id=job_id)
    if job is None:
        raise InputError.single((path,), "No import has this id", ErrorCode.NOT_FOUND)
    return job


# --- upload ----------------------------------------------------------------------------------

# Each inspection is a child process allowed CRM_IMPORT_PARSE_MEMORY_MB: uploads arriving
# together wait for their turn rather than add up.
MAX_INSPECTIONS_AT_ONCE = 2
_inspections: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _inspection_turn() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    return _inspections.setdefault(loop, asyncio.Semaphore(MAX_INSPECTIONS_AT_ONCE))


async def create_job(upload: Path, file_name: str, user: StaffUser | None) -> ImportJob:
    """Read the header of an uploaded file (moved into the data directory) and propose a
    mapping; `reading.FileProblem` when it cannot be read as a contact list."""
    async with _inspection_turn():
        inspection = await asyncio.to_thread(bounded.inspect, upload)
    info = inspection.info
    stored_name = f"{secrets.token_hex(16)}.{info.format}"
    await asyncio.to_thread(shutil.move, upload, upload_dir() / stored_name)
    proposal = propose(info.headers)
    return await ImportJob.create(
        created_by=user,
        file_name=(file_name or f"upload.{info.format}")[:255],
        stored_name=stored_name,
        format=info.format,
        encoding=info.encoding,
        delimiter=info.delimiter,
        header_row=info.header_row,
        headers=info.headers,
        samples=inspection.samples,
        mapping=[
            {"index": index, "field": field.value if field else None}
            for index, field in enumerate(proposal)
        ],
    )


def file_info(job: ImportJob) -> reading.FileInfo:
    return reading.FileInfo(job.format, job.encoding, job.delimiter, job.header_row, job.headers)


# --- planning ----------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    columns: list[tuple[int, ImportField | None]]
    duplicate_mode: DuplicateMode = DuplicateMode.SKIP
    group_id: int | None = None
    new_group_name: str | None = None
    default_type: ContactType = ContactType.LEAD
    default_status: ContactStatus = ContactStatus.NEW


async def _check_plan(job: ImportJob, plan: ImportPlan) -> dict[str, Any]:
    errors = ErrorCollector()
    check_mapping(
        plan.columns,
        job.headers,
        errors,
        updating=plan.duplicate_mode == DuplicateMode.UPDATE,
    )
    new_group = text_field(
        plan.new_group_name,
        ("options", "newGroupName"),
        errors,
        label="New group name",
        max_length=100,
    )
    if plan.group_id is not None:
        if new_group:
            errors.add(
                ("options", "newGroupName"),
                "Choose an existing group or name a new one, not both",
                ErrorCode.INVALID,
            )
        elif not await Group.exists(id=plan.group_id):
            errors.add(("options", "groupId"), "No group has this id", ErrorCode.NOT_FOUND)
    errors.raise_if_any()
    return {
        "mapping": [
            {"index": index, "field": field.value if field else None}
            for index, field in sorted(plan.columns)
        ],
        "duplicate_mode": plan.duplicate_mode,
        "group_id": plan.group_id,
        "new_group_name": new_group,
        "default_type": plan.default_type.value,
        "default_status": plan.default_status.value,
    }


async def _move(job_id: int, plan: ImportPlan, to: ImportState) -> ImportJob:
    job = await get_job(job_id)
    if job.state not in PLANNABLE:
        raise InputError.single(
            ("jobId",), f"This import is {job.state.value.lower()}", ErrorCode.NOT_ALLOWED
        )
    values = await _check_plan(job, plan)
    reset = {"rows_done": 0, "preview": None, "error_message": None, "lease_until": None}
    # Conditional on the state, so two clicks cannot start the same job twice.
    moved = await ImportJob.filter(id=job.id, state__in=PLANNABLE).update(
        state=to, **values, **reset
    )
    if not moved:
        raise InputError.single(("jobId",), "This import changed meanwhile", ErrorCode.CONFLICT)
    from crm.imports.runner import wake_runner

    wake_runner()
    return await get_job(job.id)


async def preview_import(job_id: int, plan: ImportPlan) -> ImportJob:
    return await _move(job_id, plan, ImportState.PREVIEWING)


async def start_import(job_id: int, plan: ImportPlan) -> ImportJob:
    return await _move(job_id, plan, ImportState.QUEUED)


async def cancel_import(job_id: int) -> ImportJob:
    """Stop a preview (back to UPLOADED) or an import (CANCELLED; rows written stay)."""
    job = await get_job(job_id)
    if job.state == ImportState.PREVIEWING:
        await ImportJob.filter(id=job.id, state=ImportState.PREVIEWING).update(
            state=ImportState.UPLOADED, rows_done=0, lease_until=None
        )
    elif job.state in (ImportState.QUEUED, ImportState.RUNNING):
        cancelled = await ImportJob.filter(
            id=job.id, state__in=(ImportState.QUEUED, ImportState.RUNNING)
        ).update(state=ImportState.CANCELLED, finished_at=now())
        if cancelled:
            await asyncio.to_thread(stored_path(job).unlink, missing_ok=True)
    elif job.state != ImportState.CANCELLED:
        raise InputError.single(
            ("jobId",), f"This import is {job.state.value.lower()}", ErrorCode.NOT_ALLOWED
        )
    return await get_job(job.id)


# --- running -----------------------------------------------------------------------------------


async def claim_next_job(lease: timedelta = LEASE) -> ImportJob | None:
    """An active job no live runner holds, now leased to the caller (atomically)."""
    moment = now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=moment)
    for job in await ImportJob.filter(free, state__in=ACTIVE_STATES).order_by("id").limit(5):
        claimed = await ImportJob.filter(free, id=job.id, state=job.state).update(
            lease_until=moment + lease
        )
        if claimed:
            return await ImportJob.get(id=job.id)
    return None


class Cancelled(Exception):
    """The job was cancelled (or taken over) while a batch was in flight."""


@dataclass
class _Run:
    job: ImportJob
    reader: RowReader
    rows: Iterator[reading.Row]
    seen_emails: FingerprintSet = field(default_factory=FingerprintSet)
    companies: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    target_group: int | None = None


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


def _reader(job: ImportJob) -> RowReader:
    mapping = {
        item["index"]: ImportField(item["field"]) for item in job.mapping if item.get("field")
    }
    defaults = Defaults(ContactType(job.default_type), ContactStatus(job.default_status))
    return RowReader(job.headers, mapping, defaults, get_settings().default_country)


def _read_batch(run: _Run) -> tuple[int, list[ReadRow]]:
    """The next rows (blank ones counted, not returned), each checked as a new contact: the
    work of a row that needs no database. Runs in a worker thread."""
    consumed = 0
    rows = []
    for row in islice(run.rows, BATCH_ROWS):
        consumed += 1
        if not reading.is_blank(row):
            read = run.reader.read(row.number, row.cells)
            run.reader.check_new(read)
            rows.append(read)
    return consumed, rows


def _classify(
    run: _Run,
    rows: list[ReadRow],
    existing: dict[str, int],
    loaded: dict[int, tuple[Contact, list[PhoneNumber]]],
) -> _Batch:
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
        if row.errors:
            row.errors += row.as_new.errors  # the rest of the row's problems too
            batch.failed.append(row)
            continue
        contact_id = existing.get(row.email_key) if row.email_key else None
        if contact_id is not None:
            batch.existing += 1
            if fingerprint is not None:
                batch.seen.add(fingerprint)
            if mode == DuplicateMode.SKIP:
                batch.skipped += 1
                continue
            if mode == DuplicateMode.ERROR:
                row.errors.append(
                    reader.error(
                        ImportField.EMAIL,
                        "A contact with this email already exists",
                        ErrorCode.DUPLICATE,
                    )
                )
                batch.failed.append(row)
                continue
            contact, phones = loaded[contact_id]
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


async def _existing(
    conn: BaseDBAsyncClient, run: _Run, rows: list[ReadRow]
) -> tuple[dict[str, int], dict[int, tuple[Contact, list[PhoneNumber]]]]:
    keys = list({row.email_key for row in rows if row.email_key and not row.errors})
    existing = await ids_by_key(conn, dialect(), "contact", "email_key", keys)
    loaded: dict[int, tuple[Contact, list[PhoneNumber]]] = {}
    if existing and run.job.duplicate_mode == DuplicateMode.UPDATE:
        ids = list(existing.values())
        contacts = await Contact.filter(id__in=ids).using_db(conn)
        phones: dict[int, list[PhoneNumber]] = {pk: [] for pk in ids}
        for phone in (
            await PhoneNumber.filter(contact_id__in=ids).order_by("position").using_db(conn)
        ):
            phones[phone.contact_id].append(phone)  # type: ignore[attr-defined]
        loaded = {c.id: (c, phones[c.id]) for c in contacts}
    return existing, loaded


async def _company_ids(conn: BaseDBAsyncClient, run: _Run, names: set[str]) -> None:
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


async def _group_ids(run: _Run, names: set[str]) -> None:
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


async def _write(conn: BaseDBAsyncClient, run: _Run, batch: _Batch) -> None:
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
    if batch.failed:
        await conn.execute_many(
            insert_sql(sql_dialect, "import_failed_row", FAILED_ROW_COLUMNS),
            [
                (
                    run.job.id,
                    row.number,
                    _json(row.cells),
                    _json([error.as_dict() for error in row.errors]),
                )
                for row in batch.failed
            ],
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
    import json

    return json.dumps(value, ensure_ascii=False)


async def _hold(conn: BaseDBAsyncClient, job: ImportJob, state: ImportState) -> None:
    """Renew the lease; a job cancelled meanwhile rolls this batch back. On SQLite this
    first write also takes the write lock that `reserve_ids` relies on."""
    held = (
        await ImportJob.filter(id=job.id, state=state)
        .using_db(conn)
        .update(lease_until=now() + LEASE)
    )
    if not held:
        raise Cancelled


async def _import_batch(run: _Run, consumed: int, rows: list[ReadRow]) -> None:
    """Decide and write a batch of read rows in one transaction."""
    await _group_ids(run, {name for row in rows for name in row.groups})
    for attempt in range(3):
        try:
            async with in_transaction() as conn:
                await _hold(conn, run.job, ImportState.RUNNING)
                existing, loaded = await _existing(conn, run, _fresh(rows))
                batch = await asyncio.to_thread(_classify, run, rows, existing, loaded)
                await _write(conn, run, batch)
                await (
                    ImportJob.filter(id=run.job.id)
                    .using_db(conn)
                    .update(
                        rows_done=run.job.rows_done + consumed,
                        created_count=run.job.created_count + len(batch.new),
                        updated_count=run.job.updated_count + len(batch.updates),
                        skipped_count=run.job.skipped_count + batch.skipped,
                        failed_count=run.job.failed_count + len(batch.failed),
                    )
                )
            break
        except IntegrityError:
            # Someone added one of these emails meanwhile: look again.
            if attempt == 2:
                raise
    run.seen_emails.update(batch.seen)
    run.job.rows_done += consumed
    run.job.created_count += len(batch.new)
    run.job.updated_count += len(batch.updates)
    run.job.skipped_count += batch.skipped
    run.job.failed_count += len(batch.failed)


async def _import_rows(run: _Run) -> None:
    """Batch after batch until the file ends. (Reading the next batch in a thread while this
    one is written was tried: the GIL hand-offs made both sides slower.)"""
    while True:
        consumed, rows = await asyncio.to_thread(_read_batch, run)
        if consumed == 0:
            return
        await _import_batch(run, consumed, rows)


def _fresh(rows: list[ReadRow]) -> list[ReadRow]:
    for row in rows:
        row.forget_checks()
    return rows


def _skip_done(run: _Run, done: int) -> None:
    """Resume: skip the rows already committed, remembering their emails."""
    email_index = run.reader.column_of.get(ImportField.EMAIL)
    for row in islice(run.rows, done):
        if email_index is not None and email_index < len(row.cells):
            key = RowReader.email_key_of(row.cells[email_index])
            if key:
                run.seen_emails.add(email_fingerprint(key))


@contextlib.asynccontextmanager
async def _started_run(job: ImportJob) -> AsyncIterator[_Run]:
    """The job's rows from where it stopped; the child reading them stops with the run."""
    rows = await asyncio.to_thread(bounded.ChildRows, stored_path(job), file_info(job))
    try:
        run = _Run(job, _reader(job), rows)
        if job.rows_done:
            await asyncio.to_thread(_skip_done, run, job.rows_done)
        yield run
    finally:
        await asyncio.to_thread(rows.close)


async def _count_rows(job: ImportJob) -> None:
    """The total the progress bar shows, counted once per job."""
    if job.total_rows is None:
        job.total_rows = await asyncio.to_thread(
            bounded.count_rows, stored_path(job), file_info(job)
        )
        await ImportJob.filter(id=job.id).update(total_rows=job.total_rows)


async def run_import(job: ImportJob) -> None:
    await _count_rows(job)
    if job.state == ImportState.QUEUED:
        started = await ImportJob.filter(id=job.id, state=ImportState.QUEUED).update(
            state=ImportState.RUNNING, started_at=now()
        )
        if not started:
            return
        job.state = ImportState.RUNNING
    async with _started_run(job) as run:
        if job.new_group_name and job.group_id is None:  # type: ignore[attr-defined]
            await _group_ids(run, {job.new_group_name})
            group_id = run.groups.get(fold(job.new_group_name))
            await ImportJob.filter(id=job.id).update(group_id=group_id)
            job.group_id = group_id  # type: ignore[attr-defined]
        run.target_group = job.group_id  # type: ignore[attr-defined]
        try:
            await _import_rows(run)
        except Cancelled:
            return
    finished = await ImportJob.filter(id=job.id, state=ImportState.RUNNING).update(
        state=ImportState.DONE, finished_at=now(), lease_until=None
    )
    if finished:
        await asyncio.to_thread(stored_path(job).unlink, missing_ok=True)


async def run_preview(job: ImportJob) -> None:
    """Check every row as the import would, writing nothing but the job's progress."""
    await _count_rows(job)
    async with _started_run(job) as run:
        preview = await _preview_rows(run)
    if preview is None:
        return
    await ImportJob.filter(id=job.id, state=ImportState.PREVIEWING).update(
        state=ImportState.PREVIEWED,
        preview=preview,
        total_rows=preview["total"],
        lease_until=None,
    )


async def _preview_rows(run: _Run) -> dict[str, Any] | None:
    """The preview's counts and first problems; None when the preview was cancelled."""
    run.seen_emails = FingerprintSet()
    summary = {"valid": 0, "invalid": 0, "new": 0, "existing": 0, "in_file": 0, "total": 0}
    errors: list[dict[str, Any]] = []
    done = 0
    conn = connections.get("default")
    while True:
        consumed, rows = await asyncio.to_thread(_read_batch, run)
        if consumed == 0:
            return {**summary, "errors": errors}
        existing, loaded = await _existing(conn, run, rows)
        batch = await asyncio.to_thread(_classify, run, rows, existing, loaded)
        run.seen_emails.update(batch.seen)
        summary["total"] += len(rows)
        summary["invalid"] += len(batch.failed)
        summary["valid"] += len(rows) - len(batch.failed)
        summary["new"] += len(batch.new)
        summary["existing"] += batch.existing
        summary["in_file"] += batch.in_file_duplicates
        for row in batch.failed:
            for error in row.errors:
                if len(errors) < MAX_LISTED_ERRORS:
                    errors.append({"row": row.number, **error.as_dict()})
        done += consumed
        held = await ImportJob.filter(id=run.job.id, state=ImportState.PREVIEWING).update(
            rows_done=done, lease_until=now() + LEASE
        )
        if not held:
            return None


async def run_job(job: ImportJob) -> None:
    """Run a claimed job to its end; an unexpected error fails it, saying where."""
    try:
        if job.state == ImportState.PREVIEWING:
            await run_preview(job)
        else:
            await run_import(job)
    except (reading.FileProblem, FileNotFoundError, OSError) as error:
        await _fail(job, str(error))
    except Exception:
        log.exception("import job %s stopped", job.id)
        await _fail(job, "An internal error stopped the import")


async def _fail(job: ImportJob, reason: str) -> None:
    fresh = await ImportJob.get(id=job.id)
    where = f"after row {fresh.header_row + fresh.rows_done}: " if fresh.rows_done else ""
    failed = await ImportJob.filter(id=job.id, state__in=ACTIVE_STATES).update(
        state=ImportState.FAILED,
        error_message=f"Stopped {where}{reason}. Rows before it were imported.",
        finished_at=now(),
        lease_until=None,
    )
    if failed:
        # A failed job cannot be started again: its upload has no further use.
        await asyncio.to_thread(stored_path(job).unlink, missing_ok=True)


async def forget_unstarted_jobs(kept: timedelta = UNSTARTED_KEPT) -> int:
    """Delete the jobs uploaded (or previewed) but not started for `kept`, with their files;
    how many were deleted."""
    forgotten = 0
    for job in await ImportJob.filter(state__in=PLANNABLE, created_at__lt=now() - kept):
        # Conditional on the state: a job started meanwhile keeps its file.
        if await ImportJob.filter(id=job.id, state__in=PLANNABLE).delete():
            await asyncio.to_thread(stored_path(job).unlink, missing_ok=True)
            forgotten += 1
    return forgotten


# --- results ---------------------------------------------------------------------------------


async def failed_rows(job: ImportJob, limit: int | None = None) -> list[ImportFailedRow]:
    query = ImportFailedRow.filter(job_id=job.id).order_by("row_number")
    if limit is not None:
        query = query.limit(limit)
    return await query


def row_errors(rows: list[ImportFailedRow]) -> list[tuple[int, RowError]]:
    return [
        (
            row.row_number,
            RowError(
                e.get("column"),
                ImportField(e["field"]) if e.get("field") else None,
                e["message"],
                e["code"],
            ),
        )
        for row in rows
        for e in row.errors
    ]
