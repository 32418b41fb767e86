"""The process's Redis client: a bounded, blocking pool with short timeouts."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis


def create_redis(url: str, *, max_connections: int = 50, socket_timeout: float = 0.5) -> Redis:
    """redis-py's default async pool raises when exhausted; a blocking pool waits (bounded)."""
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=socket_timeout * 4,
        socket_timeout=socket_timeout,
        socket_connect_timeout=socket_timeout,
        health_check_interval=15,
    )
    return Redis(connection_pool=pool)
