"""`PendingDeletes` against the real Redis: concurrent deletes share round trips, yet each caller
returns only once a `DEL` sent after its call began took its keys; a failed batch leaves every
key of it waiting for the retry, and none is forgotten."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from app.adapters.redis.client import create_redis
from app.adapters.redis.pending_deletes import PendingDeletes

pytestmark = pytest.mark.redis


class CountingRedis:
    def __init__(self, inner: Redis, failures: int = 0) -> None:
        self.inner, self.calls, self.failures = inner, 0, failures

    async def delete(self, *keys: Any) -> int:
        self.calls += 1
        await asyncio.sleep(0)  # in flight, as a real round trip
        if self.failures:
            self.failures -= 1
            raise RedisConnectionError("down")
        return int(await self.inner.delete(*keys))


async def test_concurrent_deletes_share_round_trips(redis: Redis, redis_prefix: str) -> None:
    keys = [f"{redis_prefix}k{n}" for n in range(50)]
    for key in keys:
        await redis.set(key, b"1")
    counting = CountingRedis(redis)
    deletes = PendingDeletes(counting)  # type: ignore[arg-type]
    assert all(await asyncio.gather(*(deletes.delete(key) for key in keys)))
    assert await redis.exists(*keys) == 0
    assert counting.calls <= 2  # the first alone, then everyone who queued behind it
    assert len(deletes) == 0


async def test_a_delete_returns_only_after_its_own_keys_are_gone(
    redis: Redis, redis_prefix: str
) -> None:
    key = f"{redis_prefix}version"
    deletes = PendingDeletes(redis)
    for _ in range(100):
        background = asyncio.ensure_future(deletes.delete(f"{redis_prefix}other"))
        await asyncio.sleep(0)  # its DEL is in flight
        await redis.set(key, b"token")  # written after that DEL was sent
        assert await deletes.delete(key)
        assert await redis.get(key) is None
        await background


async def test_a_failed_batch_keeps_every_key_until_redis_takes_it(
    redis: Redis, redis_prefix: str
) -> None:
    keys = [f"{redis_prefix}k{n}" for n in range(10)]
    for key in keys:
        await redis.set(key, b"1")
    deletes = PendingDeletes(CountingRedis(redis, failures=2))  # type: ignore[arg-type]
    taken = await asyncio.gather(*(deletes.delete(key) for key in keys))
    assert taken == [False] * 10  # the first alone, then the batch: both failed
    assert deletes.waiting(*keys)
    for _ in range(100):
        if not len(deletes):
            break
        await asyncio.sleep(0.05)
    assert len(deletes) == 0
    assert await redis.exists(*keys) == 0
    await deletes.close()


def test_a_batch_left_on_a_finished_loop_does_not_stall_the_next_one(redis_url: str) -> None:
    deletes: list[PendingDeletes] = []

    async def first() -> None:
        client = create_redis(redis_url)
        deletes.append(PendingDeletes(client))
        deletes[0]._joined._in_flight = asyncio.get_running_loop()  # as if cut off mid-way
        await client.aclose()

    async def second() -> bool:
        client = create_redis(redis_url)
        deletes[0]._redis = client
        try:
            return await asyncio.wait_for(deletes[0].delete("nexus-test:nothing"), 5)
        finally:
            await client.aclose()

    asyncio.run(first())
    assert asyncio.run(second())
