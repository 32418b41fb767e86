"""`nexus sync-tmdb` as an operator runs it, against the fake TMDb and a test database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.adapters.postgres.tables import movies
from tests.support.fake_tmdb import API_KEY, Answer, FakeTmdb

NEXUS = str(Path(sys.executable).with_name("nexus"))


async def run_sync(*args: str, fake: FakeTmdb, database_url: str, tmp_path: Path, **env: str):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TMDB_", "REDIS_URL", "DATABASE_URL"))
    }
    environment.update(
        DATABASE_URL=database_url,
        NEXUS_DATA_DIR=str(tmp_path / "data"),
        TMDB_BASE_URL=fake.base_url,
        TMDB_API_KEY=API_KEY,
        TMDB_BACKOFF_BASE_SECONDS="0.001",
        TMDB_BACKOFF_MAX_SECONDS="0.004",
        LOG_FORMAT="text",
    )
    environment.update(env)
    return await asyncio.to_thread(
        subprocess.run,
        [NEXUS, "sync-tmdb", *args],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def count_movies(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(movies)) or 0)


async def test_sync_summarises_and_a_second_run_changes_nothing(
    fake_tmdb: FakeTmdb, database_url_for_test: str, catalogue_engine: AsyncEngine, tmp_path: Path
) -> None:
    args = ("--category", "top_rated", "--pages", "3", "--concurrency", "2")
    first = await run_sync(
        *args, fake=fake_tmdb, database_url=database_url_for_test, tmp_path=tmp_path
    )
    assert first.returncode == 0, first.stderr
    assert "synced 3/3 pages of top_rated: 60 created, 0 updated" in first.stdout
    assert "page 2 synced" in first.stderr  # not a terminal: plain log lines
    assert API_KEY not in first.stdout + first.stderr
    second = await run_sync(
        *args, fake=fake_tmdb, database_url=database_url_for_test, tmp_path=tmp_path
    )
    assert "0 created, 0 updated, 60 unchanged, 0 failed" in second.stdout
    assert await count_movies(catalogue_engine) == 60


async def test_a_page_failing_for_good_makes_a_non_zero_exit(
    fake_tmdb: FakeTmdb, database_url_for_test: str, catalogue_engine: AsyncEngine, tmp_path: Path
) -> None:
    fake_tmdb.always("/trending/movie/week", Answer.server_error_text(), page=2)
    result = await run_sync(
        "--category", "trending", "--window", "week", "--pages", "3",
        fake=fake_tmdb, database_url=database_url_for_test, tmp_path=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert "2 failed" not in result.stdout and "1 failed" in result.stdout
    assert "page 2 failed: TMDb answered 500" in result.stderr
    assert "stored 40 TMDb trending ranks for the week window" in result.stdout
    assert await count_movies(catalogue_engine) == 40


async def test_pages_over_500_are_capped_with_a_warning(
    fake_tmdb: FakeTmdb, database_url_for_test: str, tmp_path: Path
) -> None:
    fake_tmdb.always(
        "/movie/popular",
        Answer.json(200, {"page": 1, "results": [], "total_pages": 1, "total_results": 0}),
    )
    result = await run_sync(
        "--pages", "900", fake=fake_tmdb, database_url=database_url_for_test, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "TMDb serves at most 500 pages" in result.stderr


async def test_no_credentials_is_a_configuration_error(
    fake_tmdb: FakeTmdb, database_url_for_test: str, tmp_path: Path
) -> None:
    result = await run_sync(
        fake=fake_tmdb, database_url=database_url_for_test, tmp_path=tmp_path, TMDB_API_KEY=""
    )
    assert result.returncode == 2
    assert "TMDB_READ_TOKEN: set TMDB_READ_TOKEN or TMDB_API_KEY" in result.stderr
