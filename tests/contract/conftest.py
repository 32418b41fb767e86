"""Each contract suite's fixture names `database_url_for_test` for both of its halves; only the
PostgreSQL half gets a database, so that the fake half runs without one (`make test-fast`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from app.adapters.redis.client import create_redis
from tests.conftest import fresh_database
from tests.selection import is_fake_half
from tests.support.databases import DatabaseFactory


@pytest.fixture
async def contract_database_url(database_factory: DatabaseFactory) -> AsyncIterator[str]:
    """A migrated database of the PostgreSQL half's own, dropped afterwards."""
    async with fresh_database(database_factory) as url:
        yield url


@pytest.fixture
def database_url_for_test(request: pytest.FixtureRequest) -> str:
    # A plain fixture: an async one cannot set up the session's async fixtures it asks for
    # (its event loop is already running), so a contract suite run alone could not start.
    if is_fake_half(request.node):
        return "postgresql://unused-by-the-fake-half"
    url: str = request.getfixturevalue("contract_database_url")
    return url


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    """A client of the test Redis, for the suites of the Redis helpers."""
    client = create_redis(redis_url)
    yield client
    await client.aclose()
