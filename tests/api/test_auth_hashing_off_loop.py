"""Password hashing runs in worker threads: while several sign-ins hash, the event loop keeps
ticking and a cheap request is answered at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI

from app.settings import Settings
from tests.conftest import client_for

PASSWORD = "blue-Heron-42"


async def longest_stall(until: asyncio.Future) -> float:
    """The longest the loop went without running this coroutine, until `until` is done."""
    longest, last = 0.0, time.perf_counter()
    while not until.done():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    return longest


async def test_sign_ins_do_not_stall_the_event_loop(
    make_settings: Callable[..., Settings], start_app: Callable[[Settings], Awaitable[FastAPI]]
) -> None:
    # Production-like cost (about 0.1 s a hash): on the loop it would tower over any noise.
    settings = make_settings(password_hash_time_cost=3, password_hash_memory_kib=64 * 1024)
    app = await start_app(settings)
    started = time.perf_counter()
    await app.state.services.passwords.hash(PASSWORD)
    one_hash = time.perf_counter() - started
    body = {"username": "alice", "password": PASSWORD}
    async with client_for(app) as client:
        await client.post("/api/auth/register/", json={**body, "email": "alice@example.com"})

        sign_ins = asyncio.gather(*(client.post("/api/auth/token/", json=body) for _ in range(4)))
        stall = await longest_stall(sign_ins)
        health_started = time.perf_counter()
        health = await client.get("/api/health/")
        health_time = time.perf_counter() - health_started
        results = await sign_ins

    assert all(response.status_code == 200 for response in results)
    assert health.status_code == 200 and health_time < one_hash
    # On the loop, the loop would stall for at least one whole hash.
    assert stall < one_hash / 2, (stall, one_hash)


async def test_an_unknown_user_costs_as_much_as_a_wrong_password(
    make_settings: Callable[..., Settings], start_app: Callable[[Settings], Awaitable[FastAPI]]
) -> None:
    settings = make_settings(password_hash_time_cost=3, password_hash_memory_kib=64 * 1024)
    app = await start_app(settings)
    async with client_for(app) as client:
        await client.post(
            "/api/auth/register/",
            json={"username": "alice", "email": "alice@example.com", "password": PASSWORD},
        )

        times: dict[str, list[float]] = {"alice": [], "nobody": []}
        for _ in range(5):  # interleaved, so that a burst of load hits both alike
            for username, samples in times.items():
                started = time.perf_counter()
                response = await client.post(
                    "/api/auth/token/", json={"username": username, "password": "wrong-guess"}
                )
                samples.append(time.perf_counter() - started)
                assert response.status_code == 401
    wrong_password, unknown_user = (sorted(samples)[2] for samples in times.values())
    # Without the dummy hash an unknown user would answer in a few milliseconds.
    assert unknown_user > wrong_password / 3, (unknown_user, wrong_password)
