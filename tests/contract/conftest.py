"""Each contract suite's fixture names `database_url_for_test` for both of its halves; only the
PostgreSQL half gets a database, so that the fake half runs without one (`make test-fast`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import fresh_database
from tests.selection import is_fake_half


@pytest.fixture
async def database_url_for_test(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    if is_fake_half(request.node):
        yield "postgresql://unused-by-the-fake-half"
        return
    async with fresh_database(request.getfixturevalue("database_factory")) as url:
        yield url
