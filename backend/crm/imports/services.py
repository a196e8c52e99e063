"""The rules of an import: create the job from an upload, plan it, preview or start it,
cancel it, and read its results.

A job lives in the database (`import_job`). Starting or previewing it queues it for the
runner (`crm.imports.runner`), which runs it in the background (`crm.imports.jobs`), a
batch of rows at a time (`crm.imports.batch`): a job survives the request that started
it and, after a crash, the process that was running it.
"""

from __future__ import annotations

import asyncio
import secrets
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tortoise.transactions import in_transaction

from crm.contacts.models import Channel, ContactStatus, ContactType
from crm.core.errors import ErrorCode, ErrorCollector, InputError
from crm.core.validation import text_field
from crm.groups.models import Group
from crm.imports import bounded, reading, uploads
from crm.imports.mapping import ImportField, ImportTarget, check_mapping, propose
from crm.imports.models import (
    DuplicateMode,
    ImportFailedRow,
    ImportJob,
    ImportState,
    InvalidValues,
    UnknownProducts,
)
from crm.imports.rows import RowError
from crm.jobs.wake import wake
from crm.settings import get_settings
from crm.staff.models import StaffUser

# What `crm.jobs.wake` calls the import runners.
KIND = "imports"
MAX_LISTED_ERRORS = 100
PLANNABLE = (ImportState.UPLOADED, ImportState.PREVIEWED)


def now() -> datetime:
    return datetime.now(UTC)


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


async def create_job(
    upload: Path,
    file_name: str,
    user: StaffUser | None,
    target: ImportTarget = ImportTarget.CONTACTS,
) -> ImportJob:
    """Read the header of an uploaded file, keep the file in the database and propose a
    mapping for `target`; `reading.FileProblem` when it cannot be read as a list. The file
    at `upload` is gone afterwards either way."""
    try:
        async with _inspection_turn():
            inspection = await asyncio.to_thread(bounded.inspect, upload)
        info = inspection.info
        proposal = propose(info.headers, inspection.samples, target)
        async with in_transaction():
            job = await ImportJob.create(
                created_by=user,
                target=target,
                file_name=(file_name or f"upload.{info.format}")[:255],
                stored_name=f"{secrets.token_hex(16)}.{info.format}",
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
            await uploads.store(job, upload)
    finally:
        await asyncio.to_thread(upload.unlink, missing_ok=True)
    return job


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
    # Channels the people in the file agreed to (consent is recorded for nothing else).
    consents: list[Channel] = field(default_factory=list)
    unknown_products: UnknownProducts = UnknownProducts.REPORT
    invalid_values: InvalidValues = InvalidValues.SKIP_ROW


def _check_consents(consents: list[Channel], errors: ErrorCollector) -> list[str]:
    if Channel.SMS in consents and not get_settings().sms_enabled:
        errors.add(
            ("options", "consents"),
            "SMS is not enabled: consent to SMS cannot be recorded",
            ErrorCode.NOT_ALLOWED,
        )
    return [channel.value for channel in Channel if channel in consents]


async def _check_plan(job: ImportJob, plan: ImportPlan) -> dict[str, Any]:
    errors = ErrorCollector()
    check_mapping(
        plan.columns,
        job.headers,
        errors,
        updating=plan.duplicate_mode == DuplicateMode.UPDATE,
        target=job.target,
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
    consents = _check_consents(plan.consents, errors)
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
        "consents": consents,
        "unknown_products": plan.unknown_products,
        "invalid_values": plan.invalid_values,
    }


async def _move(job_id: int, plan: ImportPlan, to: ImportState) -> ImportJob:
    job = await get_job(job_id)
    if job.state not in PLANNABLE:
        raise InputError.single(
            ("jobId",), f"This import is {job.state.value.lower()}", ErrorCode.NOT_ALLOWED
        )
    values = await _check_plan(job, plan)
    reset = {
        "rows_done": 0,
        "preview": None,
        "error_message": None,
        "claimed_by": None,
        "lease_until": None,
    }
    # Conditional on the state, so two clicks cannot start the same job twice.
    moved = await ImportJob.filter(id=job.id, state__in=PLANNABLE).update(
        state=to, **values, **reset
    )
    if not moved:
        raise InputError.single(("jobId",), "This import changed meanwhile", ErrorCode.CONFLICT)
    wake(KIND)
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
            state=ImportState.UPLOADED, rows_done=0, claimed_by=None, lease_until=None
        )
    elif job.state in (ImportState.QUEUED, ImportState.RUNNING):
        cancelled = await ImportJob.filter(
            id=job.id, state__in=(ImportState.QUEUED, ImportState.RUNNING)
        ).update(state=ImportState.CANCELLED, finished_at=now())
        if cancelled:
            await uploads.discard(job)
    elif job.state != ImportState.CANCELLED:
        raise InputError.single(
            ("jobId",), f"This import is {job.state.value.lower()}", ErrorCode.NOT_ALLOWED
        )
    return await get_job(job.id)


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
