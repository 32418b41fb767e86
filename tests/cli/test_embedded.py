"""The embedded default: with no DATABASE_URL, `nexus serve` starts PostgreSQL 16 from the pgserver
wheel under NEXUS_DATA_DIR, migrates it, serves, stops it on shutdown, and keeps the data."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import httpx

from tests.support.data_dirs import fresh_data_dir
from tests.support.server_process import clean_env, serving

__all__ = ["fresh_data_dir"]  # the fixture, used below by name


def socket_dir(pgdata: Path) -> str:
    # postmaster.pid: pid, data dir, start time, port, socket directory, ...
    return (pgdata / "postmaster.pid").read_text().splitlines()[4]


async def execute(pgdata: Path, sql: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(host=socket_dir(pgdata), user="postgres", database="nexus")
    try:
        return await connection.fetch(sql)
    finally:
        await connection.close()


def test_embedded_postgres_serves_and_keeps_data(fresh_data_dir: Path, tmp_path: Path) -> None:
    data_dir = fresh_data_dir
    pgdata = data_dir / "postgres"
    env = clean_env(NEXUS_DATA_DIR=str(data_dir))

    with serving(env, tmp_path) as base:
        assert httpx.get(f"{base}/readyz").json()["checks"] == {"database": "ok", "cache": "ok"}
        asyncio.run(execute(pgdata, "UPDATE genres SET name = 'Action!' WHERE id = 28"))
        secret = (data_dir / "jwt_secret").read_text()
    assert not (pgdata / "postmaster.pid").exists(), "the embedded server was not stopped"

    with serving(env, tmp_path) as base:
        assert httpx.get(f"{base}/readyz").status_code == 200
        rows = asyncio.run(execute(pgdata, "SELECT name FROM genres WHERE id = 28"))
        assert [row["name"] for row in rows] == ["Action!"]
    assert (data_dir / "jwt_secret").read_text() == secret
