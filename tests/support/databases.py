"""A migrated template database per test run, and a fresh copy of it for every test that needs
PostgreSQL: real connections, real concurrency, nothing shared between tests."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
from sqlalchemy.engine import make_url

from app.cli import run_migrations


def _connect_kwargs(url: str) -> dict[str, object]:
    parsed = make_url(url)
    kwargs: dict[str, object] = {
        "user": parsed.username or "postgres",
        "password": parsed.password,
        "database": parsed.database or "postgres",
    }
    host = parsed.query.get("host") or parsed.host or "127.0.0.1"
    kwargs["host"] = host if isinstance(host, str) else host[0]
    if parsed.port:
        kwargs["port"] = parsed.port
    return kwargs


def database_url(admin_url: str, name: str) -> str:
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


class DatabaseFactory:
    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.run_id = uuid.uuid4().hex[:8]
        self.template = f"nexus_test_{self.run_id}_template"
        self._lock = asyncio.Lock()

    async def _admin(self) -> asyncpg.Connection:
        return await asyncpg.connect(**_connect_kwargs(self.admin_url))

    async def create_template(self) -> None:
        connection = await self._admin()
        try:
            await connection.execute(f'CREATE DATABASE "{self.template}"')
        finally:
            await connection.close()
        await asyncio.to_thread(run_migrations, database_url(self.admin_url, self.template))

    async def create_empty(self) -> str:
        name = f"nexus_test_{self.run_id}_{uuid.uuid4().hex[:10]}"
        connection = await self._admin()
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        return name

    async def create_copy(self) -> str:
        name = f"nexus_test_{self.run_id}_{uuid.uuid4().hex[:10]}"
        # A template must have no other connection while it is copied: one copy at a time.
        async with self._lock:
            connection = await self._admin()
            try:
                await connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
            finally:
                await connection.close()
        return name

    async def drop(self, name: str) -> None:
        connection = await self._admin()
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    async def drop_all(self) -> None:
        connection = await self._admin()
        try:
            names = await connection.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE $1",
                f"nexus_test_{self.run_id}_%",
            )
            for record in names:
                await connection.execute(
                    f'DROP DATABASE IF EXISTS "{record["datname"]}" WITH (FORCE)'
                )
        finally:
            await connection.close()
