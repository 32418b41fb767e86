"""Fixtures shared by every test: servers, a fresh database per test, the app and its client."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from redis import Redis as SyncRedis
from sqlalchemy import text

from app.bootstrap.settings import Settings
from app.domain.accounts.users import NewUser, User
from app.main import create_app
from tests.support.databases import DatabaseFactory, database_url
from tests.support.services import postgres_admin_url, redis_url_or_reason

pytest_plugins = ["tests.support.tmdb_fixtures", "tests.selection"]

TEST_JWT_SECRET = "test-secret-" + "x" * 40


@pytest.fixture(scope="session")
async def database_factory() -> AsyncIterator[DatabaseFactory]:
    factory = DatabaseFactory(postgres_admin_url())
    await factory.create_template()
    try:
        yield factory
    finally:
        await factory.drop_all()


@asynccontextmanager
async def fresh_database(factory: DatabaseFactory) -> AsyncIterator[str]:
    """A migrated database of its own, dropped on leaving."""
    name = await factory.create_copy()
    try:
        yield database_url(factory.admin_url, name)
    finally:
        await factory.drop(name)


@pytest.fixture
async def database_url_for_test(database_factory: DatabaseFactory) -> AsyncIterator[str]:
    """A migrated database of this test's own, dropped afterwards."""
    async with fresh_database(database_factory) as url:
        yield url


@pytest.fixture
async def empty_database(database_factory: DatabaseFactory) -> AsyncIterator[str]:
    """A database of this test's own with no schema at all (for migrations), dropped afterwards."""
    name = await database_factory.create_empty()
    try:
        yield database_url(database_factory.admin_url, name)
    finally:
        await database_factory.drop(name)


@pytest.fixture
def redis_url() -> str:
    url, reason = redis_url_or_reason()
    if url is None:
        pytest.skip(reason)
    return url


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"nexus-test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = SyncRedis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def make_settings(database_url_for_test: str, tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "nexus_env": "test",
            "database_url": database_url_for_test,
            "redis_url": None,
            "nexus_data_dir": tmp_path / "data",
            "jwt_secret": TEST_JWT_SECRET,
            "rate_limit_enabled": False,
            # Cheap Argon2 parameters keep the suite fast; production uses the defaults.
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 1024,
            "password_hash_parallelism": 1,
            "tmdb_api_key": None,
            "tmdb_read_token": None,
            "log_format": "text",
            # Warming up each of the suite's many apps would cost minutes (tested on its own).
            "warm_up": False,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[arg-type, call-arg]

    return make


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


AppFactory = Callable[..., Awaitable[FastAPI]]


@pytest.fixture
async def start_app() -> AsyncIterator[Callable[[Settings], Awaitable[FastAPI]]]:
    """Start apps with their lifespan; every app started is shut down after the test."""
    managers: list[LifespanManager] = []

    async def start(settings: Settings) -> FastAPI:
        app = create_app(settings)
        manager = LifespanManager(app, startup_timeout=60)
        await manager.__aenter__()
        managers.append(manager)
        return app

    yield start
    for manager in reversed(managers):
        await manager.__aexit__(None, None, None)


@pytest.fixture
async def app(settings: Settings, start_app: Callable[[Settings], Awaitable[FastAPI]]) -> FastAPI:
    return await start_app(settings)


def client_for(app: FastAPI, *, timeout: float = 5.0) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=timeout)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as http:
        yield http


@dataclass(frozen=True)
class SignedIn:
    user: User
    access_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


CreateUser = Callable[..., Awaitable[SignedIn]]


@pytest.fixture
def create_user(app: FastAPI) -> CreateUser:
    """Insert a user straight through the repository and sign them in with an access token."""
    counter = iter(range(1, 1_000_000))

    async def create(
        username: str | None = None,
        *,
        is_staff: bool = False,
        password_hash: str | None = None,
        favorite_genres: tuple[int, ...] = (),
    ) -> SignedIn:
        name = username or f"user{next(counter)}"
        runtime = app.state.runtime
        async with runtime.database.unit_of_work() as uow:
            user = await uow.users.add(
                NewUser(
                    username=name,
                    email=f"{name}@example.com",
                    password_hash=password_hash,
                    favorite_genres=favorite_genres,
                )
            )
            if is_staff:
                await uow.connection.execute(
                    text("UPDATE users SET is_staff = true WHERE id = :id"), {"id": user.id}
                )
                user = replace(user, is_staff=True)
            await uow.commit()
        return SignedIn(user=user, access_token=runtime.tokens.issue_access(user.id))

    return create
