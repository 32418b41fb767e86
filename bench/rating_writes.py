"""Rating writes per second through the API: `POST /api/ratings/` only.

    python -m bench.rating_writes [--quick] [--seconds 20] [--connections 32]

One `nexus serve` process (one worker, rate limits off, Redis on loopback) on a scratch database
seeded by `nexus seed-synthetic`. Each connection is its own user and never rates a movie twice,
so every write is a real insert: the rating row, the movie's aggregates and the cache entries a
rating makes stale, in one transaction. Every answer must be 201.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import platform
import random

import httpx

from bench.accounts import movie_ids, sign_up
from bench.load import run_load
from bench.results import record
from bench.server import nexus_servers, scratch_database


async def measure(base: str, connections: int, seconds: float) -> tuple[list[str], float, int]:
    headers = await sign_up(base, connections)
    ids = await movie_ids(base, pages=20)
    unrated = [iter(random.Random(n).sample(ids, len(ids))) for n in range(connections)]
    scores = itertools.cycle([1, 2, 3, 4, 5])

    async def rate(client: httpx.AsyncClient, worker: int) -> tuple[str, int]:
        body = {"movie": next(unrated[worker]), "score": next(scores)}
        response = await client.post("/api/ratings/", json=body, headers=headers[worker])
        return "rate", response.status_code

    # Bounded: no user rates more movies than the catalogue pages it was given.
    limit = connections * len(ids)
    result = await run_load(
        base, rate, concurrency=connections, seconds=seconds, max_requests=limit
    )
    return result.rows(), result.throughput, sum(result.errors.values())


def main(args: argparse.Namespace) -> None:
    sizes = (2000, 500, 50_000) if args.quick else (10_000, 5000, 500_000)
    with scratch_database(*sizes) as url, nexus_servers(url) as (base,):
        rows, rate, errors = asyncio.run(measure(base, args.connections, args.seconds))
    body = "\n".join(
        [
            f"`python -m bench.rating_writes{' --quick' if args.quick else ''}`: "
            f"{args.connections} connections (one user each) for {args.seconds:.0f} s, one "
            f"`nexus serve` worker with Redis, {sizes[2]} seeded ratings; httpx generator on the "
            f"same 2 cores, Python {platform.python_version()}.",
            "",
            *rows,
            "",
            f"**{rate:.0f} rating writes/s**, errors: {errors} (zero required).",
        ]
    )
    print(body)
    record("Rating writes per second", body)
    if errors:
        raise SystemExit(f"{errors} writes failed")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small catalogue, 5 s")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    args.seconds = args.seconds or (5.0 if args.quick else 20.0)
    return args


if __name__ == "__main__":
    main(parse())
