"""Request coalescing: concurrent callers asking for the same key share one computation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")


class SingleFlight(Generic[T]):
    def __init__(self) -> None:
        self._in_flight: dict[str, asyncio.Future[T]] = {}

    async def run(self, key: str, produce: Callable[[], Awaitable[T]]) -> T:
        existing = self._in_flight.get(key)
        if existing is not None:
            return await asyncio.shield(existing)
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            value = await produce()
        except BaseException as error:
            future.set_exception(error)
            # Waiters see the exception; mark it retrieved so an unobserved one isn't logged.
            future.exception()
            raise
        else:
            future.set_result(value)
            return value
        finally:
            self._in_flight.pop(key, None)


class _BytesCache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None: ...


async def cache_aside(
    cache: _BytesCache,
    single_flight: SingleFlight[bytes],
    key: str,
    ttl_seconds: float,
    produce: Callable[[], Awaitable[bytes]],
) -> bytes:
    """The cached bytes, else one shared `produce()` whose result is stored for `ttl_seconds`."""
    cached = await cache.get(key)
    if cached is not None:
        return cached

    async def produce_and_store() -> bytes:
        value = await produce()
        await cache.set(key, value, ttl_seconds)
        return value

    return await single_flight.run(key, produce_and_store)
