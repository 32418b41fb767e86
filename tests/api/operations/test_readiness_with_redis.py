"""Readiness with Redis configured: ok when it answers, 503 naming the cache when it does not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI

from app.bootstrap.settings import Settings
from tests.conftest import client_for


async def test_ready_with_redis(
    make_settings: Callable[..., Settings],
    start_app: Callable[[Settings], Awaitable[FastAPI]],
    redis_url: str,
    redis_prefix: str,
) -> None:
    app = await start_app(make_settings(redis_url=redis_url, redis_key_prefix=redis_prefix))
    async with client_for(app) as http:
        response = await http.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}


async def test_unreachable_redis_makes_the_service_not_ready(
    make_settings: Callable[..., Settings], start_app: Callable[[Settings], Awaitable[FastAPI]]
) -> None:
    app = await start_app(
        make_settings(redis_url="redis://127.0.0.1:1/0", redis_socket_timeout=0.2)
    )
    async with client_for(app) as http:
        response = await http.get("/readyz")
        alive = await http.get("/healthz")
    assert response.status_code == 503
    assert response.json()["error"]["checks"] == {"database": "ok", "cache": "unavailable"}
    assert alive.status_code == 200
