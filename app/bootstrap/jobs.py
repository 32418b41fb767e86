"""The one mechanism for periodic work inside the service (the TMDb sync, the model refresh):
each job has a name, an interval and an explicit first-run policy; every replica runs the
schedule, and a PostgreSQL advisory lock named after the job lets one replica at a time run it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum

from app.domain.shared.ports import JobLock

log = logging.getLogger(__name__)


class FirstRun(Enum):
    AT_START = "at start"  # run as soon as the service starts, then every interval
    AFTER_INTERVAL = "after the first interval"  # wait one interval before the first run


@dataclass(frozen=True, slots=True)
class Job:
    """`run` does the work and says whether it did any (False: nothing to do this time).
    `interval` 0 with `FirstRun.AT_START` runs once at start and never again. An `exclusive`
    job runs on one replica at a time; others run on every replica (a per-replica cache)."""

    name: str
    run: Callable[[], Awaitable[bool]]
    interval: float
    first_run: FirstRun
    exclusive: bool = True

    @property
    def lock_name(self) -> str:
        return f"nexus:{self.name}"


class PeriodicJob:
    """One job on its schedule. A failing run is logged and the schedule goes on."""

    def __init__(self, job: Job, lock: JobLock) -> None:
        self.job = job
        self._lock = lock
        self._task: asyncio.Task[None] | None = None
        self.runs = 0  # runs of this process that did work (for operators and tests)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=f"job:{self.job.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def run_once(self) -> bool:
        """Run now unless another replica holds the job's lock; True when this one did work."""
        if not self.job.exclusive:
            return await self._run()
        async with self._lock.try_hold(self.job.lock_name) as held:
            if not held:
                log.info("job %s skipped: another replica is running it", self.job.name)
                return False
            return await self._run()

    async def _run(self) -> bool:
        did_work = await self.job.run()
        if did_work:
            self.runs += 1
        return did_work

    async def _loop(self) -> None:
        interval = self.job.interval
        if self.job.first_run is FirstRun.AFTER_INTERVAL:
            if interval <= 0:
                return
            await asyncio.sleep(interval)
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # the next run may well succeed: log, never kill the schedule
                log.exception("job %s failed", self.job.name)
            if interval <= 0:
                return
            await asyncio.sleep(interval)


class Scheduler:
    """Every periodic job of the process, started together and stopped together."""

    def __init__(self, lock: JobLock) -> None:
        self._lock = lock
        self.jobs: dict[str, PeriodicJob] = {}

    def add(self, job: Job) -> PeriodicJob:
        if job.name in self.jobs:
            raise ValueError(f"job {job.name!r} is already scheduled")
        periodic = PeriodicJob(job, self._lock)
        self.jobs[job.name] = periodic
        return periodic

    def start(self) -> None:
        for periodic in self.jobs.values():
            periodic.start()

    async def stop(self) -> None:
        for periodic in reversed(list(self.jobs.values())):
            await periodic.stop()
