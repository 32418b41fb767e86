"""Two `nexus serve` processes on one PostgreSQL and one Redis, under load, stay consistent.

    python -m bench.two_processes [--quick] [--seconds 30]

While 32 connections browse both processes (anonymous reads, round robin), three probes run:
a user's limit (50/minute) is enforced exactly across both, a refresh token logged out on A is
refused on B, and a rating on A shows at once in B's recommendations and movie detail (both
cached in Redis by B before). The run fails if any probe or any load request fails.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random

import httpx

from bench.accounts import PASSWORD, movie_ids, sign_up
from bench.load import run_load
from bench.results import record
from bench.server import nexus_servers, scratch_database

USER_LIMIT = 50


async def exact_limit(a: str, b: str, headers: dict[str, str]) -> str:
    async with httpx.AsyncClient(timeout=30) as client:
        statuses = [
            (await client.get(f"{(a, b)[n % 2]}/api/auth/me/", headers=headers)).status_code
            for n in range(USER_LIMIT + 10)
        ]
    ok = statuses.count(200) == USER_LIMIT and statuses[USER_LIMIT:] == [429] * 10
    return f"{statuses.count(200)} of {len(statuses)} answered, the rest 429: " + _verdict(ok)


async def logout_everywhere(a: str, b: str) -> str:
    name = f"probe_{random.randrange(10**9)}"
    account = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    async with httpx.AsyncClient(timeout=30) as client:
        (await client.post(f"{a}/api/auth/register/", json=account)).raise_for_status()
        login = {"username": name, "password": PASSWORD}
        refresh = (await client.post(f"{b}/api/auth/token/", json=login)).json()["refresh"]
        (await client.post(f"{a}/api/auth/logout/", json={"refresh": refresh})).raise_for_status()
        after = await client.post(f"{b}/api/auth/token/refresh/", json={"refresh": refresh})
    return f"refresh on B after logout on A: {after.status_code}: " + _verdict(
        after.status_code == 401
    )


async def rating_seen_everywhere(a: str, b: str, headers: dict[str, str]) -> str:
    async with httpx.AsyncClient(timeout=30) as client:

        async def recommended() -> list[int]:
            found = await client.get(f"{b}/api/movies/recommendations/", headers=headers)
            return [item["id"] for item in found.json()]

        top = (await recommended())[0]
        before = (await client.get(f"{b}/api/movies/{top}/")).json()["ratings_count"]
        rated = await client.post(
            f"{a}/api/ratings/", json={"movie": top, "score": 5}, headers=headers
        )
        gone = top not in await recommended()
        after = (await client.get(f"{b}/api/movies/{top}/")).json()["ratings_count"]
    ok = rated.status_code == 201 and gone and after == before + 1
    return (
        f"rated on A ({rated.status_code}); on B the movie left the recommendations: {gone}, "
        f"its ratings_count {before} -> {after}: " + _verdict(ok)
    )


def _verdict(ok: bool) -> str:
    return "consistent" if ok else "INCONSISTENT"


async def measure(a: str, b: str, seconds: float) -> tuple[list[str], list[str]]:
    limited, rater = await sign_up(a, 2)
    ids = await movie_ids(a)
    rng = random.Random(3)

    async def browse(client: httpx.AsyncClient, worker: int) -> tuple[str, int]:
        base = (a, b)[worker % 2]
        if rng.random() < 0.5:
            response = await client.get(f"{base}/api/movies/{rng.choice(ids)}/")
            return "detail", response.status_code
        response = await client.get(f"{base}/api/movies/", params={"page": rng.randint(1, 10)})
        return "browse", response.status_code

    load = asyncio.create_task(
        run_load(a, browse, concurrency=32, seconds=seconds, max_requests=10**6)
    )
    await asyncio.sleep(min(2.0, seconds / 4))  # the probes run while the load is on
    probes = [
        await exact_limit(a, b, limited),
        await logout_everywhere(a, b),
        await rating_seen_everywhere(a, b, rater),
    ]
    result = await load
    return probes, [*result.rows(), "", f"{result.throughput:.0f} requests/s over both"]


def main(args: argparse.Namespace) -> None:
    sizes = (1000, 300, 20_000) if args.quick else (5000, 2000, 200_000)
    with (
        scratch_database(*sizes) as url,
        nexus_servers(
            url,
            2,
            RATE_LIMIT_ENABLED="true",
            RATE_LIMIT_ANONYMOUS="100000000/hour",
            RATE_LIMIT_AUTH="1000/minute",
            RATE_LIMIT_AUTHENTICATED=f"{USER_LIMIT}/minute",
        ) as (a, b),
    ):
        probes, rows = asyncio.run(measure(a, b, args.seconds))
    failed = [probe for probe in probes if "INCONSISTENT" in probe] + [
        row for row in rows if row.startswith("| all |") and row.split("|")[3].strip() != "0"
    ]
    body = "\n".join(
        [
            f"`python -m bench.two_processes{' --quick' if args.quick else ''}`: two `nexus "
            f"serve` processes, one PostgreSQL, one Redis; 32 connections browsing both for "
            f"{args.seconds:.0f} s while the probes ran (Python {platform.python_version()}).",
            "",
            *(f"- {probe}" for probe in probes),
            "",
            *rows,
        ]
    )
    print(body)
    record("Two processes, one PostgreSQL and one Redis", body)
    if failed:
        raise SystemExit(f"failed: {failed}")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small catalogue, 8 s")
    parser.add_argument("--seconds", type=float, default=None)
    args = parser.parse_args()
    args.seconds = args.seconds or (8.0 if args.quick else 30.0)
    return args


if __name__ == "__main__":
    main(parse())
