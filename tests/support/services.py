"""Finding the PostgreSQL and Redis servers the tests talk to.

PostgreSQL: TEST_DATABASE_URL, else 127.0.0.1:5432 when it answers, else an embedded server from
the pgserver wheel. Redis: TEST_REDIS_URL, else 127.0.0.1:6379 when it answers, else Redis tests
skip with a reason. Under CI=true a missing service fails the run instead of skipping.
"""

from __future__ import annotations

import os
import socket
import tempfile
from functools import cache
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
LOCAL_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def port_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def as_asyncpg(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url}")


@cache
def postgres_admin_url() -> str:
    """A URL of a database on the server where the tests may create and drop databases."""
    if os.environ.get("TEST_DATABASE_URL"):
        return as_asyncpg(os.environ["TEST_DATABASE_URL"])
    if port_answers("127.0.0.1", 5432):
        return LOCAL_POSTGRES
    if IN_CI:
        pytest.exit(
            "CI=true but no PostgreSQL answers on 127.0.0.1:5432 and TEST_DATABASE_URL is not set",
            returncode=3,
        )
    data_dir = Path(
        os.environ.get("NEXUS_TEST_DATA_DIR", Path(tempfile.gettempdir()) / "nexus-test-postgres")
    )
    return _embedded(data_dir)


def _embedded(data_dir: Path) -> str:
    from app.bootstrap.embedded import start_embedded_postgres

    url = start_embedded_postgres(data_dir)
    # start_embedded_postgres points at the `nexus` database; administration happens in `postgres`.
    return url.replace("/nexus?", "/postgres?").replace("/nexus", "/postgres")


@cache
def redis_url_or_reason() -> tuple[str | None, str]:
    if os.environ.get("TEST_REDIS_URL"):
        return os.environ["TEST_REDIS_URL"], ""
    if port_answers("127.0.0.1", 6379):
        return LOCAL_REDIS, ""
    reason = "no Redis: set TEST_REDIS_URL or run redis-server on 127.0.0.1:6379"
    if IN_CI:
        pytest.exit(f"CI=true but {reason}", returncode=3)
    return None, reason
