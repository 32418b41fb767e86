"""Work a process would otherwise do on the first requests it serves, done before it serves any.

The first request of each kind paid for what is built lazily: FastAPI's route tables and
dependency models, pydantic serializers, SQLAlchemy's compiled statements, the pool's
connections and the served model's first scoring. The first recommendation after start took
0.27 s here against a p95 of 30 ms. `warm_up` opens the pool's connections and sends a few
anonymous reads straight to the router (no middleware: no metrics, no rate limit, no access log)
plus one signed-in recommendation computed for a user who has ratings. It is bounded in time and
never fails start-up: whatever it could not warm is simply warmed by the first request instead.

Last, what the process built to serve (modules, routes, the model, the pool) is moved out of the
cyclic garbage collector's sight (`gc.freeze`): those objects live as long as the process, yet a
full collection walked all of them, pausing every request in flight for tens of milliseconds.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.asyncexitstack import AsyncExitStackMiddleware
from sqlalchemy import text
from starlette.types import Message

from app.bootstrap.allocator import release_free_memory

log = logging.getLogger(__name__)

BUDGET_SECONDS = 10.0
CONNECTIONS = 4  # opened at once; the rest open as traffic needs them
ANONYMOUS_READS = (
    ("/api/movies/recommendations/", b"limit=1"),
    ("/api/movies/", b"page_size=1"),
    ("/api/movies/", b"search=warm"),
    ("/api/genres/", b""),
    ("/api/movies/trending/", b"limit=1"),
)


async def warm_up(app: FastAPI) -> None:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(_warm(app), BUDGET_SECONDS)
    except Exception as error:  # a cold path is slower, never wrong
        log.warning("warm-up stopped early: %s", error)
    gc.collect()
    gc.freeze()
    release_free_memory()
    log.info("warmed up in %.0f ms", (time.perf_counter() - started) * 1000)


async def _warm(app: FastAPI) -> None:
    runtime = app.state.runtime
    await asyncio.gather(*(_connection(runtime.database) for _ in range(CONNECTIONS)))
    for path, query in ANONYMOUS_READS:
        try:
            await _get(app, path, query)
        except Exception as error:  # an answer the error handlers would have made
            log.info("warm-up read %s answered %s", path, type(error).__name__)
    user = await _a_user_with_ratings(runtime)
    if user is not None:
        await runtime.recommendations.recommend(user, 20)


async def _connection(database: Any) -> None:
    async with database.unit_of_work() as uow:
        await uow.connection.execute(text("SELECT 1"))


async def _a_user_with_ratings(runtime: Any) -> Any:
    async with runtime.database.unit_of_work() as uow:
        found = await uow.connection.execute(text("SELECT user_id FROM ratings LIMIT 1"))
        user_id = found.scalar_one_or_none()
        return None if user_id is None else await uow.users.get(user_id)


async def _get(app: FastAPI, path: str, query: bytes) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 80),
        "app": app,
        "state": {},
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        return None

    # FastAPI's own innermost middleware, which the routes need; nothing outside it runs.
    await AsyncExitStackMiddleware(app.router)(scope, receive, send)
