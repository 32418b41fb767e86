"""`/api/movies/trending/` answered from serialized bytes: the same answer, headers and metrics
as the computed one, still rate limited, and fresh after a write in this process."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI

from app.bootstrap.settings import Settings
from tests.api.operations.test_metrics import value
from tests.conftest import client_for

TRENDING = "/api/movies/trending/"


async def test_a_hit_is_the_computed_answer_with_every_header(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    computed = await client.get(TRENDING, params={"limit": 3})
    hit = await client.get(TRENDING, params={"limit": 3})

    assert computed.status_code == hit.status_code == 200
    assert hit.content == computed.content and len(hit.json()) == 3
    for name in ("content-type", "content-length", "x-content-type-options"):
        assert hit.headers[name] == computed.headers[name]
    assert hit.headers["x-request-id"] != computed.headers["x-request-id"]
    metrics = (await client.get("/metrics")).text
    labels = {"method": "GET", "route": TRENDING, "status": "200"}
    assert value(metrics, "nexus_http_requests_total", **labels) == 2


async def test_hits_are_rate_limited(
    make_settings: Callable[..., Settings], start_app: Callable[[Settings], Awaitable[FastAPI]]
) -> None:
    settings = make_settings(rate_limit_enabled=True, rate_limit_anonymous="2/minute")
    async with client_for(await start_app(settings)) as client:
        statuses = [(await client.get(TRENDING)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
