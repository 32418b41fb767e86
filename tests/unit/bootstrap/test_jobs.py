"""The periodic-job mechanism: first-run policy, interval, stop, one holder of the lock."""

from __future__ import annotations

import asyncio

import pytest

from app.bootstrap.jobs import FirstRun, Job, PeriodicJob, Scheduler
from tests.support.fakes.job_lock import MemoryJobLock


class Counter:
    def __init__(self, fail: bool = False, work: bool = True) -> None:
        self.calls = 0
        self.fail, self.work = fail, work

    async def __call__(self) -> bool:
        self.calls += 1
        if self.fail:
            raise RuntimeError("upstream down")
        return self.work


async def wait_for(condition: object, seconds: float = 2.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.01)


async def test_at_start_runs_at_once_then_every_interval() -> None:
    counter = Counter()
    periodic = PeriodicJob(Job("job", counter, 0.05, FirstRun.AT_START), MemoryJobLock())
    periodic.start()
    await asyncio.sleep(0.01)
    assert counter.calls == 1
    await wait_for(lambda: counter.calls >= 3)
    await periodic.stop()
    assert counter.calls >= 3
    assert periodic.runs == counter.calls


async def test_after_interval_waits_for_the_first_interval() -> None:
    counter = Counter()
    periodic = PeriodicJob(Job("job", counter, 0.2, FirstRun.AFTER_INTERVAL), MemoryJobLock())
    periodic.start()
    await asyncio.sleep(0.05)
    assert counter.calls == 0
    await wait_for(lambda: counter.calls == 1)
    await periodic.stop()
    assert counter.calls == 1


async def test_interval_zero_runs_once_at_start_and_never_after_interval() -> None:
    once, never = Counter(), Counter()
    scheduler = Scheduler(MemoryJobLock())
    scheduler.add(Job("once", once, 0, FirstRun.AT_START))
    scheduler.add(Job("never", never, 0, FirstRun.AFTER_INTERVAL))
    scheduler.start()
    await asyncio.sleep(0.05)
    await scheduler.stop()
    assert (once.calls, never.calls) == (1, 0)


async def test_a_failing_run_keeps_the_schedule() -> None:
    counter = Counter(fail=True)
    periodic = PeriodicJob(Job("job", counter, 0.01, FirstRun.AT_START), MemoryJobLock())
    periodic.start()
    await wait_for(lambda: counter.calls >= 3)
    await periodic.stop()
    assert counter.calls >= 3
    assert periodic.runs == 0


async def test_runs_with_nothing_to_do_are_not_counted() -> None:
    counter = Counter(work=False)
    periodic = PeriodicJob(Job("job", counter, 0, FirstRun.AT_START), MemoryJobLock())
    assert await periodic.run_once() is False
    assert (counter.calls, periodic.runs) == (1, 0)


async def test_an_exclusive_job_skips_while_the_lock_is_held_elsewhere() -> None:
    lock = MemoryJobLock()
    exclusive, shared = Counter(), Counter()
    one = PeriodicJob(Job("build", exclusive, 60, FirstRun.AT_START), lock)
    every_replica = PeriodicJob(Job("load", shared, 60, FirstRun.AT_START, exclusive=False), lock)
    async with lock.try_hold(one.job.lock_name):
        lock.held.add(every_replica.job.lock_name)
        assert await one.run_once() is False
        assert await every_replica.run_once() is True
    assert (exclusive.calls, shared.calls) == (0, 1)
    assert await one.run_once() is True


async def test_stop_cancels_a_run_in_progress() -> None:
    started = asyncio.Event()

    async def slow() -> bool:
        started.set()
        await asyncio.sleep(60)
        return True

    periodic = PeriodicJob(Job("slow", slow, 60, FirstRun.AT_START), MemoryJobLock())
    periodic.start()
    await asyncio.wait_for(started.wait(), 1)
    await asyncio.wait_for(periodic.stop(), 1)


def test_a_job_name_is_scheduled_once() -> None:
    scheduler = Scheduler(MemoryJobLock())
    scheduler.add(Job("job", Counter(), 1, FirstRun.AT_START))
    with pytest.raises(ValueError, match="already scheduled"):
        scheduler.add(Job("job", Counter(), 1, FirstRun.AT_START))
