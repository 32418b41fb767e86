"""Servers for the load benchmarks: a scratch database on the local PostgreSQL, seeded with
`nexus seed-synthetic`, and `nexus serve` processes on loopback ports (one worker each, rate
limits off unless asked). Everything is removed afterwards."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

import asyncpg
import redis

# The test suite's helpers, so that tests and benchmarks start servers one way.
from tests.support.server_process import free_port, wait_until_serving

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parent.parent
# The `nexus` command with this interpreter (`python -m app.cli` would miss the extra commands).
NEXUS = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


@contextmanager
def scratch_database(movies: int, users: int, ratings: int) -> Iterator[str]:
    """A fresh database migrated and seeded, dropped on exit; yields its URL."""
    name = f"nexus_bench_{uuid.uuid4().hex[:8]}"
    admin_sql(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        env = server_env(url)
        nexus = NEXUS
        subprocess.run([*nexus, "migrate"], env=env, check=True, cwd=ROOT)
        seed = ["--movies", str(movies), "--users", str(users), "--ratings", str(ratings)]
        subprocess.run([*nexus, "seed-synthetic", *seed], env=env, check=True, cwd=ROOT)
        subprocess.run([*nexus, "build-model"], env=env, check=True, cwd=ROOT)
        yield url
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def admin_sql(statement: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(ADMIN_URL)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def server_env(database_url: str, **overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        NEXUS_ENV="development",
        JWT_SECRET="bench-secret-" + "x" * 40,
        RATE_LIMIT_ENABLED="false",
        LOG_LEVEL="WARNING",  # no access log line per request, as in the bare server
        PASSWORD_HASH_TIME_COST="1",
        PASSWORD_HASH_MEMORY_KIB="8192",
        PASSWORD_HASH_PARALLELISM="1",
    )
    env.update(overrides)
    return env


@contextmanager
def process(
    command: list[str], port: int, env: Mapping[str, str], health: str = "/healthz"
) -> Iterator[str]:
    """Start `command`, wait for `health` to answer 200 on `port`, yield the base URL, stop it."""
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(command, env=dict(env), cwd=ROOT, stdout=output, stderr=output)
        try:
            wait_until_serving(base, proc, output=lambda: _written(output), health=health)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _written(output: IO[bytes]) -> str:
    output.seek(0)
    return output.read().decode(errors="replace")


@contextmanager
def nexus_servers(
    database_url: str, count: int = 1, *, workers: int = 1, **overrides: str
) -> Iterator[list[str]]:
    """`count` `nexus serve` processes (`workers` each) on one database, sharing Redis."""
    prefix = f"nexus-bench-{uuid.uuid4().hex[:8]}:"
    env = server_env(database_url, REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=prefix, **overrides)
    try:
        with ExitStack() as stack:
            bases = []
            for _ in range(count):
                port = free_port()
                command = [*NEXUS, "serve", "--port", str(port), "--workers", str(workers)]
                bases.append(stack.enter_context(process(command, port, env)))
            yield bases
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            client.delete(key)
        client.close()
