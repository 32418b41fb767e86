"""Each contract suite's fixture names `database_url_for_test` for both of its halves; only the
PostgreSQL half gets a database, so that the fake half runs without one (`make test-fast`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import fresh_database
from tests.selection import is_fake_half
from tests.support.databases import DatabaseFactory


@pytest.fixture
def contract_database_factory(request: pytest.FixtureRequest) -> DatabaseFactory | None:
    """The session's factory for the PostgreSQL half, None for the fake half. A plain fixture:
    an async one cannot ask for the (async) factory once the event loop runs its setup."""
    if is_fake_half(request.node):
        return None
    factory: DatabaseFactory = request.getfixturevalue("database_factory")
    return factory


@pytest.fixture
async def database_url_for_test(
    contract_database_factory: DatabaseFactory | None,
) -> AsyncIterator[str]:
    if contract_database_factory is None:
        yield "postgresql://unused-by-the-fake-half"
        return
    async with fresh_database(contract_database_factory) as url:
        yield url
