"""The rate limiter counts in the shared storage, falls back to this process while it fails or
hangs, and returns to it once it answers again."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from limits import parse
from limits.aio.storage import MemoryStorage

from app.adapters.rate_limiter import FailoverRateLimiter


class FlakyStorage(MemoryStorage):
    """A shared storage stand-in that can be broken (connection refused) or hung."""

    mode = "up"

    async def _fail_or_wait(self) -> None:
        if self.mode == "down":
            raise ConnectionRefusedError("storage is down")
        if self.mode == "hung":
            await asyncio.sleep(10)

    async def acquire_entry(self, *args: Any, **kwargs: Any) -> bool:
        await self._fail_or_wait()
        return await super().acquire_entry(*args, **kwargs)

    async def get_moving_window(self, *args: Any, **kwargs: Any) -> tuple[float, int]:
        await self._fail_or_wait()
        return await super().get_moving_window(*args, **kwargs)


@pytest.fixture
async def shared() -> Any:
    storage = FlakyStorage()
    yield storage
    await storage.reset()


async def test_falls_back_while_down_and_recovers(
    shared: FlakyStorage, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    limiter = FailoverRateLimiter(shared, timeout=0.05, retry_seconds=0.05)
    item = parse("5/minute")
    try:
        assert (await limiter.hit(item, "k")).remaining == 4
        assert limiter.using_shared_storage

        shared.mode = "down"
        local = await limiter.hit(item, "k")
        assert local.allowed and local.remaining == 4  # counted in this process from zero
        assert not limiter.using_shared_storage

        shared.mode = "up"
        await asyncio.sleep(0.06)  # after `retry_seconds` the shared storage is tried again
        back = await limiter.hit(item, "k")
        assert back.remaining == 3 and limiter.using_shared_storage
        messages = [record.getMessage() for record in caplog.records]
        assert sum("unavailable" in m for m in messages) == 1
        assert sum("is back" in m for m in messages) == 1
    finally:
        await limiter.close()


async def test_a_hung_storage_costs_at_most_the_timeout_once(shared: FlakyStorage) -> None:
    limiter = FailoverRateLimiter(shared, timeout=0.05, retry_seconds=60)
    item = parse("2/minute")
    shared.mode = "hung"
    loop = asyncio.get_running_loop()
    try:
        started = loop.time()
        decisions = [await limiter.hit(item, "k") for _ in range(3)]
        elapsed = loop.time() - started
    finally:
        await limiter.close()
    assert [d.allowed for d in decisions] == [True, True, False]
    assert elapsed < 0.5  # one time-out, then the hung storage is skipped
    assert decisions[2].retry_after() >= 1
