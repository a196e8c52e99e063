"""The import runner: runs import jobs in the background, in `crm serve` and `crm worker`.

One job at a time (`crm.imports.jobs`); several processes may run runners, each holding
its job under a lease. Once an hour it also forgets the uploads nobody started.
"""

from __future__ import annotations

import asyncio
import logging
import time

from crm.imports import jobs
from crm.imports.services import KIND
from crm.jobs.queue import new_worker_id
from crm.jobs.runner import Runner

log = logging.getLogger("crm.imports")

POLL_SECONDS = 2.0
SWEEP_SECONDS = 3600.0
# A stop waits for the batch in hand (well under a second). Counting or skipping the rows
# of a large file before the first batch takes longer: that is cut short, and the job
# waits for its lease to run out.
GRACE_SECONDS = 10.0


class ImportRunner:
    def __init__(self, owner: str | None = None) -> None:
        self.lease = jobs.IMPORT_JOBS.lease(owner or new_worker_id(), jobs.LEASE_SECONDS)
        self._next_sweep = time.monotonic()

    def runner(self) -> Runner:
        return Runner(
            kind=KIND,
            name=f"import runner {self.lease.owner}",
            run_once=self._round,
            poll_seconds=POLL_SECONDS,
            grace_seconds=GRACE_SECONDS,
            log=log,
        )

    async def run_once(self, stop: asyncio.Event | None = None) -> int:
        """Claim the next job and run it; how many were run (0 or 1)."""
        job = await jobs.claim_next_job(self.lease)
        if job is None:
            return 0
        log.info("import job %s: %s", job.id, job.state.value.lower())
        await jobs.run_job(job, self.lease, stop)
        return 1

    async def _round(self, stop: asyncio.Event) -> int:
        if time.monotonic() >= self._next_sweep:
            self._next_sweep = time.monotonic() + SWEEP_SECONDS
            if forgotten := await jobs.forget_unstarted_jobs():
                log.info("forgot %s import uploads never started", forgotten)
        return await self.run_once(stop)


async def run_pending_jobs() -> int:
    """Run every job waiting now, one after another; how many were run."""
    runner = ImportRunner()
    count = 0
    while await runner.run_once():
        count += 1
    return count
