"""`CachedTmdbClient` over both caches (in-process and Redis) in front of the HTTP client and
the fake TMDb: hits, coalescing, TTLs, stale copies on failure, and keys free of credentials."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from app.adapters.memory.cache import InMemoryCache
from app.adapters.redis.cache import RedisCache
from app.adapters.redis.client import create_redis
from app.adapters.tmdb.cached import SEARCH_TTL, CachedTmdbClient
from app.adapters.tmdb.client import HttpxTmdbClient
from app.domain.shared.ports import Cache
from app.domain.tmdb.ports import TmdbCredentialsRejected, TmdbUnavailable
from tests.support.fake_tmdb import API_KEY, Answer, FakeTmdb
from tests.support.tmdb_fixtures import CLIENT_TIMEOUT, MakeTmdbClient


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class KeyRecordingCache:
    """Wraps a cache to remember the keys asked for."""

    def __init__(self, inner: Cache) -> None:
        self.inner, self.keys = inner, set[str]()

    async def get(self, key: str) -> bytes | None:
        self.keys.add(key)
        return await self.inner.get(key)

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        self.keys.add(key)
        await self.inner.set(key, value, ttl_seconds)


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[KeyRecordingCache]:
    if request.param == "memory":
        yield KeyRecordingCache(InMemoryCache())
        return
    url: str = request.getfixturevalue("redis_url")
    prefix: str = request.getfixturevalue("redis_prefix")
    redis: Redis = create_redis(url)
    try:
        yield KeyRecordingCache(RedisCache(redis, prefix=prefix))
    finally:
        await redis.aclose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cached(
    tmdb_client: HttpxTmdbClient, cache: KeyRecordingCache, clock: Clock
) -> CachedTmdbClient:
    return CachedTmdbClient(tmdb_client, cache, clock=clock)  # type: ignore[arg-type]


async def test_a_repeated_search_makes_no_second_call(
    cached: CachedTmdbClient, fake_tmdb: FakeTmdb
) -> None:
    first = await cached.search("club", page=1)
    second = await cached.search("club", page=1)
    assert second == first and first.movies
    assert fake_tmdb.count("/search/movie") == 1
    await cached.search("club", page=1, year=1999)  # other parameters, other entry
    assert fake_tmdb.count("/search/movie") == 2


async def test_ten_concurrent_identical_searches_make_one_call(
    cached: CachedTmdbClient, fake_tmdb: FakeTmdb
) -> None:
    fake_tmdb.latency = 0.05
    pages = await asyncio.gather(*(cached.search("fight club") for _ in range(10)))
    assert fake_tmdb.count("/search/movie") == 1
    assert all(page == pages[0] for page in pages)


async def test_every_kind_of_request_is_cached(
    cached: CachedTmdbClient, fake_tmdb: FakeTmdb
) -> None:
    for _ in range(2):
        await cached.genres()
        await cached.movie_list("trending", 2, window="week")
        await cached.movie(11)
    assert len(fake_tmdb.calls) == 3


async def test_searches_expire_after_an_hour_lists_after_a_day(
    cached: CachedTmdbClient, fake_tmdb: FakeTmdb, clock: Clock
) -> None:
    await cached.search("club")
    await cached.movie_list("popular", 2)
    clock.now += SEARCH_TTL + 1
    await cached.search("club")
    await cached.movie_list("popular", 2)
    assert fake_tmdb.count("/search/movie") == 2 and fake_tmdb.count("/movie/popular") == 1
    clock.now += 24 * 3600
    await cached.movie_list("popular", 2)
    assert fake_tmdb.count("/movie/popular") == 2


async def test_a_stale_copy_stands_in_when_tmdb_fails(
    cached: CachedTmdbClient, fake_tmdb: FakeTmdb, clock: Clock
) -> None:
    fresh = await cached.search("club")
    clock.now += SEARCH_TTL + 1
    fake_tmdb.always("/search/movie", Answer.server_error_text())
    stale = await cached.search("club")
    assert stale.stale and stale.movies == fresh.movies
    fake_tmdb.always("/search/movie", Answer.hang(CLIENT_TIMEOUT * 3))
    assert (await cached.search("club")).stale
    # No copy at all: the failure goes through.
    fake_tmdb.always("/search/movie", Answer.server_error_text())
    with pytest.raises(TmdbUnavailable):
        await cached.search("nothing cached")
    fake_tmdb.always("/search/movie", None)
    assert not (await cached.search("club")).stale


async def test_rejected_credentials_are_not_hidden_by_a_stale_copy(
    make_tmdb_client: MakeTmdbClient, cache: KeyRecordingCache, clock: Clock
) -> None:
    good = CachedTmdbClient(make_tmdb_client(), cache, clock=clock)  # type: ignore[arg-type]
    await good.genres()
    clock.now += 25 * 3600
    bad = CachedTmdbClient(make_tmdb_client(api_key="revoked"), cache, clock=clock)  # type: ignore[arg-type]
    with pytest.raises(TmdbCredentialsRejected):
        await bad.genres()


async def test_failures_are_not_cached(cached: CachedTmdbClient, fake_tmdb: FakeTmdb) -> None:
    fake_tmdb.always("/movie/popular", Answer.server_error_text())
    with pytest.raises(TmdbUnavailable):
        await cached.movie_list("popular", 3)
    fake_tmdb.always("/movie/popular", None)
    assert (await cached.movie_list("popular", 3)).movies


async def test_keys_are_path_and_sorted_parameters_without_credentials(
    cached: CachedTmdbClient, cache: KeyRecordingCache
) -> None:
    await cached.search("Fight Club", page=2, include_adult=True)
    key = "tmdb:/search/movie?include_adult=true&language=en-US&page=2&query=Fight+Club"
    assert key in cache.keys
    assert all(API_KEY not in k and "api_key" not in k for k in cache.keys)
