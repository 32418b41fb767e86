"""The optional periodic sync inside the service (`TMDB_SYNC_INTERVAL` seconds, 0 = off).
Every replica runs the loop; an advisory lock lets only one of them sync at a time."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from app.domain.shared.ports import JobLock
from app.domain.tmdb.sync import SyncCatalogue, SyncRequest

log = logging.getLogger(__name__)

LOCK_NAME = "nexus:tmdb-sync"


class PeriodicCatalogueSync:
    def __init__(
        self, sync: SyncCatalogue, lock: JobLock, request: SyncRequest, interval: float
    ) -> None:
        self._sync = sync
        self._lock = lock
        self._request = request
        self._interval = interval
        self._task: asyncio.Task[None] | None = None
        self.runs = 0  # syncs this process performed (for operators and tests)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="tmdb-periodic-sync")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def run_once(self) -> bool:
        """One sync if no other replica holds the lock; True when this process synced."""
        async with self._lock.try_hold(LOCK_NAME) as acquired:
            if not acquired:
                log.info("TMDb periodic sync skipped: another replica is syncing")
                return False
            report = await self._sync(self._request)
            self.runs += 1
            log.info(
                "TMDb periodic sync: %d/%d pages, %d created, %d updated, %d failed",
                report.pages_synced,
                report.pages_requested,
                report.created,
                report.updated,
                len(report.failed_pages),
            )
            return True

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # the next run may well succeed: log, never kill the loop
                log.exception("TMDb periodic sync failed")
            await asyncio.sleep(self._interval)
