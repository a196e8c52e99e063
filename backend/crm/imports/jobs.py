"""Running a claimed import job: the import or its preview, to its end or until its runner
stops.

Active jobs (PREVIEWING, QUEUED, RUNNING) are a `crm.jobs.queue.Queue`: a runner claims
one that no live runner holds, under a lease that every batch renews. A runner that dies
keeps its job until the lease runs out; another then resumes an import after its last
committed batch (a preview starts again from the first row: its counts are not kept). A
runner that stops hands its job back after the batch in hand, for another to take at
once. Every write names the runner, so a runner that stalled past its lease, and whose
job was taken over meanwhile, writes nothing more.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from crm.core.text import fold
from crm.db import refresh_planner_statistics
from crm.imports import batch, bounded, reading, uploads
from crm.imports.models import ACTIVE_STATES, ImportJob, ImportState
from crm.imports.services import PLANNABLE, file_info, now
from crm.jobs.queue import Lease, Queue

log = logging.getLogger("crm.imports")

LEASE_SECONDS = 60
# An upload nobody started is forgotten (job and file) after this long.
UNSTARTED_KEPT = timedelta(days=7)
_ACTIVE = ", ".join(f"'{state.value}'" for state in ACTIVE_STATES)
IMPORT_JOBS = Queue(
    table="import_job",
    waiting=f"state IN ({_ACTIVE}) AND lease_until IS NULL",
    in_hand=f"state IN ({_ACTIVE})",
)


async def claim_next_job(lease: Lease) -> ImportJob | None:
    """The oldest active job no live runner holds, now held by `lease`."""
    claimed = await lease.claim(1)
    return await ImportJob.get(id=claimed[0]["id"]) if claimed else None


async def run_job(job: ImportJob, lease: Lease, stop: asyncio.Event | None = None) -> None:
    """Run a claimed job to its end, or until `stop` is set (then hand it back after the
    batch in hand); an unexpected error fails it, saying where."""
    try:
        async with uploads.local_copy(job):
            if job.state == ImportState.PREVIEWING:
                await run_preview(job, lease, stop)
            else:
                await run_import(job, lease, stop)
    except batch.Cancelled:
        return  # cancelled, or taken over: nothing more of this job is ours to write
    except batch.Stopping:
        await lease.release([job.id])
        log.info("import job %s handed back: this runner is stopping", job.id)
    except (reading.FileProblem, FileNotFoundError, OSError) as error:
        await _fail(job, lease, str(error))
    except Exception:
        log.exception("import job %s stopped", job.id)
        await _fail(job, lease, "An internal error stopped the import")


async def run_import(job: ImportJob, lease: Lease, stop: asyncio.Event | None) -> None:
    await _count_rows(job)
    if job.state == ImportState.QUEUED:
        started = await ImportJob.filter(
            id=job.id, state=ImportState.QUEUED, claimed_by=lease.owner
        ).update(state=ImportState.RUNNING, started_at=now())
        if not started:
            return
        job.state = ImportState.RUNNING
    async with batch.started_run(job, lease, stop, resume=True) as run:
        if job.new_group_name and job.group_id is None:  # type: ignore[attr-defined]
            await batch.group_ids(run, {job.new_group_name})
            group_id = run.groups.get(fold(job.new_group_name))
            await ImportJob.filter(id=job.id).update(group_id=group_id)
            job.group_id = group_id  # type: ignore[attr-defined]
        run.target_group = job.group_id  # type: ignore[attr-defined]
        await batch.import_rows(run)
    finished = await ImportJob.filter(
        id=job.id, state=ImportState.RUNNING, claimed_by=lease.owner
    ).update(state=ImportState.DONE, finished_at=now(), lease_until=None)
    if finished:
        await uploads.discard(job)
        await refresh_planner_statistics()


async def run_preview(job: ImportJob, lease: Lease, stop: asyncio.Event | None) -> None:
    """Check every row as the import would, writing nothing but the job's progress."""
    await _count_rows(job)
    async with batch.started_run(job, lease, stop, resume=False) as run:
        preview = await batch.preview_rows(run)
    await ImportJob.filter(id=job.id, state=ImportState.PREVIEWING, claimed_by=lease.owner).update(
        state=ImportState.PREVIEWED,
        preview=preview,
        total_rows=preview["total"],
        lease_until=None,
    )


async def _count_rows(job: ImportJob) -> None:
    """The total the progress bar shows, counted once per job."""
    if job.total_rows is None:
        job.total_rows = await asyncio.to_thread(
            bounded.count_rows, uploads.local_path(job), file_info(job)
        )
        await ImportJob.filter(id=job.id).update(total_rows=job.total_rows)


async def _fail(job: ImportJob, lease: Lease, reason: str) -> None:
    fresh = await ImportJob.get(id=job.id)
    where = f"after row {fresh.header_row + fresh.rows_done}: " if fresh.rows_done else ""
    failed = await ImportJob.filter(
        id=job.id, state__in=ACTIVE_STATES, claimed_by=lease.owner
    ).update(
        state=ImportState.FAILED,
        error_message=f"Stopped {where}{reason}. Rows before it were imported.",
        finished_at=now(),
        lease_until=None,
    )
    if failed:
        # A failed job cannot be started again: its upload has no further use.
        await uploads.discard(job)


async def forget_unstarted_jobs(kept: timedelta = UNSTARTED_KEPT) -> int:
    """Delete the jobs uploaded (or previewed) but not started for `kept`, with their files;
    how many were deleted."""
    forgotten = 0
    for job in await ImportJob.filter(state__in=PLANNABLE, created_at__lt=now() - kept):
        # Conditional on the state: a job started meanwhile keeps its file.
        if await ImportJob.filter(id=job.id, state__in=PLANNABLE).delete():
            await uploads.discard(job)
            forgotten += 1
    return forgotten
