"""Redis stops while requests flow: reads keep answering from PostgreSQL (the cache is
bypassed), `/readyz` names the cache, nothing answers 5xx; when Redis is back, caching resumes
by itself, without a restart."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis

from app.bootstrap.settings import Settings
from tests.faults.conftest import sign_in
from tests.faults.servers import ThrowawayRedis
from tests.hostile.openapi_operations import operations_where

# Every read that needs no id: whatever the catalogue offers when this runs.
READS = [operation.path for operation in operations_where("get") if "{" not in operation.path]
RESUME_SECONDS = 5.0


async def read_everything(http: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    """Every read, anonymous and signed in; returns the ones that answered 5xx."""
    failures = []
    for path in READS:
        if path == "/readyz":
            continue
        for who in ({}, headers):
            response = await http.get(path, headers=who)
            # The TMDb proxy answers 503 while TMDb is not configured: that is its documented reply.
            if response.status_code >= 500 and not path.startswith("/api/tmdb/"):
                failures.append(f"{path}: {response.status_code} {response.text[:200]}")
    return failures


async def test_reads_survive_a_redis_outage_and_caching_resumes(
    throwaway_redis: ThrowawayRedis,
    make_settings: Callable[..., Settings],
    start_app: Callable[[Settings], Awaitable[FastAPI]],
) -> None:
    prefix = "nexus-fault:"
    app = await start_app(make_settings(redis_url=throwaway_redis.url, redis_key_prefix=prefix))
    member = await sign_in(app)
    cache = app.state.runtime.cache

    async def produce() -> bytes:
        return b"from the database"

    async def stored(key: str) -> bool:
        # A client per look: a pooled one would hold a connection the restart closed.
        async with Redis.from_url(throwaway_redis.url) as redis:
            return bool(await redis.exists(f"{prefix}cache:{key}"))

    # 500s come back as responses (not raised), so that every failing read gets listed.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        assert await read_everything(http, member) == []
        assert await cache.get_or_set("probe", 60, produce) == b"from the database"
        assert await stored("probe")

        throwaway_redis.stop()
        started = time.monotonic()
        assert await read_everything(http, member) == []
        assert await cache.get_or_set("probe", 60, produce) == b"from the database"
        ready = await http.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["error"]["checks"] == {"database": "ok", "cache": "unavailable"}
        # A dead cache costs a bounded time-out at most, not a hang per request.
        assert time.monotonic() - started < 10

        throwaway_redis.start()
        back = time.monotonic()
        while not await stored("resumed"):
            assert time.monotonic() - back < RESUME_SECONDS, "caching did not resume"
            await cache.get_or_set("resumed", 60, produce)
            await asyncio.sleep(0.2)
        assert (await http.get("/readyz")).status_code == 200
        assert await read_everything(http, member) == []
