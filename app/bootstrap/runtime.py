"""The composition root: the one place that knows settings, adapters and the domain together.

`build_services(settings)` creates every client once (engine, Redis pool, HTTP client) and returns
them wired into `Services`, plus a closer that releases them in reverse order.
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
from app.adapters.prometheus_metrics import PrometheusMetrics
from app.adapters.redis.active_users import RedisCachedActiveUsers
from app.adapters.redis.cache import RedisCache
from app.adapters.redis.client import create_redis
from app.adapters.security.jwt_tokens import JoseTokenCodec
from app.adapters.security.passwords import Argon2PasswordHasher
from app.bootstrap.recommendations import start_recommendations
from app.bootstrap.settings import ConfigurationError, Settings
from app.bootstrap.tmdb import start_tmdb
from app.domain.accounts.signed_in import DatabaseActiveUsers
from app.domain.shared.services import Services

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Runtime:
    """What the lifespan keeps: the wired services and the raw clients the web layer needs."""

    settings: Settings
    services: Services
    redis: Any | None
    close: Callable[[], Awaitable[None]]
    metrics: PrometheusMetrics | None = None


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
        cache: RedisCache | InMemoryCache
        if settings.redis_url:
            redis = create_redis(
                settings.redis_url,
                max_connections=settings.redis_max_connections,
                socket_timeout=settings.redis_socket_timeout,
            )
            stack.push_async_callback(redis.aclose)
            cache = RedisCache(
                redis,
                prefix=f"{settings.redis_key_prefix}cache:",
                telemetry=metrics.cache("redis"),
            )
        else:
            cache = InMemoryCache(telemetry=metrics.cache("memory"))
            stack.push_async_callback(cache.close)

        token_codec = build_token_codec(settings)
        services = Services(
            database=database,
            cache=cache,
            tokens=token_codec,
            token_issuer=token_codec,
            passwords=Argon2PasswordHasher(
                time_cost=settings.password_hash_time_cost,
                memory_kib=settings.password_hash_memory_kib,
                parallelism=settings.password_hash_parallelism,
            ),
        )
        if redis is not None and settings.user_state_cache_seconds > 0:
            services.active_users = RedisCachedActiveUsers(
                DatabaseActiveUsers(database),
                redis,
                prefix=f"{settings.redis_key_prefix}cache:",
                ttl_seconds=settings.user_state_cache_seconds,
            )
        services.tmdb = start_tmdb(settings, stack, cache, engine, metrics.upstream("tmdb"))
        services.recommendations = start_recommendations(settings, stack, database, engine)
    except BaseException:
        await stack.aclose()
        raise
    return Runtime(
        settings=settings, services=services, redis=redis, close=stack.aclose, metrics=metrics
    )
