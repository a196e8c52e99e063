"""The loop that runs one kind of background work, and the graceful stop of several.

A runner calls its work's `run_once` (claim, handle, record the outcome; how many things
it handled) again at once while there is work, and otherwise waits for its poll interval,
a wake-up (`crm.jobs.wake`) or the stop, whichever comes first. A round that raises is
logged and counts as idle, so a database that is briefly away costs one poll, not the
runner. `run_once` is handed the stop event: work in hand is finished (a message, a
batch of rows) and the rest handed back, so a restart loses no time to leases.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from crm.jobs.wake import wake_ups


@dataclass
class Runner:
    kind: str  # what `wake(kind)` wakes
    name: str  # who it is in the log, e.g. "mail worker host:123:ab12cd34"
    run_once: Callable[[asyncio.Event], Awaitable[int]]
    poll_seconds: float
    # How long a stop may take (finishing the work in hand) before the runner is cancelled;
    # what it held then waits for its lease to run out.
    grace_seconds: float
    log: logging.Logger
    about: str = ""  # what the start line says besides the name

    async def run(self, stop: asyncio.Event) -> None:
        """Rounds until `stop` is set."""
        self.log.info("%s started%s", self.name, f": {self.about}" if self.about else "")
        try:
            with wake_ups(self.kind) as woken:
                while not stop.is_set():
                    woken.clear()
                    try:
                        handled = await self.run_once(stop)
                    except Exception:
                        self.log.exception("%s: a round failed", self.name)
                        handled = 0
                    if handled == 0 and not stop.is_set():
                        await _first_of(stop, woken, seconds=self.poll_seconds)
        finally:
            self.log.info("%s stopped", self.name)


@contextlib.asynccontextmanager
async def running(runners: Sequence[Runner]) -> AsyncIterator[asyncio.Event]:
    """Run `runners` while the block runs (or until the event it gives is set), then stop
    them together, each finishing its work in hand for at most its `grace_seconds`."""
    stop = asyncio.Event()
    tasks = [asyncio.create_task(runner.run(stop)) for runner in runners]
    try:
        yield stop
    finally:
        stop.set()
        await asyncio.gather(
            *(_stopped(runner, task) for runner, task in zip(runners, tasks, strict=True))
        )


async def _stopped(runner: Runner, task: asyncio.Task[None]) -> None:
    try:
        await asyncio.wait_for(task, timeout=runner.grace_seconds)
    except TimeoutError:
        runner.log.warning(
            "%s did not stop within %s s; what it held is taken again once its lease runs out",
            runner.name,
            runner.grace_seconds,
        )


async def _first_of(*events: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
