"""Rate limit counters on the `limits` library's *async* storage: Redis when configured, so that
every process shares one count, with a per-process fallback that keeps limits on while Redis is
unreachable.

Why not slowapi's storage as is: slowapi calls `limits`' synchronous storage from the event loop,
so every limited request would wait on a Redis round trip with the loop blocked, and an outage
would stall every request for the socket time-out. Here each check is awaited, bounded by a short
time-out, and a failing Redis is skipped for `retry_seconds` before it is tried again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from math import ceil
from typing import Protocol

from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import (
    MovingWindowRateLimiter,
    RateLimiter,
    SlidingWindowCounterRateLimiter,
)
from limits.errors import StorageError
from redis.asyncio import BlockingConnectionPool
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

STRATEGIES: dict[str, type[RateLimiter]] = {
    "moving-window": MovingWindowRateLimiter,
    "sliding-window-counter": SlidingWindowCounterRateLimiter,
    # One Lua script per check with batched claims (app.adapters.redis.rate_allowance); in
    # this process's memory it counts as the sliding window counter it implements.
    "sliding-window-batched": SlidingWindowCounterRateLimiter,
}
# What a broken or slow Redis can raise through `limits`.
STORAGE_FAILURES = (TimeoutError, StorageError, RedisError, OSError)


@dataclass(frozen=True, slots=True)
class RateLimitDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float  # seconds since the epoch when a request is allowed again

    def retry_after(self, now: float | None = None) -> int:
        return max(1, ceil(self.reset_at - (now if now is not None else time.time())))


class SharedCounter(Protocol):
    """A shared count that decides a hit in one call (`RedisAllowanceCounter`)."""

    def spend_claimed(
        self, item: RateLimitItem, identifiers: tuple[str, ...]
    ) -> RateLimitDecision | None:
        """The decision when this process holds a claim on the shared count, else None."""
        ...

    async def decide(
        self, item: RateLimitItem, identifiers: tuple[str, ...]
    ) -> RateLimitDecision: ...


class FailoverRateLimiter:
    """Counts hits in the shared storage; while it fails, in this process's memory instead."""

    def __init__(
        self,
        shared: Storage | SharedCounter | None,
        *,
        strategy: str = "moving-window",
        timeout: float = 0.25,
        retry_seconds: float = 5.0,
    ) -> None:
        limiter_class = STRATEGIES[strategy]
        self._shared: RateLimiter | SharedCounter | None = (
            limiter_class(shared) if isinstance(shared, Storage) else shared
        )
        self._claims = None if isinstance(shared, Storage) else shared
        self._local_storage = MemoryStorage()
        self._local = limiter_class(self._local_storage)
        self._timeout = timeout
        self._retry_seconds = retry_seconds
        self._shared_down_until: float | None = None

    @property
    def using_shared_storage(self) -> bool:
        return self._shared is not None and self._shared_down_until is None

    async def hit(self, item: RateLimitItem, *identifiers: str) -> RateLimitDecision:
        if self._claims is not None and self._shared_down_until is None:
            decision = self._claims.spend_claimed(item, identifiers)
            if decision is not None:
                return decision  # no round trip, so no time-out to arm
        if self._shared is not None and self._shared_is_worth_trying():
            try:
                async with asyncio.timeout(self._timeout):
                    decision = await self._decide(self._shared, item, identifiers)
            except STORAGE_FAILURES as error:
                self._mark_shared_down(error)
            else:
                self._mark_shared_up()
                return decision
        return await self._decide(self._local, item, identifiers)

    async def close(self) -> None:
        # Stop the memory storage's expiry task before clearing it: a reset under a running
        # expiry pass makes that task fail with a KeyError.
        timer = self._local_storage.timer
        if timer is not None and not timer.done():
            timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await timer
        await self._local_storage.reset()

    @staticmethod
    async def _decide(
        limiter: RateLimiter | SharedCounter, item: RateLimitItem, identifiers: tuple[str, ...]
    ) -> RateLimitDecision:
        if not isinstance(limiter, RateLimiter):
            return await limiter.decide(item, identifiers)
        allowed = await limiter.hit(item, *identifiers)
        stats = await limiter.get_window_stats(item, *identifiers)
        return RateLimitDecision(
            allowed=allowed,
            limit=item.amount,
            remaining=max(0, stats.remaining),
            reset_at=stats.reset_time,
        )

    def _shared_is_worth_trying(self) -> bool:
        return self._shared_down_until is None or time.monotonic() >= self._shared_down_until

    def _mark_shared_down(self, error: BaseException) -> None:
        if self._shared_down_until is None:
            log.warning(
                "rate limit storage unavailable (%s); counting in this process for now",
                type(error).__name__,
            )
        self._shared_down_until = time.monotonic() + self._retry_seconds

    def _mark_shared_up(self) -> None:
        if self._shared_down_until is not None:
            log.warning("rate limit storage is back; counting in the shared storage again")
            self._shared_down_until = None


@dataclass(slots=True)
class RedisRateLimitStorage:
    """The shared storage and the pool it owns (closed with the app)."""

    storage: RedisStorage
    pool: BlockingConnectionPool
    key_prefix: str

    @classmethod
    def connect(
        cls, url: str, *, key_prefix: str, timeout: float, max_connections: int = 50
    ) -> RedisRateLimitStorage:
        # Its own bounded pool with short time-outs: a slow cache never starves rate limiting.
        pool = BlockingConnectionPool.from_url(
            url,
            max_connections=max_connections,
            timeout=timeout,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
        )
        storage = RedisStorage(
            f"async+{url}",
            implementation="redispy",
            key_prefix=key_prefix,
            wrap_exceptions=True,
            connection_pool=pool,  # type: ignore[arg-type]  # documented option, narrow stub
        )
        return cls(storage=storage, pool=pool, key_prefix=key_prefix)

    async def close(self) -> None:
        await self.pool.disconnect()
