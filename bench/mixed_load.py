"""A mixed workload against `nexus serve`: browse, search, detail, rate, recommend.

    python -m bench.mixed_load [--quick] [--seconds 60] [--connections 64] [--workers 1]

One `nexus serve` process (`--workers` workers, rate limits off, Redis on loopback) on a scratch
database seeded by `nexus seed-synthetic`; 64 keep-alive connections from the asyncio generator in
`bench/load.py`, each its own signed-in user, for 60 s (bounded in requests too). Every answer
must be a 2xx: the run fails otherwise. Records p50/p95/p99 per kind and the throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import platform
import random

import httpx

from bench.accounts import movie_ids, sign_up
from bench.load import run_load
from bench.results import record
from bench.server import nexus_servers, scratch_database

# Out of 20 requests: what a browsing public does most, and some writes.
MIX = ["browse"] * 6 + ["search"] * 4 + ["detail"] * 6 + ["rate"] * 2 + ["recommend"] * 2
WORDS = ["love", "night", "star", "the", "dark", "war", "city", "last", "man", "blue"]


async def measure(base: str, connections: int, seconds: float) -> tuple[list[str], int]:
    headers = await sign_up(base, connections)
    ids = await movie_ids(base)
    # Each worker rates movies in its own order, never the same one twice: no 409 by design.
    # Enough of them for a worker's five minutes at a thousand requests a second over all.
    rateable = await movie_ids(base, pages=40)
    unrated = [
        itertools.cycle(random.Random(n).sample(rateable, len(rateable)))
        for n in range(connections)
    ]
    rng = random.Random(7)

    async def request(client: httpx.AsyncClient, worker: int) -> tuple[str, int]:
        kind = rng.choice(MIX)
        if kind == "browse":
            params: dict[str, str | int] = {
                "page": rng.randint(1, 20),
                "ordering": rng.choice(["-popularity", "title"]),
            }
            response = await client.get("/api/movies/", params=params)
        elif kind == "search":
            response = await client.get("/api/movies/", params={"search": rng.choice(WORDS)})
        elif kind == "detail":
            response = await client.get(f"/api/movies/{rng.choice(ids)}/")
        elif kind == "rate":
            body = {"movie": next(unrated[worker]), "score": rng.randint(1, 5)}
            response = await client.post("/api/ratings/", json=body, headers=headers[worker])
        else:
            response = await client.get(
                "/api/movies/recommendations/", params={"limit": 10}, headers=headers[worker]
            )
        return kind, response.status_code

    result = await run_load(
        base, request, concurrency=connections, seconds=seconds, max_requests=2_000_000
    )
    return [*result.rows(), "", f"{result.throughput:.0f} requests/s overall"], sum(
        result.errors.values()
    )


def main(args: argparse.Namespace) -> None:
    sizes = (2000, 500, 50_000) if args.quick else (10_000, 5000, 500_000)
    with scratch_database(*sizes) as url, nexus_servers(url, workers=args.workers) as (base,):
        rows, errors = asyncio.run(measure(base, args.connections, args.seconds))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    body = "\n".join(
        [
            f"`python -m bench.mixed_load{' --quick' if args.quick else ''}`: {args.connections} "
            f"connections (one user each) for {args.seconds:.0f} s against `nexus serve` with "
            f"{args.workers} worker(s) and Redis; catalogue of {sizes[0]} movies, "
            f"{sizes[1]} users, {sizes[2]} seeded ratings; mix per 20 requests: 6 browse, "
            f"4 search, 6 detail, 2 rate, 2 recommend. Load generator on the same 2 cores "
            f"(httpx, Python {platform.python_version()}); load average after: {load}.",
            "",
            *rows,
            "",
            f"Errors: {errors} (zero required).",
        ]
    )
    print(body)
    record("Mixed workload at 64 connections", body)
    if errors:
        raise SystemExit(f"{errors} requests failed")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small catalogue, 10 s")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    args.seconds = args.seconds or (10.0 if args.quick else 60.0)
    return args


if __name__ == "__main__":
    main(parse())
