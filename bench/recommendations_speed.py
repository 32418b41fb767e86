"""Recommendation speed on a generated catalogue: `python -m bench.recommendations_speed`.

20 000 movies, 10 000 users and 1 000 000 ratings (`nexus seed-synthetic`'s generator) in a
database of its own (BENCH_DATABASE_URL, default `nexus_bench_recsys` on the local server;
reused when already seeded). Measures the model build, then GET /api/movies/recommendations/
in-process (ASGI, no network) for a user with about 200 ratings: uncached (the user's cache entry
deleted before each call), cached, and the SQL statements one uncached request runs for users
with short and long histories."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

import asyncpg
import httpx
from asgi_lifespan import LifespanManager
from pydantic import SecretStr
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.postgres.recommender_models import PostgresModelStore
from app.bootstrap.settings import Settings
from app.cli import run_migrations
from app.cli.movielens import run_import
from app.cli.progress import ProgressBar
from app.domain.shared import cache_keys
from app.main import create_app
from app.model_fitting.building import build_and_store
from app.model_fitting.synthetic import generate
from bench.results import record

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/nexus_bench_recsys"


async def ensure_database(url: str) -> None:
    parsed = make_url(url)
    admin = await asyncpg.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        database="postgres",
    )
    try:
        exists = await admin.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", parsed.database
        )
        if not exists:
            await admin.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await admin.close()
    await asyncio.to_thread(run_migrations, url)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main(args: argparse.Namespace) -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    await ensure_database(url)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        nexus_env="test",
        database_url=url,
        redis_url=args.redis_url,
        jwt_secret=SecretStr("bench-secret-" + "x" * 40),
        rate_limit_enabled=False,
        log_format="text",
        model_check_seconds=1,
        redis_key_prefix="nexus-bench:",
    )
    database = PostgresDatabase(create_engine(url, statement_timeout_ms=0))
    async with database.unit_of_work() as uow:
        seeded = await uow.connection.scalar(text("SELECT count(*) FROM ratings"))
    if seeded < args.ratings * 0.9:
        started = time.perf_counter()
        data = generate(args.movies, args.users, args.ratings)
        await run_import(settings, data, None, ProgressBar(), username_prefix="synthetic-")
        print(f"seeded in {time.perf_counter() - started:.1f}s")
    built = await build_and_store(database, lambda uow: PostgresModelStore(uow.connection))
    print(f"model built in {built.seconds:.1f}s (reading, fitting and storing)")
    async with database.unit_of_work() as uow:
        counts = {
            row.user_id: row.n
            for row in await uow.connection.execute(
                text("SELECT user_id, count(*) AS n FROM ratings GROUP BY user_id")
            )
        }
        # The bench writes no ratings, so each user's cache key stays the same throughout.
        taste_versions = {
            row.id: row.taste_version
            for row in await uow.connection.execute(text("SELECT id, taste_version FROM users"))
        }
        totals = await uow.connection.execute(
            text("SELECT (SELECT count(*) FROM movies), (SELECT count(*) FROM users)")
        )
        movies, users = totals.one()
    await database.dispose()

    def cached_list(user: int) -> str:
        return cache_keys.user_recommendations(user, taste_versions[user])

    def closest(n: int) -> int:
        return min(counts, key=lambda user: (abs(counts[user] - n), user))

    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=120):
        runtime = app.state.runtime
        engine = runtime.database.engine
        statements: list[str] = []
        event.listen(
            engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2])
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:

            async def call(user: int) -> float:
                headers = {"Authorization": f"Bearer {runtime.tokens.issue_access(user)}"}
                started = time.perf_counter()
                response = await client.get(
                    "/api/movies/recommendations/", params={"limit": 20}, headers=headers
                )
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.text
                return elapsed

            user = closest(200)
            first = await call(user)  # the model was loaded at start-up, not by this request
            uncached = []
            for _ in range(args.requests):
                await runtime.cache.delete(cached_list(user))
                app.state.rendered_lists.clear()
                uncached.append(await call(user))
            cached = [await call(user) for _ in range(args.requests)]
            # A new version stored by "another replica": the preload job loads it within
            # MODEL_CHECK_SECONDS, before the next request asks.
            builder = PostgresDatabase(create_engine(url, pool_size=1, statement_timeout_ms=0))
            await build_and_store(builder, lambda uow: PostgresModelStore(uow.connection))
            await builder.dispose()
            await asyncio.sleep(3)
            await runtime.cache.delete(cached_list(user))
            app.state.rendered_lists.clear()
            after_new_version = await call(user)
            sql: dict[int, int] = {}
            for size in (5, 50, 200, 1000):
                who = closest(size)
                await runtime.cache.delete(cached_list(who))
                app.state.rendered_lists.clear()
                await call(who)  # warm the shared facts; count the per-user statements
                await runtime.cache.delete(cached_list(who))
                app.state.rendered_lists.clear()
                statements.clear()
                await call(who)
                sql[counts[who]] = len(statements)
    lines = [
        f"catalogue: {movies} movies, {users} users, {sum(counts.values())} ratings; "
        f"cache: {'Redis' if args.redis_url else 'in-process'}",
        f"model build: {built.seconds:.1f} s in all (reading, fitting, storing "
        f"{built.weights} weights)",
        f"uncached, user with {counts[user]} ratings ({args.requests} requests): "
        f"p50 {statistics.median(uncached):.1f} ms, p95 {percentile(uncached, 0.95):.1f} ms",
        f"cached: p50 {statistics.median(cached):.2f} ms, p95 {percentile(cached, 0.95):.2f} ms",
        f"first request after start: {first:.1f} ms; first after a new version: "
        f"{after_new_version:.1f} ms (target: within 3 x the uncached p95)",
        "SQL statements per uncached request, by the user's ratings: "
        + ", ".join(f"{n} ratings: {k}" for n, k in sorted(sql.items())),
    ]
    print("\n".join(lines))
    record(
        "Recommendation speed (20 000 movies, 1 000 000 ratings, "
        f"{'Redis' if args.redis_url else 'in-process'} cache)",
        "`python -m bench.recommendations_speed` (in-process ASGI client, local PostgreSQL; "
        "targets: uncached p50 <= 20 ms, p95 <= 50 ms; cached <= 5 ms; build <= 60 s). Figures "
        "move with the machine's load: under a concurrent test run they were about twice "
        "these.\n\n"
        "```\n" + "\n".join(lines) + "\n```",
    )


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movies", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--redis-url", default=None)
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))
