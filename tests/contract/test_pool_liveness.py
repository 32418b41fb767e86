"""The pool checks a connection that sat idle before handing it out (a PostgreSQL that dropped
it, restarted or not, costs no request), and checks none in steady use (the check is three round
trips, as many as a rating write)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection

from app.adapters.postgres import database as database_module
from app.adapters.postgres.database import PostgresDatabase, create_engine


@pytest.fixture
async def database(database_url_for_test: str) -> AsyncIterator[PostgresDatabase]:
    engine = create_engine(database_url_for_test, pool_size=1, max_overflow=0)
    yield PostgresDatabase(engine)
    await engine.dispose()


async def backend_pid(database: PostgresDatabase) -> int:
    async with database.unit_of_work() as uow:
        return int(await uow.connection.scalar(text("SELECT pg_backend_pid()")))


@pytest.fixture
def pings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counted: list[int] = []
    original = AsyncAdapt_asyncpg_connection.ping

    def counting(self: Any) -> None:
        counted.append(1)
        original(self)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", counting)
    return counted


async def test_a_connection_in_steady_use_is_not_pinged(
    database: PostgresDatabase, pings: list[int]
) -> None:
    pids = {await backend_pid(database) for _ in range(10)}
    assert len(pids) == 1 and pings == []


async def test_an_idle_connection_postgres_dropped_is_replaced_without_an_error(
    database: PostgresDatabase, pings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await backend_pid(database)  # and back in the pool
    terminator = create_engine(str(database.engine.url.render_as_string(hide_password=False)))
    try:
        async with terminator.connect() as connection:
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    finally:
        await terminator.dispose()
    monkeypatch.setattr(database_module, "IDLE_BEFORE_PING_SECONDS", 0.0)  # it sat idle
    second = await backend_pid(database)
    assert second != first and pings
