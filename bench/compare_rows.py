"""The rows of `bench.compare_original`: the requests each sends, the same on both servers (the
paths and parameters both APIs share), and the resident memory of a server's processes."""

from __future__ import annotations

import asyncio
import itertools
import random
import re
import shutil
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.accounts import sign_up
from bench.load import percentiles, run_load

LIST = "/api/movies/?genre=drama&min_rating=5&ordering=-vote_average"

ORDERINGS = ("-popularity", "-vote_average", "-release_date", "popularity")


@dataclass(frozen=True)
class Planned:
    """One request of a plan, replayed in order (and round again when the run outlasts it)."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


Setup = Callable[[str, int], Awaitable[list[Planned]]]


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    setup: Setup  # (base URL, connections) -> the requests to replay
    empties_original_cache: bool = False
    target: float = 2.0  # Nexus's throughput over the original's, at least


async def same_list(base: str, connections: int) -> list[Planned]:
    return [Planned("GET", LIST)]


_distinct_runs = itertools.count()


async def distinct_lists(base: str, connections: int) -> list[Planned]:
    # Every run its own URLs (the last decimal), so that no run reads what an earlier one cached:
    # the row measures the uncached path on both servers, run after run.
    run = next(_distinct_runs) % 10
    return [
        Planned("GET", f"{LIST}&min_popularity={n / 1000 + run / 10_000:.4f}")
        for n in range(200_000)
    ]


async def same_search(base: str, connections: int) -> list[Planned]:
    [word] = (await title_words(base, pages=1))[:1]
    return [Planned("GET", f"/api/movies/?search={word}")]


async def new_searches(base: str, connections: int) -> list[Planned]:
    # Title words in every ordering, each asked once while they last: no cache can answer.
    words = await title_words(base, pages=50)
    return [
        Planned("GET", f"/api/movies/?search={word}&ordering={ordering}")
        for ordering in ORDERINGS
        for word in words
    ]


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


async def cached_recommendations(base: str, connections: int) -> list[Planned]:
    [headers] = await sign_up(base, 1)
    path = "/api/movies/recommendations/?limit=20"
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        (await client.get(path, headers=headers)).raise_for_status()  # computed and cached
    return [Planned("GET", path, headers)]


async def rating_posts(base: str, connections: int) -> list[Planned]:
    """Each user rates movies it never rated: every request is a new rating."""
    headers = await sign_up(base, connections)
    ids = await catalogue_ids(base, pages=50)
    unrated = [random.Random(n).sample(ids, len(ids)) for n in range(connections)]
    json = {"Content-Type": "application/json"}
    return [
        Planned("POST", "/api/ratings/", {**headers[user], **json}, body(movies[k], k))
        for k in range(len(ids))
        for user, movies in enumerate(unrated)
    ]


def body(movie: int, n: int) -> bytes:
    return b'{"movie": %d, "score": %d}' % (movie, n % 5 + 1)


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
        target=1.5,
    ),
)


async def measure_row(
    row: Row, base: str, connections: int, seconds: float
) -> tuple[float, float, int]:
    """(requests a second, p95 in ms, non-2xx answers) for one row on one server."""
    plan = await row.setup(base, connections)
    if shutil.which("wrk"):
        return await asyncio.to_thread(replay_with_wrk, plan, base, connections, seconds)
    cycle = itertools.cycle(plan)

    async def send(client: httpx.AsyncClient, worker: int) -> tuple[str, int]:
        planned = next(cycle)
        response = await client.request(
            planned.method, planned.path, headers=planned.headers, content=planned.body or None
        )
        return row.name, response.status_code

    result = await run_load(
        base, send, concurrency=connections, seconds=seconds, max_requests=10**7
    )
    everything = [v for values in result.latencies.values() for v in values]
    return result.throughput, percentiles(everything)[1], sum(result.errors.values())


def replay_with_wrk(
    plan: list[Planned], base: str, connections: int, seconds: float
) -> tuple[float, float, int]:
    """wrk on one thread replays the plan's requests in order; p95 from wrk's own histogram."""
    host = base.removeprefix("http://")
    texts = [_http_request(planned, host) for planned in plan]
    lua = "\n".join(
        [
            "local requests = {",
            *(f"{_lua_string(text)}," for text in texts),
            "}",
            "local n, i = #requests, 0",
            "request = function() i = i % n + 1; return requests[i] end",
            "done = function(summary, latency, requests)",
            '  io.write(string.format("p95_us %d\\n", latency:percentile(95)))',
            "end",
        ]
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(lua)
        script.flush()
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:.0f}s", "--timeout", "30s"]
        out = subprocess.run(
            [*command, "-s", script.name, base], capture_output=True, text=True, check=True
        ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p95 = int(re.search(r"p95_us (\d+)", out).group(1)) / 1000  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = sum(int(n) for n in errors.groups()) if errors else 0
    return rate, p95, (int(bad.group(1)) if bad else 0) + failed


def _lua_string(text: str) -> str:
    # A quoted literal: Lua's long brackets would turn the \r\n line ends into \n.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "\\r").replace("\n", "\\n") + '"'


def _http_request(planned: Planned, host: str) -> str:
    headers = {"Host": host, **planned.headers}
    if planned.body:
        headers["Content-Length"] = str(len(planned.body))
    lines = [
        f"{planned.method} {planned.path} HTTP/1.1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return "\r\n".join(lines) + "\r\n\r\n" + planned.body.decode()


@dataclass(frozen=True)
class Memory:
    """Resident memory, in MiB, of a server's supervising process and of each of its workers."""

    supervisor: float
    workers: list[float]

    @property
    def total(self) -> float:
        return self.supervisor + sum(self.workers)


def memory_mib(base: str) -> Memory:
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
    # The supervisor (gunicorn's arbiter, uvicorn's) is the one whose parent is none of them.
    resident: dict[int, float] = {}
    parents: dict[int, int] = {}
    for pid in seen:
        status = Path(f"/proc/{pid}/status")
        if not status.exists():
            continue
        text = status.read_text()
        found = re.search(r"VmRSS:\s+(\d+) kB", text)
        parent = re.search(r"PPid:\s+(\d+)", text)
        resident[pid] = int(found.group(1)) / 1024 if found else 0.0
        parents[pid] = int(parent.group(1)) if parent else 0
    roots = [pid for pid in resident if parents[pid] not in resident]
    supervisor = roots[0] if len(roots) == 1 and len(resident) > 1 else None
    workers = [mib for pid, mib in resident.items() if pid != supervisor]
    return Memory(resident[supervisor] if supervisor is not None else 0.0, sorted(workers))
