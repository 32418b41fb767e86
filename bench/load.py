"""A bounded load generator: fixed concurrency over keep-alive connections, stopped by a request
count or a deadline, whichever comes first; latencies kept per kind of request."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

# One request: given a client and the worker's number, send it and return (kind, status).
Request = Callable[[httpx.AsyncClient, int], Awaitable[tuple[str, int]]]


@dataclass
class LoadResult:
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def rows(self) -> list[str]:
        """A Markdown table: per kind and overall, count, errors, req/s and percentiles (ms)."""
        lines = [
            "| kind | requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        everything = [v for values in self.latencies.values() for v in values]
        kinds = [*sorted(self.latencies.items()), ("all", everything)]
        for kind, values in kinds:
            errors = sum(self.errors.values()) if kind == "all" else self.errors.get(kind, 0)
            p50, p95, p99 = percentiles(values)
            rate = len(values) / self.seconds if self.seconds else 0.0
            lines.append(
                f"| {kind} | {len(values)} | {errors} | {rate:.0f} | "
                f"{p50:.1f} | {p95:.1f} | {p99:.1f} |"
            )
        return lines


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return (values[0] * 1000,) * 3 if values else (0.0, 0.0, 0.0)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


async def run_load(
    base_url: str,
    request: Request,
    *,
    concurrency: int,
    seconds: float,
    max_requests: int,
    warmup: int = 0,
) -> LoadResult:
    """`concurrency` workers, each on its own keep-alive connection, sending `request` until
    `seconds` passed or `max_requests` were sent. A non-2xx status or an exception is an error:
    nothing is retried."""
    assert base_url.startswith("http://127.0.0.1:"), "benchmarks stay on loopback"
    result = LoadResult()
    if warmup:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            for n in range(warmup):
                await request(client, n % concurrency)
    sent = 0
    deadline = time.perf_counter() + seconds

    async def worker(number: int) -> None:
        # One client, one connection per worker: a shared pool would leave some connections
        # idle past the server's keep-alive time-out, then reuse them as the server closes them.
        nonlocal sent
        one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base_url, limits=one, timeout=30) as client:
            while sent < max_requests and time.perf_counter() < deadline:
                sent += 1
                started = time.perf_counter()
                try:
                    kind, status = await request(client, number)
                except httpx.HTTPError as error:
                    kind, status = type(error).__name__, 0
                result.latencies[kind].append(time.perf_counter() - started)
                if not 200 <= status < 300:
                    result.errors[kind] += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result
