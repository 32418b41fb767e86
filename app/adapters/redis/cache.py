"""The cache port over Redis. Redis being down is a miss, never an error: reads fall through to
PostgreSQL and caching resumes by itself when Redis answers again."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.adapters.coalescing import SingleFlight, cache_aside
from app.adapters.redis.batched_reads import BatchedReads
from app.adapters.redis.pending_deletes import PendingDeletes
from app.adapters.telemetry import CacheTelemetry, SilentCacheTelemetry

log = logging.getLogger(__name__)

# After a failure, skip Redis for a moment instead of paying a time-out on every request.
RETRY_AFTER_FAILURE_SECONDS = 1.0


class RedisCache:
    def __init__(
        self,
        redis: Redis,
        prefix: str = "nexus:cache:",
        telemetry: CacheTelemetry | None = None,
        pending: PendingDeletes | None = None,
    ) -> None:
        self._redis = redis
        # Deletes Redis did not take, retried; their keys read as misses meanwhile.
        self.pending = pending if pending is not None else PendingDeletes(redis)
        self._reads = BatchedReads(redis)  # concurrent gets share one round trip
        self._prefix = prefix
        self._single_flight: SingleFlight[bytes] = SingleFlight()
        self._down_until = 0.0
        self._telemetry = telemetry or SilentCacheTelemetry()

    def _key(self, key: str) -> str:
        return self._prefix + key

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, operation: str, error: Exception) -> None:
        self._telemetry.error(operation)
        if self.available:
            log.warning("redis cache %s failed, bypassing cache: %s", operation, error)
        self._down_until = time.monotonic() + RETRY_AFTER_FAILURE_SECONDS

    async def get(self, key: str) -> bytes | None:
        if not self.available or self.pending.waiting(self._key(key)):
            self._telemetry.miss()
            return None
        try:
            (value,) = await self._reads.mget(self._key(key))
        except (RedisError, OSError) as error:
            self._failed("get", error)
            self._telemetry.miss()
            return None
        if value is None:
            self._telemetry.miss()
            return None
        self._telemetry.hit()
        return value if isinstance(value, bytes) or value is None else str(value).encode()

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        if not self.available:
            return
        try:
            await self._redis.set(self._key(key), value, px=max(1, int(ttl_seconds * 1000)))
        except (RedisError, OSError) as error:
            self._failed("set", error)

    async def delete(self, *keys: str) -> None:
        if not keys:
            return
        full = [self._key(key) for key in keys]
        if not self.available:
            self.pending.add(*full)  # taken when Redis answers again, not forgotten
        elif not await self.pending.delete(*full):
            self._telemetry.error("delete")
            self._down_until = time.monotonic() + RETRY_AFTER_FAILURE_SECONDS

    async def get_or_set(
        self, key: str, ttl_seconds: float, produce: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        return await cache_aside(self, self._single_flight, key, ttl_seconds, produce)

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False
