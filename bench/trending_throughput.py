"""`GET /api/movies/trending/` (cached path) against a bare FastAPI endpoint returning the same
bytes, in the same run, with the same server settings.

    python -m bench.trending_throughput [--quick] [--seconds 10] [--connections 32]

Both are uvicorn in a subprocess on loopback, one worker; Nexus runs as `nexus serve` with Redis
and rate limits off, on a scratch database seeded by `nexus seed-synthetic`. Load comes from
Debian's `wrk` (`apt-get install wrk`) when installed, else from the asyncio httpx generator in
`bench/load.py` (which then shares the two cores with the server, so figures are lower). Also
measured: the same endpoint with the in-process response cache off (RESPONSE_CACHE_SECONDS=0),
the path every request took before, and the cached path with rate limits on and counted in Redis
(limits high enough never to refuse), for each counting strategy; and a list page and a search
page answered from the public response cache. Targets: Nexus >= 0.8 of the bare endpoint (cached
list and search pages too); with limits on >= 0.6.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench.load import run_load
from bench.results import record
from bench.server import free_port, nexus_servers, process, scratch_database

PATH = "/api/movies/trending/?window=week&limit=20"
# Public read paths answered from the Redis-backed public response cache (same URL each time).
CACHED_PAGES = {
    "list": "/api/movies/?min_rating=5&ordering=-vote_average",
    "search": "/api/movies/?search=love",
}
TARGET = 0.8
LIMITED_TARGET = 0.6
NEVER_REFUSED = "100000000/hour"
STRATEGIES = ("moving-window", "sliding-window-counter", "sliding-window-batched")


def wrk(url: str, seconds: int, connections: int) -> tuple[float, int]:
    """Requests per second and the count of non-2xx answers, from one wrk run."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if found is None:
        raise RuntimeError(f"wrk printed no Requests/sec line: {out[-500:]}")
    rate = float(found.group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    if errors:
        raise RuntimeError(f"wrk reported {errors.group(0)}")
    return rate, int(bad.group(1)) if bad else 0


def measure(base: str, seconds: int, connections: int, path: str = PATH) -> float:
    if shutil.which("wrk"):
        wrk(base + path, 2, connections)  # warm-up
        rate, bad = wrk(base + path, seconds, connections)
    else:

        async def get(client: httpx.AsyncClient, _: int) -> tuple[str, int]:
            return "trending", (await client.get(path)).status_code

        result = asyncio.run(
            run_load(base, get, concurrency=connections, seconds=seconds, max_requests=10**6)
        )
        rate, bad = result.throughput, sum(result.errors.values())
    if bad:
        raise RuntimeError(f"{bad} answers were not 2xx at {base}")
    return rate


def main(args: argparse.Namespace) -> None:
    sizes = (1000, 300, 20_000) if args.quick else (5000, 2000, 200_000)
    with (
        scratch_database(*sizes) as url,
        tempfile.TemporaryDirectory() as scratch,
        nexus_servers(url) as (nexus,),
        nexus_servers(url, RESPONSE_CACHE_SECONDS="0") as (uncached,),
        ExitStack() as stack,
    ):
        limited = {
            strategy: stack.enter_context(
                nexus_servers(
                    url,
                    RATE_LIMIT_ENABLED="true",
                    RATE_LIMIT_STRATEGY=strategy,
                    RATE_LIMIT_ANONYMOUS=NEVER_REFUSED,
                )
            )[0]
            for strategy in STRATEGIES
        }
        body = httpx.get(nexus + PATH).content
        Path(scratch, "body.json").write_bytes(body)
        port = free_port()
        bare_command = [
            *(sys.executable, "-m", "uvicorn", "bench.bare_app:app"),
            *("--host", "127.0.0.1", "--port", str(port), "--workers", "1"),
            *("--log-level", "warning", "--no-access-log", "--no-server-header"),
        ]
        env = {"BENCH_BARE_BODY": str(Path(scratch, "body.json")), "PATH": ""}
        with process(bare_command, port, env) as bare:
            assert httpx.get(bare + PATH).content == body, "the baseline must send our bytes"
            servers = {"bare": bare, "nexus": nexus, "uncached": uncached, **limited}
            rates: dict[str, list[float]] = {name: [] for name in [*servers, *CACHED_PAGES]}
            for _ in range(args.rounds):  # interleaved, so drift hits them all alike
                for name, base in servers.items():
                    rates[name].append(measure(base, args.seconds, args.connections))
                for name, path in CACHED_PAGES.items():
                    rates[name].append(measure(nexus, args.seconds, args.connections, path))
    best = {name: max(values) for name, values in rates.items()}
    ratio = best["nexus"] / best["bare"]
    limited_ratio = best["sliding-window-batched"] / best["bare"]
    loader = "wrk -t1" if shutil.which("wrk") else "httpx (bench/load.py)"
    body_text = "\n".join(
        [
            f"`python -m bench.trending_throughput{' --quick' if args.quick else ''}`: "
            f"{loader}, {args.connections} keep-alive connections, {args.seconds} s x "
            f"{args.rounds} interleaved rounds (best kept), response of {len(body)} bytes, "
            f"Python {platform.python_version()}.",
            "",
            "| server | req/s | vs bare |",
            "|---|---:|---:|",
            f"| bare FastAPI endpoint, same bytes | {best['bare']:.0f} | 1.00 |",
            f"| Nexus, in-process response cache (default) | {best['nexus']:.0f} | {ratio:.2f} |",
            f"| Nexus, response cache off (Redis + a query per request) | "
            f"{best['uncached']:.0f} | {best['uncached'] / best['bare']:.2f} |",
            *(
                f"| Nexus, `{path}` (public response cache, same URL) | "
                f"{best[name]:.0f} | {best[name] / best['bare']:.2f} |"
                for name, path in CACHED_PAGES.items()
            ),
            *(
                f"| Nexus, cached, rate limits on ({strategy}, counted in Redis) | "
                f"{best[strategy]:.0f} | {best[strategy] / best['bare']:.2f} |"
                for strategy in STRATEGIES
            ),
            "",
            f"Target >= {TARGET}: {'met' if ratio >= TARGET else 'MISSED'}. With limits on "
            f"(the default strategy, sliding-window-batched) >= {LIMITED_TARGET}: "
            f"{'met' if limited_ratio >= LIMITED_TARGET else 'MISSED'}. Cached list and search "
            f"pages >= {TARGET}: "
            f"{'met' if min(best[n] for n in CACHED_PAGES) / best['bare'] >= TARGET else 'MISSED'}"
            " (hits arriving together check their version tokens in one Redis round trip).",
        ]
    )
    print(body_text)
    record("Trending: cached path against a bare endpoint", body_text)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small catalogue, short runs")
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    args.seconds = args.seconds or (3 if args.quick else 10)
    args.rounds = args.rounds or (1 if args.quick else 3)
    return args


if __name__ == "__main__":
    main(parse())
