"""DATABASE_URL: any PostgreSQL spelling becomes the asyncpg driver's; anything else is one
clear line."""

from __future__ import annotations

import pytest

from app.bootstrap.setting_checks import check_database_url


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u:p@db:5432/nexus", "postgresql+asyncpg://u:p@db:5432/nexus"),
        ("postgres://u@db/nexus", "postgresql+asyncpg://u@db/nexus"),
        (
            "postgresql+psycopg://u@db/nexus?sslmode=require",
            "postgresql+asyncpg://u@db/nexus?sslmode=require",
        ),
        ("postgresql://u:p%40ss@db/nexus", "postgresql+asyncpg://u:p%40ss@db/nexus"),
        ("  ", None),
    ],
)
def test_postgresql_urls_get_the_asyncpg_driver(given: str, used: str | None) -> None:
    assert check_database_url(given) == used


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("mysql://u@db/nexus", "must be a postgresql:// URL"),
        ("not a url", "not a database URL"),
        ("postgresql://u@db:port/nexus", "port is not a number"),
    ],
)
def test_other_values_are_refused_in_one_line(given: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        check_database_url(given)
