"""What a rate limit check costs the event loop: slowapi's way (limits' synchronous storage,
called from the loop) against ours (limits' async storage behind `FailoverRateLimiter`), with a
healthy Redis and with an unresponsive one.

    python -m bench.rate_limit [--redis redis://127.0.0.1:6379/0] [--hits 2000]

"Longest stall" is the longest gap seen by a task that wakes every millisecond while 100 clients
hit the limiter: how long every other request on the process would have waited.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import socket
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable

from limits import parse
from limits.storage import RedisStorage as SyncRedisStorage
from limits.strategies import MovingWindowRateLimiter as SyncMovingWindow

from app.adapters.rate_limiter import FailoverRateLimiter, RedisRateLimitStorage
from bench.results import record

ITEM = parse("1000000/hour")  # never refuses: we measure the cost of counting
Hit = Callable[[str], Awaitable[object]]


async def sequential(hit: Hit, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        await hit("client")
        times.append(time.perf_counter() - started)
    return times


async def concurrent(hit: Hit, clients: int, hits_each: int) -> tuple[float, float]:
    """(total seconds, longest loop stall) for `clients` tasks doing `hits_each` hits."""
    done = asyncio.Event()
    longest = 0.0

    async def ticker() -> None:
        nonlocal longest
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            longest, last = max(longest, now - last - 0.001), now

    async def client(number: int) -> None:
        for _ in range(hits_each):
            await hit(f"client-{number}")

    tick = asyncio.create_task(ticker())
    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    total = time.perf_counter() - started
    done.set()
    await tick
    return total, longest


def sync_hit(url: str, prefix: str, timeout: float) -> Hit:
    """slowapi's way: the synchronous storage, called straight from the coroutine."""
    storage = SyncRedisStorage(
        url, key_prefix=prefix, socket_timeout=timeout, socket_connect_timeout=timeout
    )
    limiter = SyncMovingWindow(storage)

    async def hit(key: str) -> object:
        try:
            limiter.hit(ITEM, key)
            return limiter.get_window_stats(ITEM, key)
        except Exception as error:  # slowapi would fail the request (or swallow it): count it
            return error

    return hit


def async_hit(url: str, prefix: str, timeout: float) -> tuple[Hit, Callable[[], Awaitable[None]]]:
    shared = RedisRateLimitStorage.connect(url, key_prefix=prefix, timeout=timeout)
    limiter = FailoverRateLimiter(shared.storage, timeout=timeout, retry_seconds=5)

    async def hit(key: str) -> object:
        return await limiter.hit(ITEM, key)

    async def close() -> None:
        await limiter.close()
        await shared.close()

    return hit, close


def unresponsive_redis() -> tuple[str, socket.socket]:
    """A port that accepts connections and never answers (a hung Redis, a black-holed host)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    return f"redis://127.0.0.1:{listener.getsockname()[1]}/0", listener


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


async def measure(url: str, hits: int) -> list[str]:
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    rows = [
        "| storage | Redis | mean per check | p99 per check | 100 clients x 20 | longest stall |"
    ]
    rows.append("|---|---|---|---|---|---|")
    timeout = 0.25
    sync = sync_hit(url, prefix + "s", timeout=0.5)
    ours, close = async_hit(url, prefix + "a", timeout)
    for name, hit in (("slowapi (sync limits)", sync), ("ours (async limits)", ours)):
        times = await sequential(hit, hits)
        total, stall = await concurrent(hit, 100, 20)
        p99 = statistics.quantiles(times, n=100)[98]
        rows.append(
            f"| {name} | healthy | {ms(statistics.fmean(times))} | {ms(p99)} "
            f"| {ms(total)} | {ms(stall)} |"
        )
    await close()

    dead_url, listener = unresponsive_redis()
    try:
        sync = sync_hit(dead_url, prefix, timeout=0.5)
        ours, close = async_hit(dead_url, prefix, timeout)
        for name, hit, count in (
            ("slowapi (sync limits)", sync, 4),
            ("ours (async limits)", ours, 50),
        ):
            times = await sequential(hit, count)
            total, stall = await concurrent(hit, 10 if count == 4 else 100, 2 if count == 4 else 20)
            rows.append(
                f"| {name} | hung | {ms(statistics.fmean(times))} | {ms(max(times))} (max) "
                f"| {ms(total)}{' (10 x 2)' if count == 4 else ''} | {ms(stall)} |"
            )
        await close()
    finally:
        listener.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--hits", type=int, default=2000)
    args = parser.parse_args()
    rows = asyncio.run(measure(args.redis, args.hits))
    body = "\n".join(
        [
            f"`python -m bench.rate_limit` (Redis on loopback, moving window, Python "
            f"{platform.python_version()}; time-outs: 0.5 s for the sync client as a typical "
            "setting, 0.25 s for ours (the default), which then skips Redis for 5 s)",
            "",
            *rows,
            "",
            "Per check: 2,000 sequential checks (hung: a few). `100 clients x 20`: wall time for "
            "100 concurrent tasks doing 20 checks each. Longest stall: the longest the event loop "
            "could not run anything else meanwhile (figures vary between runs on a shared "
            "machine). The synchronous client costs about the same "
            "per check but never yields, so the whole run is one stall; with a hung Redis it "
            "blocks the process for its socket time-out on every request. Ours pays the time-out "
            "once, then counts in the process until Redis answers again.",
        ]
    )
    print(body)
    record("Rate limit checks and the event loop", body)


if __name__ == "__main__":
    main()
