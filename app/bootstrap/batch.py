"""The clients of the CLI's one-shot commands, built from settings like the service's and closed
when the command ends: a small pool without a statement time-out (imports and model builds run
long), the password hasher, the service's cache (for the versions its cached answers are checked
against), and the catalogue sync with its TMDb client and that cache."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.redis.cache import RedisCache
from app.adapters.redis.client import create_redis
from app.adapters.security.passwords import Argon2PasswordHasher
from app.bootstrap.allocator import release_free_memory
from app.bootstrap.settings import ConfigurationError, Settings
from app.bootstrap.tmdb import build_tmdb_client, create_tmdb_http
from app.domain.tmdb.sync import SyncCatalogue


@asynccontextmanager
async def batch_database(
    settings: Settings, *, pool_size: int = 1, statement_timeout_ms: int = 0
) -> AsyncIterator[PostgresDatabase]:
    assert settings.database_url is not None
    engine = create_engine(
        settings.database_url,
        pool_size=pool_size,
        max_overflow=0,
        statement_timeout_ms=statement_timeout_ms,
    )
    database = PostgresDatabase(engine)
    try:
        yield database
    finally:
        await database.dispose()


@asynccontextmanager
async def probe_connection(url: str) -> AsyncIterator[AsyncConnection]:
    """One connection for a short read (the schema's revision, the latest model, a count),
    its engine disposed of afterwards."""
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            yield connection
    finally:
        await engine.dispose()


async def check_database(url: str) -> None:
    """`ConfigurationError` naming the server (without its password) when it does not answer."""
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        where = make_url(url).render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0] or type(exc).__name__
        raise ConfigurationError(f"DATABASE_URL: cannot connect to {where}: {reason}") from None
    finally:
        await engine.dispose()


def build_password_hasher(settings: Settings) -> Argon2PasswordHasher:
    return Argon2PasswordHasher(
        time_cost=settings.password_hash_time_cost,
        memory_kib=settings.password_hash_memory_kib,
        parallelism=settings.password_hash_parallelism,
        release_memory=release_free_memory,
    )


@asynccontextmanager
async def batch_cache(settings: Settings) -> AsyncIterator[RedisCache | None]:
    """The service's Redis cache (None when no Redis is configured), so that a command can bump
    the versions the running service checks its cached answers against."""
    if not settings.redis_url:
        yield None
        return
    redis = create_redis(settings.redis_url)
    cache = RedisCache(redis, prefix=f"{settings.redis_key_prefix}cache:")
    try:
        yield cache
    finally:
        await cache.pending.close()  # a command exits soon: its failed deletes get a last try
        await redis.aclose()


@asynccontextmanager
async def catalogue_sync(settings: Settings, concurrency: int) -> AsyncIterator[SyncCatalogue]:
    """The sync with the uncached TMDb client and, when Redis is configured, the service's
    cache, so that the movies it changes are not served stale from it."""
    async with AsyncExitStack() as stack:
        database = await stack.enter_async_context(
            batch_database(
                settings,
                pool_size=concurrency,
                statement_timeout_ms=settings.database_statement_timeout_ms,
            )
        )
        http = create_tmdb_http(settings)
        stack.push_async_callback(http.aclose)
        cache = await stack.enter_async_context(batch_cache(settings))
        yield SyncCatalogue(build_tmdb_client(settings, http), database, cache)
