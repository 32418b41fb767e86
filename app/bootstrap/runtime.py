"""The composition root: the one place that knows settings, adapters and the domain together.

`build_runtime(settings)` creates every client once (engine, Redis pool, HTTP client), builds every
use case once from them, and returns both with a closer that releases the clients in reverse
order.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.adapters.memory.cache import InMemoryCache
from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.postgres.job_lock import PostgresJobLock
from app.adapters.prometheus_metrics import PrometheusMetrics
from app.adapters.redis.active_users import RedisCachedActiveUsers
from app.adapters.redis.cache import RedisCache
from app.adapters.redis.client import create_redis
from app.adapters.redis.pending_deletes import PendingDeletes
from app.adapters.security.jwt_tokens import JoseTokenCodec
from app.bootstrap.allocator import release_free_memory
from app.bootstrap.batch import build_password_hasher
from app.bootstrap.jobs import FirstRun, Job, Scheduler
from app.bootstrap.recommendations import start_recommendations
from app.bootstrap.settings import ConfigurationError, Settings
from app.bootstrap.tmdb import start_tmdb
from app.bootstrap.use_cases import (
    build_accounts,
    build_catalogue,
    build_recommendations,
    build_social,
    build_tmdb,
)
from app.domain.accounts.ports import ActiveUsers, PasswordHasher, TokenCodec
from app.domain.accounts.signed_in import DatabaseActiveUsers
from app.domain.accounts.use_cases import AccountUseCases
from app.domain.catalogue.use_cases import CatalogueUseCases
from app.domain.recommendations.ports import ModelProvider
from app.domain.recommendations.use_cases import RecommendationUseCases
from app.domain.shared.ports import Cache, Database
from app.domain.shared.readiness import CheckReadiness
from app.domain.social.use_cases import SocialUseCases
from app.domain.tmdb.ports import TmdbClient
from app.domain.tmdb.use_cases import TmdbUseCases

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Runtime:
    """What the lifespan keeps: the use cases of every feature, the ports they were built from
    and the raw clients the web layer needs."""

    settings: Settings
    database: Database
    cache: Cache
    tokens: TokenCodec
    passwords: PasswordHasher
    tmdb_client: TmdbClient | None  # None: no TMDb credentials configured
    models: ModelProvider  # the served recommendation model
    accounts: AccountUseCases
    catalogue: CatalogueUseCases
    social: SocialUseCases
    tmdb: TmdbUseCases | None
    recommendations: RecommendationUseCases
    readiness: CheckReadiness
    image_base_url: str  # where the routers point poster and backdrop URLs
    redis: Any | None
    close: Callable[[], Awaitable[None]]
    metrics: PrometheusMetrics | None = None
    scheduler: Scheduler | None = None
    # The signed-in user's account state cached in Redis (None: read from the database); the
    # web layer bumps a user's version on their writes only when it is on.
    active_users: ActiveUsers | None = None
    # Redis deletes not yet taken, retried (None without Redis); shared by every Redis cache.
    pending_deletes: PendingDeletes | None = None


def build_token_codec(settings: Settings) -> JoseTokenCodec:
    if settings.jwt_algorithm == "RS256":
        if settings.jwt_private_key is None or settings.jwt_public_key is None:
            raise ConfigurationError(
                "JWT_PRIVATE_KEY: RS256 needs JWT_PRIVATE_KEY and JWT_PUBLIC_KEY"
            )
        signing = settings.jwt_private_key.get_secret_value()
        verifying = settings.jwt_public_key
    else:
        signing = verifying = settings.resolved_jwt_secret()
    return JoseTokenCodec(
        algorithm=settings.jwt_algorithm,
        signing_key=signing,
        verifying_key=verifying,
        issuer=settings.jwt_issuer,
        access_lifetime=timedelta(minutes=settings.access_token_minutes),
        refresh_lifetime=timedelta(days=settings.refresh_token_days),
    )


RELEASE_MEMORY_SECONDS = 60.0


async def _release_free_memory() -> bool:
    return release_free_memory()


async def build_runtime(settings: Settings, metrics: PrometheusMetrics | None = None) -> Runtime:
    metrics = metrics or PrometheusMetrics()
    if settings.database_url is None:
        raise ConfigurationError("DATABASE_URL: not set (the CLI starts an embedded PostgreSQL)")
    stack = AsyncExitStack()
    try:
        engine = create_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            pool_timeout=settings.database_pool_timeout,
            statement_timeout_ms=settings.database_statement_timeout_ms,
            connect_timeout=settings.database_connect_timeout,
        )
        database = PostgresDatabase(engine)
        metrics.watch_pool("main", engine.pool)
        stack.push_async_callback(database.dispose)

        redis = None
        pending: PendingDeletes | None = None
        cache: RedisCache | InMemoryCache
        if settings.redis_url:
            redis = create_redis(
                settings.redis_url,
                max_connections=settings.redis_max_connections,
                socket_timeout=settings.redis_socket_timeout,
            )
            stack.push_async_callback(redis.aclose)
            pending = PendingDeletes(redis)
            stack.push_async_callback(pending.close)
            cache = RedisCache(
                redis,
                prefix=f"{settings.redis_key_prefix}cache:",
                telemetry=metrics.cache("redis"),
                pending=pending,
            )
        else:
            cache = InMemoryCache(telemetry=metrics.cache("memory"))
            stack.push_async_callback(cache.close)

        tokens = build_token_codec(settings)
        passwords = build_password_hasher(settings)
        active_users: ActiveUsers | None = None
        if redis is not None and settings.user_state_cache_seconds > 0:
            active_users = RedisCachedActiveUsers(
                DatabaseActiveUsers(database),
                redis,
                prefix=f"{settings.redis_key_prefix}cache:",
                ttl_seconds=settings.user_state_cache_seconds,
                pending=pending,
            )
        # A held job lock keeps its connection for the whole run: a small pool of its own, so
        # background jobs never take a connection requests are waiting for.
        lock_engine = create_engine(
            settings.database_url,
            pool_size=1,
            max_overflow=2,
            pool_timeout=60,
            connect_timeout=settings.database_connect_timeout,
        )
        stack.push_async_callback(lock_engine.dispose)
        scheduler = Scheduler(PostgresJobLock(lock_engine))
        tmdb_client = start_tmdb(
            settings, stack, cache, engine, scheduler, metrics.upstream("tmdb")
        )
        recommendation_ports = await start_recommendations(
            settings, stack, database, engine, scheduler, cache
        )
        # What bursts freed stays resident in the allocator's arenas until handed back.
        scheduler.add(
            Job(
                "release-free-memory",
                _release_free_memory,
                RELEASE_MEMORY_SECONDS,
                FirstRun.AFTER_INTERVAL,
                exclusive=False,
            )
        )
        scheduler.start()
        stack.push_async_callback(scheduler.stop)
    except BaseException:
        await stack.aclose()
        raise
    return Runtime(
        settings=settings,
        database=database,
        cache=cache,
        tokens=tokens,
        passwords=passwords,
        tmdb_client=tmdb_client,
        models=recommendation_ports.models,
        accounts=build_accounts(
            database,
            passwords,
            tokens,
            refresh_grace=timedelta(seconds=settings.refresh_reuse_grace_seconds),
            max_session=timedelta(days=settings.session_max_days),
            active_users=active_users,
        ),
        catalogue=build_catalogue(database, cache),
        social=build_social(database, cache, active_users=active_users),
        tmdb=build_tmdb(tmdb_client, database),
        recommendations=build_recommendations(recommendation_ports, cache),
        readiness=CheckReadiness(database, cache),
        image_base_url=str(settings.tmdb_image_base_url),
        redis=redis,
        close=stack.aclose,
        pending_deletes=pending,
        metrics=metrics,
        scheduler=scheduler,
        active_users=active_users,
    )
