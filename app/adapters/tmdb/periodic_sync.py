"""The body of the optional periodic TMDb sync (`TMDB_SYNC_INTERVAL` seconds, 0 = off); the
schedule and the one-replica-at-a-time lock are the service's job mechanism's."""

from __future__ import annotations

import logging

from app.domain.tmdb.sync import SyncCatalogue, SyncRequest

log = logging.getLogger(__name__)

JOB_NAME = "tmdb-sync"


class PeriodicCatalogueSync:
    def __init__(self, sync: SyncCatalogue, request: SyncRequest) -> None:
        self._sync = sync
        self._request = request

    async def __call__(self) -> bool:
        """One sync of the configured pages; always work done (a failed page is reported)."""
        report = await self._sync(self._request)
        log.info(
            "TMDb periodic sync: %d/%d pages, %d created, %d updated, %d failed",
            report.pages_synced,
            report.pages_requested,
            report.created,
            report.updated,
            len(report.failed_pages),
        )
        return True
