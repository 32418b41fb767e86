"""`BatchedWrites` against the real Redis: concurrent stores share round trips, each caller
returns once its own value is written, and a failed pipeline fails its callers only."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from app.adapters.redis.batched_writes import BatchedWrites

pytestmark = pytest.mark.redis


class Counting:
    """Counts round trips: single SETs and pipelines; the first `failures` pipelines fail."""

    def __init__(self, inner: Redis, failures: int = 0) -> None:
        self.inner, self.round_trips, self.failures = inner, 0, failures

    async def set(self, *args: Any, **kwargs: Any) -> Any:
        self.round_trips += 1
        return await self.inner.set(*args, **kwargs)

    def pipeline(self, transaction: bool) -> Any:
        outer, pipeline = self, self.inner.pipeline(transaction=transaction)

        class Counted:
            def set(self, *args: Any, **kwargs: Any) -> None:
                pipeline.set(*args, **kwargs)

            async def execute(self) -> Any:
                outer.round_trips += 1
                if outer.failures:
                    outer.failures -= 1
                    raise RedisConnectionError("down")
                return await pipeline.execute()

        return Counted()


async def test_concurrent_stores_share_round_trips(redis: Redis, redis_prefix: str) -> None:
    counting = Counting(redis)
    writes = BatchedWrites(counting)  # type: ignore[arg-type]
    keys = [f"{redis_prefix}entry{n}" for n in range(40)]
    await asyncio.gather(*(writes.set(key, key.encode(), px=60_000) for key in keys))
    assert await redis.mget(*keys) == [key.encode() for key in keys]
    assert counting.round_trips <= 2  # the first alone, then everyone who queued behind it
    assert 0 < await redis.pttl(keys[-1]) <= 60_000


async def test_a_failed_pipeline_fails_its_callers_and_the_next_store_succeeds(
    redis: Redis, redis_prefix: str
) -> None:
    writes = BatchedWrites(Counting(redis, failures=1))  # type: ignore[arg-type]
    keys = [f"{redis_prefix}entry{n}" for n in range(5)]
    outcomes = await asyncio.gather(
        *(writes.set(key, b"x", px=60_000) for key in keys), return_exceptions=True
    )
    assert outcomes[0] is None  # sent alone, before the pipeline
    assert all(isinstance(outcome, RedisConnectionError) for outcome in outcomes[1:])
    await writes.set(keys[1], b"y", px=60_000)
    assert await redis.get(keys[1]) == b"y"
