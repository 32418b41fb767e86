"""An in-process cache with a time to live and a bounded size (least recently used goes first)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from app.adapters.coalescing import SingleFlight, cache_aside
from app.adapters.telemetry import CacheTelemetry, SilentCacheTelemetry


class InMemoryCache:
    def __init__(
        self,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
        telemetry: CacheTelemetry | None = None,
    ):
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._max_entries = max_entries
        self._clock = clock
        self._single_flight: SingleFlight[bytes] = SingleFlight()
        self._telemetry = telemetry or SilentCacheTelemetry()

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            self._telemetry.miss()
            return None
        expires_at, value = entry
        if expires_at <= self._clock():
            self._entries.pop(key, None)
            self._telemetry.miss()
            return None
        self._entries.move_to_end(key)
        self._telemetry.hit()
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        self._entries[key] = (self._clock() + ttl_seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    async def delete(self, *keys: str) -> None:
        for key in keys:
            self._entries.pop(key, None)

    async def get_or_set(
        self, key: str, ttl_seconds: float, produce: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        return await cache_aside(self, self._single_flight, key, ttl_seconds, produce)

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        self._entries.clear()
