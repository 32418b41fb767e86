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

from bench.accounts import sign_up
from bench.load import Request, percentiles, run_load

LIST = "/api/movies/?genre=drama&min_rating=5&ordering=-vote_average"

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
    [word] = (await title_words(base, pages=1))[:1]
    return _get("search", lambda: f"/api/movies/?search={word}")


async def new_searches(base: str, connections: int) -> Request:
    # Words of the catalogue's titles, each asked once while they last: no cache can answer.
    words = iter(await title_words(base, pages=20))
    return _get("search", lambda: f"/api/movies/?search={next(words, 'zzz')}")


async def title_words(base: str, pages: int) -> list[str]:
    """Distinct words (4 letters or more) of the titles on the first list pages, in order."""
    words: dict[str, None] = {}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for page in range(1, pages + 1):
            listing = await client.get("/api/movies/", params={"page": page})
            if listing.status_code != 200:
                break
            for movie in listing.json()["results"]:
                for word in re.findall(r"[a-z]{4,}", movie["title"].lower()):
                    words.setdefault(word)
    return list(words)


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
    ids = await catalogue_ids(base, pages=20)
    unrated = [iter(random.Random(n).sample(ids, len(ids))) for n in range(connections)]
    scores = itertools.cycle([1, 2, 3, 4, 5])

    async def rate(client: httpx.AsyncClient, worker: int) -> tuple[str, int]:
        body = {"movie": next(unrated[worker]), "score": next(scores)}
        response = await client.post("/api/ratings/", json=body, headers=headers[worker])
        return "rate", response.status_code

    return rate


async def catalogue_ids(base: str, pages: int) -> list[int]:
    """Ids of the first `pages` list pages, as many as each API gives a page."""
    ids: list[int] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for page in range(1, pages + 1):
            listing = await client.get("/api/movies/", params={"page": page})
            if listing.status_code == 404:
                break  # past the last page
            listing.raise_for_status()
            ids += [movie["id"] for movie in listing.json()["results"]]
            if not listing.json().get("next"):
                break
    return ids


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
