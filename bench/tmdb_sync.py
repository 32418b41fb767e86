"""TMDb sync benchmark: 200 pages from the fake TMDb answering with 50 ms of latency.

    python -m bench.tmdb_sync [--pages 200] [--latency 0.05] [--concurrency 8]

Syncs the pages sequentially (concurrency 1) and concurrently into scratch databases on
BENCH_ADMIN_URL (default: the local server), and compares both with the latency-bound ideal:
the genre list and page 1 one after the other, then the other pages in waves of `concurrency`.
Writes the figures to bench/RESULTS.md. Nothing here is a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
from sqlalchemy.engine import make_url

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.tmdb.client import HttpxTmdbClient, create_http_client
from app.adapters.tmdb.transport import TmdbTransport
from app.cli import run_migrations
from app.domain.tmdb.sync import SyncCatalogue, SyncReport, SyncRequest
from bench.results import record
from tests.support.fake_tmdb import API_KEY

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def fake_tmdb(latency: float) -> Iterator[str]:
    """The fake TMDb in a process of its own, as TMDb would be: its base URL."""
    command = [sys.executable, "-m", "tests.support.fake_tmdb", "--latency", str(latency)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.communicate(timeout=10)


async def timed_sync(base_url: str, pages: int, concurrency: int) -> tuple[float, SyncReport]:
    name = f"nexus_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(ADMIN_URL).set(drivername="postgresql+asyncpg", database=name)
    url_text = url.render_as_string(hide_password=False)
    try:
        await asyncio.to_thread(run_migrations, url_text)
        engine = create_engine(url_text, pool_size=concurrency)
        async with create_http_client(base_url, max_connections=concurrency) as http:
            sync = SyncCatalogue(
                HttpxTmdbClient(TmdbTransport(http, api_key=API_KEY)), PostgresDatabase(engine)
            )
            started = time.perf_counter()
            report = await sync(
                SyncRequest(category="popular", pages=pages, concurrency=concurrency)
            )
            elapsed = time.perf_counter() - started
        await engine.dispose()
        return elapsed, report
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def main(pages: int, latency: float, concurrency: int) -> None:
    with fake_tmdb(latency) as base_url:
        sequential, seq_report = await timed_sync(base_url, pages, 1)
        concurrent, report = await timed_sync(base_url, pages, concurrency)
    assert seq_report.ok and report.ok, (seq_report.failed_pages, report.failed_pages)
    ideal = latency * (2 + math.ceil((pages - 1) / concurrency))
    lines = [
        f"{pages} pages of 20 movies, {latency * 1000:.0f} ms per TMDb request, "
        f"{report.created} movies written",
        f"sequential (concurrency 1): {sequential:.2f} s",
        f"concurrency {concurrency}: {concurrent:.2f} s — {sequential / concurrent:.1f}x faster "
        f"than sequential (target >= 6x)",
        f"latency-bound ideal at concurrency {concurrency}: {ideal:.2f} s — measured is "
        f"{concurrent / ideal:.2f}x the ideal (target <= 1.5x)",
    ]
    body = (
        f"`python -m bench.tmdb_sync` (fake TMDb in its own process on loopback, local PostgreSQL; "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs)\n\n```\n"
        + "\n".join(lines)
        + "\n```"
    )
    print("\n".join(lines))
    record("TMDb catalogue sync", body)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=8)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.pages, arguments.latency, arguments.concurrency))
