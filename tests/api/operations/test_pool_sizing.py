"""The default pool holds 32 connections a worker: 32 requests each holding a connection at once
never wait for one (so never into the pool time-out and a 503)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from sqlalchemy import text

from app.bootstrap.settings import Settings

StartApp = Callable[[Settings], Awaitable[FastAPI]]


async def test_32_concurrent_units_of_work_never_wait_for_a_connection(
    make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    # The default sizes, with a pool time-out shorter than each holder's hold: a wait would fail.
    app = await start_app(make_settings(database_pool_timeout=0.5))
    database = app.state.runtime.database

    async def hold() -> int:
        async with database.unit_of_work() as uow:
            value = await uow.connection.scalar(text("SELECT 1"))
            await asyncio.sleep(1.0)
            return int(value)

    assert await asyncio.gather(*(hold() for _ in range(32))) == [1] * 32
