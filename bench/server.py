"""Servers for the load benchmarks: a scratch database on the local PostgreSQL, seeded with
`nexus seed-synthetic`, and `nexus serve` processes on loopback ports (one worker each, rate
limits off unless asked). Everything is removed afterwards."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

import asyncpg
import httpx
import redis

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parent.parent
# The `nexus` command with this interpreter (`python -m app.cli` would miss the extra commands).
NEXUS = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
def process(command: list[str], port: int, env: Mapping[str, str]) -> Iterator[str]:
    """Start `command`, wait for `/healthz` or `/` on `port`, yield the base URL, stop it."""
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(command, env=dict(env), cwd=ROOT, stdout=output, stderr=output)
        try:
            wait_until_up(base, proc, output)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_until_up(base: str, proc: subprocess.Popen[bytes], output: object) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output.seek(0)  # type: ignore[attr-defined]
            raise RuntimeError(f"server exited: {output.read().decode()[-2000:]}")  # type: ignore[attr-defined]
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base} did not come up within 60 s")


@contextmanager
def nexus_servers(database_url: str, count: int = 1, **overrides: str) -> Iterator[list[str]]:
    """`count` `nexus serve` processes (one worker each) on one database, sharing Redis."""
    prefix = f"nexus-bench-{uuid.uuid4().hex[:8]}:"
    env = server_env(database_url, REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=prefix, **overrides)
    try:
        with ExitStack() as stack:
            bases = []
            for _ in range(count):
                port = free_port()
                command = [*NEXUS, "serve", "--port", str(port)]
                bases.append(stack.enter_context(process(command, port, env)))
            yield bases
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            client.delete(key)
        client.close()
