"""Fixtures for the TMDb tests: a fake TMDb on loopback, settings and clients pointed at it.
Registered in `tests/conftest.py` through `pytest_plugins`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.tmdb.client import HttpxTmdbClient, create_http_client
from app.adapters.tmdb.transport import RetryPolicy, TmdbTransport
from app.bootstrap.settings import Settings
from tests.support.fake_tmdb import API_KEY, READ_TOKEN, FakeTmdb

# Tiny delays keep retry tests fast; the policy is the same as in production otherwise.
FAST_RETRIES = RetryPolicy(max_retries=3, backoff_base=0.001, backoff_max=0.004, max_retry_after=2)
CLIENT_TIMEOUT = 0.2


class RecordingSleep:
    """Stands in for `asyncio.sleep` in the transport: records delays, waits for none."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def fake_tmdb() -> Iterator[FakeTmdb]:
    with FakeTmdb().running() as fake:
        yield fake


@pytest.fixture
def sleeps() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
async def tmdb_http(fake_tmdb: FakeTmdb) -> AsyncIterator[httpx.AsyncClient]:
    async with create_http_client(fake_tmdb.base_url, timeout=CLIENT_TIMEOUT) as http:
        yield http


MakeTmdbClient = Callable[..., HttpxTmdbClient]


@pytest.fixture
def make_tmdb_client(tmdb_http: httpx.AsyncClient, sleeps: RecordingSleep) -> MakeTmdbClient:
    def make(*, api_key: str | None = API_KEY, read_token: str | None = None) -> HttpxTmdbClient:
        transport = TmdbTransport(
            tmdb_http, api_key=api_key, read_token=read_token, retry=FAST_RETRIES, sleep=sleeps
        )
        return HttpxTmdbClient(transport)

    return make


@pytest.fixture
def tmdb_client(make_tmdb_client: MakeTmdbClient) -> HttpxTmdbClient:
    return make_tmdb_client()


@pytest.fixture
def tmdb_settings(make_settings: Callable[..., Settings], fake_tmdb: FakeTmdb) -> Settings:
    """App settings with TMDb pointed at the fake (read token style) and fast retries."""
    return make_settings(
        tmdb_base_url=fake_tmdb.base_url,
        tmdb_read_token=READ_TOKEN,
        tmdb_timeout_seconds=CLIENT_TIMEOUT,
        tmdb_backoff_base_seconds=0.001,
        tmdb_backoff_max_seconds=0.004,
        tmdb_max_retry_after_seconds=0.05,
    )


@pytest.fixture
async def catalogue_engine(database_url_for_test: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url_for_test, pool_size=10)
    yield engine
    await engine.dispose()


@pytest.fixture
def catalogue_database(catalogue_engine: AsyncEngine) -> PostgresDatabase:
    return PostgresDatabase(catalogue_engine)
