"""Replicas that start together each run `nexus migrate` on the same empty database: the
advisory lock makes one migrate and the other find the schema at head; both succeed."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from tests.support.server_process import NEXUS, clean_env

ROOT = Path(__file__).resolve().parents[2]
REPLICAS = 2


async def waiting_on_locks(connection: AsyncConnection) -> int:
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    return int((await connection.execute(query)).scalar_one())


async def migrate_together(url: str, env: dict[str, str], cwd: Path) -> list[str]:
    """Start the replicas while no table can be created, wait until every one is blocked (on
    the catalogue, or on the other's advisory lock), then let them all go at once: without the
    advisory lock both would create the same tables."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as holder, engine.connect() as observer:
            # SHARE on pg_class lets the replicas read the catalogue but not add a table to it.
            await holder.execute(text("LOCK TABLE pg_catalog.pg_class IN SHARE MODE"))
            replicas = [
                subprocess.Popen(
                    [NEXUS, "migrate"],
                    env=env,
                    cwd=cwd,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(REPLICAS)
            ]
            deadline = time.monotonic() + 90
            while await waiting_on_locks(observer) < REPLICAS:
                assert time.monotonic() < deadline, "the replicas never reached the migrations"
                assert all(replica.poll() is None for replica in replicas)
                await observer.rollback()  # a fresh snapshot of pg_stat_activity
                await asyncio.sleep(0.1)
            await holder.rollback()
        errors = []
        for replica in replicas:
            _, stderr = await asyncio.to_thread(replica.communicate, timeout=120)
            errors.append(stderr if replica.returncode else "")
        assert errors == [""] * REPLICAS, errors
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return [row.version_num for row in rows]
    finally:
        await engine.dispose()


def test_migrations_started_together_all_succeed(empty_database: str, tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=empty_database, NEXUS_DATA_DIR=str(tmp_path / "data"))
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert asyncio.run(migrate_together(empty_database, env, tmp_path)) == [head]
