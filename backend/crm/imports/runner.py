"""Runs import jobs in the background: in the app's process, or in `crm worker`.

Jobs are claimed with a lease (see `services.claim_next_job`), so several processes may
run runners; a job whose runner died is picked up again once its lease has run out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from crm.imports import services

log = logging.getLogger("crm.imports")

POLL_SECONDS = 2.0
SWEEP_SECONDS = 3600.0
_wakers: set[asyncio.Event] = set()


def wake_runner() -> None:
    """Ask this process's runner to look for jobs now (after the job's state committed)."""
    for event in _wakers:
        event.set()


async def run_pending_jobs() -> int:
    """Run every job waiting now, one after another; how many were run."""
    count = 0
    while (job := await services.claim_next_job()) is not None:
        log.info("import job %s: %s", job.id, job.state.value.lower())
        await services.run_job(job)
        count += 1
    return count


async def run_forever(stop: asyncio.Event, poll_seconds: float = POLL_SECONDS) -> None:
    wake = asyncio.Event()
    _wakers.add(wake)
    loop = asyncio.get_running_loop()
    next_sweep = loop.time()
    try:
        while not stop.is_set():
            wake.clear()
            try:
                await run_pending_jobs()
                if loop.time() >= next_sweep:
                    next_sweep = loop.time() + SWEEP_SECONDS
                    if forgotten := await services.forget_unstarted_jobs():
                        log.info("forgot %s import uploads never started", forgotten)
            except Exception:
                log.exception("import runner round failed")
            with contextlib.suppress(TimeoutError):
                stopped = asyncio.ensure_future(stop.wait())
                woken = asyncio.ensure_future(wake.wait())
                try:
                    await asyncio.wait(
                        {stopped, woken}, timeout=poll_seconds, return_when="FIRST_COMPLETED"
                    )
                finally:
                    stopped.cancel()
                    woken.cancel()
    finally:
        _wakers.discard(wake)
