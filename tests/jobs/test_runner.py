"""The runner loop: wake-ups, graceful stop, a round that fails. No database needed."""

from __future__ import annotations

import asyncio
import logging

import pytest

from crm.jobs.runner import Runner, running
from crm.jobs.wake import wake
from tests.logs import records_of

log = logging.getLogger("tests.jobs")


class Work:
    """Work that counts its rounds and, when told, holds a job until let go."""

    def __init__(self, jobs: int = 0) -> None:
        self.jobs = jobs
        self.rounds = 0
        self.round_started = asyncio.Event()
        self.let_go: asyncio.Event | None = None
        self.finished: list[int] = []
        self.failures = 0

    async def run_once(self, stop: asyncio.Event) -> int:
        self.rounds += 1
        self.round_started.set()
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the database went away")
        if not self.jobs:
            return 0
        if self.let_go is not None:
            await self.let_go.wait()
        self.jobs -= 1
        self.finished.append(self.rounds)
        return 1

    async def rounds_done(self, count: int, within: float = 2) -> None:
        async with asyncio.timeout(within):
            while self.rounds < count:
                self.round_started.clear()
                await self.round_started.wait()


def runner(work: Work, *, poll_seconds: float = 30, grace_seconds: float = 5) -> Runner:
    return Runner(
        kind="test-work",
        name="test runner",
        run_once=work.run_once,
        poll_seconds=poll_seconds,
        grace_seconds=grace_seconds,
        log=log,
    )


async def test_a_wake_up_makes_an_idle_runner_look_at_once() -> None:
    # given a runner that found nothing and polls every 30 s
    work = Work()
    async with running([runner(work, poll_seconds=30)]):
        await work.rounds_done(1)
        # when work is queued and the runner woken
        work.jobs = 1
        wake("test-work")
        # then it looks within moments, not after its poll
        await work.rounds_done(2)
    assert work.finished == [2]


async def test_a_wake_up_for_another_kind_does_not_wake_it() -> None:
    work = Work()
    async with running([runner(work, poll_seconds=30)]):
        await work.rounds_done(1)
        wake("other-work")
        with pytest.raises(TimeoutError):
            await work.rounds_done(2, within=0.2)


async def test_it_runs_again_at_once_while_there_is_work() -> None:
    work = Work(jobs=3)
    async with running([runner(work, poll_seconds=30)]):
        await work.rounds_done(4)
    assert work.finished == [1, 2, 3]


async def test_stop_lets_the_job_in_hand_finish() -> None:
    # given a runner in the middle of a job
    work = Work(jobs=2)
    work.let_go = asyncio.Event()
    stop = asyncio.Event()
    task = asyncio.create_task(runner(work).run(stop))
    await work.rounds_done(1)
    # when it is told to stop
    stop.set()
    await asyncio.sleep(0.05)
    # then it waits for the job in hand, finishes it, and takes no other
    assert not task.done()
    work.let_go.set()
    await asyncio.wait_for(task, timeout=2)
    assert work.finished == [1]
    assert work.jobs == 1


async def test_a_runner_that_does_not_stop_within_its_grace_is_cancelled() -> None:
    # given a runner whose job never ends
    work = Work(jobs=1)
    work.let_go = asyncio.Event()
    with records_of(log.name) as records:
        async with running([runner(work, grace_seconds=0.1)]):
            await work.rounds_done(1)
    # then leaving the block cancelled it after its grace, and said so
    assert work.finished == []
    assert "did not stop within 0.1 s" in "\n".join(r.getMessage() for r in records)


async def test_a_failing_round_is_logged_and_the_runner_carries_on() -> None:
    # given a round that fails (the database is away), then work to do
    work = Work(jobs=1)
    work.failures = 1
    with records_of(log.name) as records:
        async with running([runner(work, poll_seconds=0.01)]):
            await work.rounds_done(3)
    # then the failure was logged with its traceback, and the work done at the next round
    [failed] = [r for r in records if r.levelno == logging.ERROR]
    assert failed.getMessage() == "test runner: a round failed" and failed.exc_info
    assert work.finished == [2]
