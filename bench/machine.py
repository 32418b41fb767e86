"""What the benchmarks ran on, for the head of `bench/RESULTS.md`."""

from __future__ import annotations

import asyncio
import os
import platform
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import redis

from bench.results import RESULTS
from bench.server import ADMIN_URL, REDIS_URL

HEADING = "## Machine"


def _proc_field(path: str, name: str) -> str | None:
    try:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _postgres_version() -> str:
    async def ask() -> str:
        connection = await asyncpg.connect(ADMIN_URL)
        try:
            return str(await connection.fetchval("SHOW server_version"))
        finally:
            await connection.close()

    try:
        return asyncio.run(ask())
    except (OSError, asyncpg.PostgresError) as error:
        return f"unreachable ({type(error).__name__})"


def _redis_version() -> str:
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
        try:
            info = client.info("server")
        finally:
            client.close()
        return f"{info.get('redis_version')} ({info.get('server_name', 'redis')})"
    except redis.RedisError as error:
        return f"unreachable ({type(error).__name__})"


def _wrk_version() -> str:
    if not shutil.which("wrk"):
        return "not installed (httpx generator used)"
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0].split(" Copyright")[0] if text else "?"


def describe(command: str) -> str:
    memory = _proc_field("/proc/meminfo", "MemTotal")
    kib = int(memory.split()[0]) if memory else 0
    rows = [
        ("date (UTC)", datetime.now(UTC).strftime("%Y-%m-%d %H:%M")),
        ("command", f"`{command}`"),
        ("CPU", _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "?"),
        ("cores", str(os.cpu_count())),
        ("memory", f"{kib / 1024 / 1024:.1f} GiB" if kib else "?"),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("PostgreSQL", _postgres_version()),
        ("Redis", _redis_version()),
        ("wrk", _wrk_version()),
    ]
    table = ["| | |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)]
    note = (
        "Figures below were printed by the benchmarks on this machine; sections a run did not "
        "refresh keep their earlier figures (each names its command)."
    )
    return "\n".join([HEADING, "", *table, "", note, ""])


def write_header(command: str) -> None:
    """Put the machine section right under the title, replacing the previous one."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = text.find(HEADING + "\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + (text[end + 1 :] if end >= 0 else "")
    title_end = text.find("\n") + 1
    rest = text[title_end:].lstrip("\n")
    RESULTS.write_text(text[:title_end] + "\n" + describe(command) + "\n" + rest, encoding="utf-8")
