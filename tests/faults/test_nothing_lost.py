"""Nothing lost: a rating acknowledged with 201 is in the database after PostgreSQL restarts or
Redis stops, and a request that failed during an outage left no partial write (no rating, no
change to the movie's aggregates)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI

from app.bootstrap.settings import Settings
from app.cli import run_migrations
from tests.conftest import client_for
from tests.faults.conftest import sign_in
from tests.faults.servers import ThrowawayPostgres, ThrowawayRedis
from tests.support.social_data import fetch_all, insert_movies


async def ratings_and_aggregates(app: FastAPI) -> tuple[list[tuple[int, int]], dict[int, int]]:
    rows = await fetch_all(app, "SELECT movie_id, score FROM ratings ORDER BY movie_id")
    counts = await fetch_all(app, "SELECT id, ratings_count FROM movies ORDER BY id")
    return [(row.movie_id, row.score) for row in rows], {
        row.id: row.ratings_count for row in counts
    }


async def until_answered(http: httpx.AsyncClient, headers: dict[str, str]) -> None:
    back = time.monotonic()
    while (await http.get("/api/auth/me/", headers=headers)).status_code != 200:
        assert time.monotonic() - back < 5.0
        await asyncio.sleep(0.1)


async def test_acknowledged_ratings_survive_a_postgres_restart(
    throwaway_postgres: ThrowawayPostgres,
    make_settings: Callable[..., Settings],
    start_app: Callable[[Settings], Awaitable[FastAPI]],
) -> None:
    await asyncio.to_thread(run_migrations, throwaway_postgres.url)
    app = await start_app(
        make_settings(
            database_url=throwaway_postgres.url,
            database_pool_timeout=1.0,
            database_connect_timeout=1.0,
        )
    )
    member = await sign_in(app)
    kept, refused = await insert_movies(app, 2)

    async with client_for(app, timeout=30) as http:
        created = await http.post("/api/ratings/", json={"movie": kept, "score": 4}, headers=member)
        assert created.status_code == 201

        throwaway_postgres.stop()
        during = await http.post(
            "/api/ratings/", json={"movie": refused, "score": 2}, headers=member
        )
        assert during.status_code == 503
        throwaway_postgres.start()
        await until_answered(http, member)

    assert await ratings_and_aggregates(app) == ([(kept, 4)], {kept: 1, refused: 0})


async def test_ratings_are_written_while_redis_is_down(
    throwaway_redis: ThrowawayRedis,
    make_settings: Callable[..., Settings],
    start_app: Callable[[Settings], Awaitable[FastAPI]],
) -> None:
    app = await start_app(make_settings(redis_url=throwaway_redis.url, redis_socket_timeout=0.2))
    member = await sign_in(app)
    first, second = await insert_movies(app, 2)

    async with client_for(app, timeout=30) as http:
        assert (
            await http.post("/api/ratings/", json={"movie": first, "score": 5}, headers=member)
        ).status_code == 201
        throwaway_redis.stop()
        during = await http.post(
            "/api/ratings/", json={"movie": second, "score": 3}, headers=member
        )
        assert during.status_code == 201, during.text
        throwaway_redis.start()

    assert await ratings_and_aggregates(app) == ([(first, 5), (second, 3)], {first: 1, second: 1})
