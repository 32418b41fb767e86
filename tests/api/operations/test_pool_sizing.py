"""The default pool keeps its connections open and opens none beyond them: 32 requests each
holding a connection at once wait their turn (back-pressure), never into the pool time-out and a
503, and no connection is opened and closed per burst (each would start a PostgreSQL process)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from sqlalchemy import text

from app.bootstrap.settings import Settings

StartApp = Callable[[Settings], Awaitable[FastAPI]]


async def test_32_concurrent_units_of_work_wait_their_turn_on_the_kept_connections(
    make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    settings = make_settings()
    app = await start_app(settings)
    database = app.state.runtime.database
    backends: set[int] = set()

    async def hold() -> int:
        async with database.unit_of_work() as uow:
            backends.add(int(await uow.connection.scalar(text("SELECT pg_backend_pid()"))))
            await asyncio.sleep(0.1)
            return 1

    # Twice over: the second burst finds the first one's connections, opens none.
    assert await asyncio.gather(*(hold() for _ in range(32))) == [1] * 32
    assert await asyncio.gather(*(hold() for _ in range(32))) == [1] * 32
    assert len(backends) <= settings.database_pool_size + settings.database_max_overflow
    assert settings.database_max_overflow == 0
    assert settings.database_pool_timeout >= 30  # 32 holders a tenth of a second each: far off
