"""Password hashing runs in worker threads: while several sign-ins hash, the event loop keeps
ticking and a cheap request is answered at once. Measured against a control that hashes on the
loop in the same test, so that a loaded machine slows both sides alike."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import TypeVar

import httpx
import pytest
from fastapi import FastAPI

from app.adapters.security import passwords as password_module
from app.bootstrap.settings import Settings
from tests.conftest import client_for

T = TypeVar("T")

PASSWORD = "blue-Heron-42"


# A gap between two 1 ms probes longer than this is time the loop was blocked.
BLOCKED_GAP = 0.02


async def blocked_time(until: asyncio.Future) -> float:
    """How long the loop was blocked in total (gaps over BLOCKED_GAP between many small probes)
    until `until` is done. A sum, not the longest gap: a machine under load pauses the whole
    process now and then, which this sees only as a share, and a hash on the loop as a whole."""
    blocked, last = 0.0, time.perf_counter()
    while not until.done():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        if now - last > BLOCKED_GAP:
            blocked += now - last
        last = now
    return blocked


async def inline(function: Callable[..., T], /, *args: object) -> T:
    """`asyncio.to_thread` without the thread: the control runs the hash on the loop."""
    return function(*args)


async def sign_ins_blocking_time(client: httpx.AsyncClient) -> tuple[float, list[int]]:
    body = {"username": "alice", "password": PASSWORD}
    sign_ins = asyncio.gather(*(client.post("/api/auth/token/", json=body) for _ in range(4)))
    blocked = await blocked_time(sign_ins)
    return blocked, [response.status_code for response in await sign_ins]


async def test_sign_ins_do_not_stall_the_event_loop(
    make_settings: Callable[..., Settings],
    start_app: Callable[[Settings], Awaitable[FastAPI]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Production-like cost (about 0.1 s a hash): on the loop it would tower over any noise.
    settings = make_settings(password_hash_time_cost=3, password_hash_memory_kib=64 * 1024)
    app = await start_app(settings)
    async with client_for(app) as client:
        await client.post(
            "/api/auth/register/",
            json={"username": "alice", "email": "alice@example.com", "password": PASSWORD},
        )
        off_loop, statuses = await sign_ins_blocking_time(client)
        health_started = time.perf_counter()
        health = await client.get("/api/health/")
        health_time = time.perf_counter() - health_started

        # The control, same machine, same moment: the same sign-ins hashing on the loop.
        with monkeypatch.context() as patch:
            patch.setattr(password_module, "asyncio", SimpleNamespace(to_thread=inline))
            on_loop, control_statuses = await sign_ins_blocking_time(client)

    assert statuses == control_statuses == [200] * 4
    assert health.status_code == 200
    # The control is blocked for at least four whole hashes (plus whatever the machine adds);
    # off the loop, only the machine's own pauses remain.
    assert on_loop > 0, "the control never blocked the loop: it does not test anything"
    assert off_loop < on_loop / 4, (off_loop, on_loop)
    assert health_time < on_loop / 4, (health_time, on_loop)


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
