"""`CheckReadiness`: whether this process can serve, for the readiness probe."""

from __future__ import annotations

import asyncio

from app.domain.shared.ports import Cache, Database

PROBE_TIMEOUT_SECONDS = 3


class CheckReadiness:
    """Ready when the database and the cache both answer within three seconds; each check is
    `ok` or `unavailable`."""

    def __init__(self, database: Database, cache: Cache) -> None:
        self._database, self._cache = database, cache

    async def __call__(self) -> dict[str, str]:
        database_ok, cache_ok = await asyncio.gather(
            asyncio.wait_for(self._database.ping(), timeout=PROBE_TIMEOUT_SECONDS),
            asyncio.wait_for(self._cache.ping(), timeout=PROBE_TIMEOUT_SECONDS),
            return_exceptions=True,
        )
        return {
            "database": "ok" if database_ok is True else "unavailable",
            "cache": "ok" if cache_ok is True else "unavailable",
        }
