"""Nexus side by side with the original Django Nexus, on this machine, with the same data.

    python -m bench.compare_original [--original-dir PATH] [--quick] [--workers 2]
    make bench-compare

The original (BillyMwangiDev/alx-project-nexus at commit c2e10e0) comes from `--original-dir`, else
is cloned from its published repository; without either it says so and exits with status 69
before starting anything. It is installed into its own virtualenv from its own requirements file
and run with its start script's gunicorn line (sync workers, `--workers` of them), with its DRF
throttles and its HTTPS redirect off through a settings module layered on its own (limits are off
on both sides). Each server has its own database and Redis (the original a Redis database of its
own, emptied before its rating run); both hold the rows of one `nexus seed-synthetic` run. Runs
alternate between the two, medians of `--runs`; tables are vacuumed before each phase. The table
goes into `bench/RESULTS.md`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path

import redis

from bench import original
from bench.compare_rows import ROWS, Memory, measure_row, memory_mib
from bench.results import record
from bench.server import (
    ADMIN_URL,
    NEXUS,
    REDIS_URL,
    admin_sql,
    free_port,
    process,
    scratch_database,
    server_env,
)

NOT_AVAILABLE = 69  # sysexits' EX_UNAVAILABLE
WORKER_MEMORY_TARGET = 2.0  # a Nexus worker at most twice the original's largest
SUPERVISOR_MEMORY_TARGET = 50.0  # MiB
ORIGINAL_REDIS_DB = 9
BENCH_SETTINGS = """\
from config.settings import *  # noqa: F403  (the original's settings, then the bench's changes)

REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
SECURE_SSL_REDIRECT = False  # plain HTTP on loopback, as behind a TLS-terminating proxy
"""


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        with original.checkout(args.original_dir, args.repository) as project:
            return compare(project, args)
    except original.OriginalUnavailable as error:
        print(f"bench.compare_original: the original is not available: {error}", file=sys.stderr)
        print(
            "Give a checkout of BillyMwangiDev/alx-project-nexus (commit "
            f"{original.COMMIT}) with --original-dir, or run with network access.",
            file=sys.stderr,
        )
        return NOT_AVAILABLE


def compare(project: Path, args: argparse.Namespace) -> int:
    original.install(project)
    sizes = (1000, 300, 20_000) if args.quick else (5000, 1000, 100_000)
    original_db = f"nexus_bench_original_{uuid.uuid4().hex[:8]}"
    original_url = ADMIN_URL.rsplit("/", 1)[0] + f"/{original_db}"
    original_redis = REDIS_URL.rsplit("/", 1)[0] + f"/{ORIGINAL_REDIS_DB}"
    flush = redis.Redis.from_url(original_redis)
    with ExitStack() as stack, tempfile.TemporaryDirectory() as overlay:
        nexus_url = stack.enter_context(scratch_database(*sizes))
        admin_sql(f'CREATE DATABASE "{original_db}"')
        stack.callback(admin_sql, f'DROP DATABASE IF EXISTS "{original_db}" WITH (FORCE)')
        Path(overlay, "nexus_bench_settings.py").write_text(BENCH_SETTINGS)
        port = free_port()
        env = original.original_env(original_url, original_redis, port, args.workers)
        env.update(DJANGO_SETTINGS_MODULE="nexus_bench_settings", PYTHONPATH=overlay)
        original.migrate(project, env)
        original.copy_catalogue(nexus_url, original_url)
        flush.flushdb()
        stack.callback(flush.flushdb)
        servers = {
            "original": stack.enter_context(
                process(
                    original.start_command(project, port, args.workers),
                    port,
                    env,
                    health=original.HEALTH_PATH,
                )
            ),
            "nexus": stack.enter_context(nexus_server(nexus_url, args.workers)),
        }
        rates = asyncio.run(run_all(servers, [nexus_url, original_url], args, flush))
        memory = {name: memory_mib(base) for name, base in servers.items()}
    body = table(rates, memory, args, sizes)
    print(body)
    record("Side by side with the original Django service", body)
    return 0


def nexus_server(database_url: str, workers: int) -> AbstractContextManager[str]:
    port = free_port()
    env = server_env(
        database_url,
        REDIS_URL=REDIS_URL,
        REDIS_KEY_PREFIX=f"nexus-compare-{uuid.uuid4().hex[:8]}:",
        WEB_CONCURRENCY=str(workers),
    )
    command = [*NEXUS, "serve", "--port", str(port), "--workers", str(workers)]
    return process(command, port, env)


async def run_all(
    servers: dict[str, str],
    database_urls: list[str],
    args: argparse.Namespace,
    flush: redis.Redis,
) -> dict[tuple[str, str], list[tuple[float, float, int]]]:
    """(row, server) -> one (req/s, p95 ms, errors) a run; the servers alternate each run."""
    found: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    order = list(servers)
    for run in range(args.runs):
        for row in ROWS:
            vacuum(database_urls)
            for name in order if run % 2 == 0 else reversed(order):
                if row.empties_original_cache and name == "original":
                    flush.flushdb()
                measured = await measure_row(row, servers[name], args.connections, args.seconds)
                found.setdefault((row.name, name), []).append(measured)
    return found


def vacuum(database_urls: list[str]) -> None:
    """Both databases vacuumed before each phase, so neither pays for the other's dead rows."""
    for url in database_urls:
        subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=False, capture_output=True)


def table(
    rates: dict[tuple[str, str], list[tuple[float, float, int]]],
    memory: dict[str, Memory],
    args: argparse.Namespace,
    sizes: tuple[int, int, int],
) -> str:
    loader = "wrk -t1" if shutil.which("wrk") else "the httpx generator"
    lines = [
        f"`python -m bench.compare_original{' --quick' if args.quick else ''}`: {args.workers} "
        f"workers each, limits off, {args.connections} connections, {args.seconds:.0f} s a run, "
        f"median of {args.runs} alternated runs; {sizes[0]} movies, {sizes[1]} users, "
        f"{sizes[2]} ratings in both; original at {original.COMMIT} (gunicorn sync workers), "
        f"Python {platform.python_version()}; load from {loader} on the same machine; load average "
        f"{os.getloadavg()[0]:.1f} at the end (figures mean little when it is above the cores).",
        "",
        "| endpoint | original req/s (p95 ms) | Nexus req/s (p95 ms) | Nexus ÷ original "
        "| target | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    missed = []
    for row in ROWS:
        ours, theirs = _median(rates[(row.name, "nexus")]), _median(rates[(row.name, "original")])
        ratio = ours[0] / theirs[0] if theirs[0] else float("inf")
        if ratio < row.target or ours[2]:
            missed.append(row.name)
        lines.append(
            f"| {row.label} | {theirs[0]:.0f} ({theirs[1]:.1f}) | {ours[0]:.0f} ({ours[1]:.1f}) "
            f"| {ratio:.2f} | {row.target} | {theirs[2]} / {ours[2]} |"
        )
    ours_mem, theirs_mem = memory["nexus"], memory["original"]
    worker_limit = WORKER_MEMORY_TARGET * max(theirs_mem.workers, default=0.0)
    if max(ours_mem.workers, default=0.0) > worker_limit:
        missed.append("worker memory")
    if ours_mem.supervisor >= SUPERVISOR_MEMORY_TARGET:
        missed.append("supervisor memory")
    lines += [
        "",
        "Memory after the runs, resident: original "
        f"{theirs_mem.total:.0f} MiB ({_processes(theirs_mem)}), Nexus {ours_mem.total:.0f} MiB "
        f"({_processes(ours_mem)}). Targets: each Nexus worker at most {worker_limit:.0f} MiB "
        f"({WORKER_MEMORY_TARGET:.0f}x the original's largest), its supervisor under "
        f"{SUPERVISOR_MEMORY_TARGET:.0f} MiB.",
        "Targets (each row's ratio, no error, memory): "
        + ("met." if not missed else f"MISSED on {', '.join(missed)}."),
    ]
    return "\n".join(lines)


def _processes(memory: Memory) -> str:
    workers = ", ".join(f"{mib:.0f}" for mib in memory.workers)
    return f"supervisor {memory.supervisor:.0f}, workers {workers}"


def _median(runs: list[tuple[float, float, int]]) -> tuple[float, float, int]:
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        sum(r[2] for r in runs),
    )


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--original-dir", type=Path, default=None, help="a local checkout")
    parser.add_argument("--repository", default=original.REPOSITORY, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="a small catalogue, short runs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (3.0 if args.quick else 10.0)
    return args


if __name__ == "__main__":
    raise SystemExit(main())
