"""`BatchedReads` against the real Redis: concurrent reads share round trips, yet a read never
answers with a value older than its own call (a delete acknowledged before it is always seen)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from app.adapters.redis.batched_reads import BatchedReads
from app.adapters.redis.client import create_redis

pytestmark = pytest.mark.redis


class CountingRedis:
    def __init__(self, inner: Redis) -> None:
        self.inner, self.calls = inner, 0

    async def mget(self, *keys: Any) -> list[Any]:
        self.calls += 1
        return list(await self.inner.mget(*keys))


async def test_concurrent_reads_share_round_trips(redis: Redis, redis_prefix: str) -> None:
    await redis.set(f"{redis_prefix}a", b"1")
    counting = CountingRedis(redis)
    reads = BatchedReads(counting)  # type: ignore[arg-type]
    answers = await asyncio.gather(
        *(reads.mget(f"{redis_prefix}a", f"{redis_prefix}b{n % 3}") for n in range(50))
    )
    assert all(answer == [b"1", None] for answer in answers)
    assert counting.calls <= 2  # the first alone, then everyone who queued behind it


async def test_a_read_never_answers_from_before_it_began(redis: Redis, redis_prefix: str) -> None:
    key = f"{redis_prefix}version"
    reads = BatchedReads(redis)
    for n in range(200):
        await redis.set(key, str(n))
        background = asyncio.ensure_future(reads.mget(key))  # keeps a read in flight
        await redis.set(key, str(n + 1))
        (value,) = await reads.mget(key)
        assert value == str(n + 1).encode()
        await background


async def test_a_failed_read_fails_each_waiter_and_the_next_one_succeeds(
    redis: Redis, redis_prefix: str
) -> None:
    class Failing(CountingRedis):
        async def mget(self, *keys: Any) -> list[Any]:
            self.calls += 1
            if self.calls == 1:
                raise RedisConnectionError("down")
            return await super().mget(*keys)

    reads = BatchedReads(Failing(redis))  # type: ignore[arg-type]
    with pytest.raises(RedisConnectionError):
        await reads.mget(f"{redis_prefix}x")
    assert await reads.mget(f"{redis_prefix}x") == [None]


def test_a_reader_left_on_a_finished_loop_does_not_stall_the_next_one(redis_url: str) -> None:
    reads: list[BatchedReads] = []

    async def first() -> None:
        client = create_redis(redis_url)
        reads.append(BatchedReads(client))
        pending = asyncio.ensure_future(reads[0].mget("nexus-test:a"))
        await asyncio.sleep(0)  # the reader task starts, then this loop ends under it
        pending.cancel()
        await client.aclose()

    async def second() -> list[object]:
        client = create_redis(redis_url)
        reads[0]._redis = client  # the same reader, a client on this loop
        try:
            return await asyncio.wait_for(reads[0].mget("nexus-test:a"), 5)
        finally:
            await client.aclose()

    asyncio.run(first())
    assert asyncio.run(second()) == [None]
