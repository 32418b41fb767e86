"""The batched sliding-window counter on a real Redis: small limits hold exactly across
processes, generous ones are claimed in batches and never exceed the limit all together."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from limits import parse
from redis.asyncio import Redis

from app.adapters.redis.rate_allowance import RedisAllowanceCounter, batch_of


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def count_at(redis: Redis, key: bytes) -> int:
    value = await redis.get(key)
    assert value is not None, key
    return int(value)


async def test_a_small_limit_holds_exactly_across_two_processes(
    redis: Redis, redis_prefix: str
) -> None:
    one = RedisAllowanceCounter(redis, redis_prefix)
    two = RedisAllowanceCounter(redis, redis_prefix)
    item = parse("5/minute")
    decisions = [await (one if n % 2 else two).decide(item, ("ip", "a")) for n in range(7)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False] * 2
    assert [d.remaining for d in decisions] == [4, 3, 2, 1, 0, 0, 0]
    assert decisions[-1].retry_after() >= 1
    other_key = await one.decide(item, ("ip", "b"))
    assert other_key.allowed and other_key.remaining == 4


async def test_a_generous_limit_is_claimed_in_batches_and_never_exceeded(
    redis: Redis, redis_prefix: str
) -> None:
    item = parse("1000/hour")
    assert batch_of(item.amount) == 10
    counters = [RedisAllowanceCounter(redis, redis_prefix) for _ in range(3)]
    allowed = 0
    for n in range(1200):
        allowed += (await counters[n % 3].decide(item, ("user", "1"))).allowed
    assert allowed <= 1000
    # Unspent claims are lost to the others: at most batch - 1 per process.
    assert allowed >= 1000 - 3 * (batch_of(item.amount) - 1)


async def test_a_claim_is_counted_at_once_and_spent_locally(
    redis: Redis, redis_prefix: str
) -> None:
    counter = RedisAllowanceCounter(redis, redis_prefix)
    item = parse("100000/hour")
    first = await counter.decide(item, ("ip", "c"))
    [key] = [k async for k in redis.scan_iter(match=f"{redis_prefix}*")]
    assert await count_at(redis, key) == batch_of(item.amount) == 100
    rest = [await counter.decide(item, ("ip", "c")) for _ in range(batch_of(item.amount) - 1)]
    assert await count_at(redis, key) == 100  # spent here, not claimed again
    assert first.remaining == item.amount - 1
    assert [d.remaining for d in rest] == list(range(item.amount - 2, item.amount - 101, -1))
    assert all(d.reset_at == first.reset_at for d in rest)
