"""One contract for the Cache port, run against the in-process cache and against Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from app.adapters.memory.cache import InMemoryCache
from app.adapters.redis.cache import RedisCache
from app.adapters.redis.client import create_redis
from app.domain.shared.ports import Cache


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[Cache]:
    if request.param == "memory":
        yield InMemoryCache()
        return
    redis_url = request.getfixturevalue("redis_url")
    prefix = request.getfixturevalue("redis_prefix")
    client = create_redis(redis_url)
    try:
        yield RedisCache(client, prefix=prefix)
    finally:
        await client.aclose()


async def test_miss_then_hit(cache: Cache) -> None:
    assert await cache.get("a") is None
    await cache.set("a", b"1", ttl_seconds=60)
    assert await cache.get("a") == b"1"


async def test_entries_expire(cache: Cache) -> None:
    await cache.set("short", b"x", ttl_seconds=0.05)
    await asyncio.sleep(0.12)
    assert await cache.get("short") is None


async def test_delete_several_keys(cache: Cache) -> None:
    await cache.set("a", b"1", 60)
    await cache.set("b", b"2", 60)
    await cache.delete("a", "b", "never-set")
    assert await cache.get("a") is None and await cache.get("b") is None


async def test_get_or_set_produces_once_for_concurrent_misses(cache: Cache) -> None:
    calls = 0

    async def produce() -> bytes:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return b"value"

    results = await asyncio.gather(*(cache.get_or_set("k", 60, produce) for _ in range(10)))
    assert results == [b"value"] * 10
    assert calls == 1
    assert await cache.get_or_set("k", 60, produce) == b"value"
    assert calls == 1


async def test_a_failed_produce_is_not_cached(cache: Cache) -> None:
    async def fail() -> bytes:
        raise RuntimeError("upstream down")

    with pytest.raises(RuntimeError):
        await cache.get_or_set("k", 60, fail)
    assert await cache.get("k") is None


async def test_ping(cache: Cache) -> None:
    assert await cache.ping() is True


async def test_unreachable_redis_is_a_miss_not_an_error() -> None:
    client = create_redis("redis://127.0.0.1:1/0", socket_timeout=0.2)
    cache = RedisCache(client)
    try:
        assert await cache.get("a") is None
        await cache.set("a", b"1", 60)
        await cache.delete("a")
        assert await cache.ping() is False

        async def produce() -> bytes:
            return b"fresh"

        assert await cache.get_or_set("a", 60, produce) == b"fresh"
    finally:
        await client.aclose()


async def test_memory_cache_evicts_least_recently_used() -> None:
    cache = InMemoryCache(max_entries=2)
    await cache.set("a", b"1", 60)
    await cache.set("b", b"2", 60)
    await cache.get("a")
    await cache.set("c", b"3", 60)
    assert await cache.get("b") is None
    assert await cache.get("a") == b"1" and await cache.get("c") == b"3"
