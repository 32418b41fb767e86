"""The rows of `bench.compare_original`: the requests each sends, the same on both servers (the
paths and parameters both APIs share), and the resident memory of a server's processes."""

from __future__ import annotations

import itertools
import random
import re
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.accounts import movie_ids, sign_up
from bench.load import Request, percentiles, run_load

LIST = "/api/movies/?genre=drama&min_rating=5&ordering=-vote_average&page=2"
SEARCH_WORDS = (
    "love", "night", "war", "man", "life", "dark", "house", "girl", "day", "blood", "city",
    "king", "time", "home", "last", "world", "star", "story", "dead", "big", "lost", "little",
)  # fmt: skip

Setup = Callable[[str, int], Awaitable[Request]]


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    setup: Setup  # (base URL, connections) -> the request each connection repeats
    empties_original_cache: bool = False


async def same_list(base: str, connections: int) -> Request:
    return _get("list", lambda: LIST)


async def distinct_lists(base: str, connections: int) -> Request:
    counter = itertools.count()
    return _get("list", lambda: f"{LIST}&min_popularity={next(counter) / 1000:.3f}")


async def same_search(base: str, connections: int) -> Request:
    return _get("search", lambda: "/api/movies/?search=love")


async def new_searches(base: str, connections: int) -> Request:
    words = itertools.cycle(SEARCH_WORDS)
    counter = itertools.count()
    # A word and a page never asked before: no cache anywhere can answer it.
    return _get("search", lambda: f"/api/movies/?search={next(words)}&page={next(counter) % 5 + 1}")


async def cached_recommendations(base: str, connections: int) -> Request:
    [headers] = await sign_up(base, 1)
    path = "/api/movies/recommendations/?limit=20"
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        (await client.get(path, headers=headers)).raise_for_status()  # computed and cached

    async def get(client: httpx.AsyncClient, worker: int) -> tuple[str, int]:
        return "recommendations", (await client.get(path, headers=headers)).status_code

    return get


async def rating_posts(base: str, connections: int) -> Request:
    headers = await sign_up(base, connections)
    ids = await movie_ids(base, pages=20)
    unrated = [iter(random.Random(n).sample(ids, len(ids))) for n in range(connections)]
    scores = itertools.cycle([1, 2, 3, 4, 5])

    async def rate(client: httpx.AsyncClient, worker: int) -> tuple[str, int]:
        body = {"movie": next(unrated[worker]), "score": next(scores)}
        response = await client.post("/api/ratings/", json=body, headers=headers[worker])
        return "rate", response.status_code

    return rate


def _get(kind: str, path: Callable[[], str]) -> Request:
    async def get(client: httpx.AsyncClient, worker: int) -> tuple[str, int]:
        return kind, (await client.get(path())).status_code

    return get


ROWS = (
    Row("list_same", "filtered, ordered list page, same URL", same_list),
    Row("list_distinct", "the same list, distinct URLs (no cache anywhere)", distinct_lists),
    Row("search_same", "search, same URL", same_search),
    Row("search_new", "search, a new word each request", new_searches),
    Row("recommendations", "recommendations, cached, one user", cached_recommendations),
    Row(
        "rating_post",
        "rating POST, the original's Redis empty (its best case)",
        rating_posts,
        empties_original_cache=True,
    ),
)


async def measure_row(
    row: Row, base: str, connections: int, seconds: float
) -> tuple[float, float, int]:
    """(requests a second, p95 in ms, errors) for one row on one server."""
    request = await row.setup(base, connections)
    # Bounded: a rating run never asks a user to rate more movies than it was given.
    result = await run_load(
        base, request, concurrency=connections, seconds=seconds, max_requests=connections * 400
    )
    everything = [v for values in result.latencies.values() for v in values]
    return result.throughput, percentiles(everything)[1], sum(result.errors.values())


def memory_mib(base: str) -> float:
    """Resident memory of the processes listening on `base`'s port and all their children."""
    port = base.rsplit(":", 1)[1]
    listing = subprocess.run(
        ["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True, check=False
    ).stdout
    pids = {int(pid) for pid in re.findall(r"pid=(\d+)", listing)}
    seen: set[int] = set()
    while pids:
        pid = pids.pop()
        if pid in seen:
            continue
        seen.add(pid)
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            pids.update(int(child) for child in children.read_text().split())
    total_kib = 0  # the supervisor holds the socket too (gunicorn, uvicorn --workers)
    for pid in seen:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            found = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
            total_kib += int(found.group(1)) if found else 0
    return total_kib / 1024
