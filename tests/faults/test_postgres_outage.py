"""PostgreSQL stops while the app runs: requests that need it get a quick 503 with the error body
(bounded connect and pool time-outs, no hang); once it is back, the same app answers again within
5 s, without a restart (the pool pre-pings and reconnects)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI

from app.bootstrap.settings import Settings
from app.cli import run_migrations
from tests.conftest import client_for
from tests.faults.conftest import sign_in
from tests.faults.servers import ThrowawayPostgres

# Any request with a bearer token loads its user from the database.
NEEDS_DATABASE = "/api/auth/me/"
RECOVERY_SECONDS = 5.0
OUTAGE_ANSWER_SECONDS = 3.0


async def test_an_outage_is_a_quick_503_and_recovery_needs_no_restart(
    throwaway_postgres: ThrowawayPostgres,
    make_settings: Callable[..., Settings],
    start_app: Callable[[Settings], Awaitable[FastAPI]],
) -> None:
    await asyncio.to_thread(run_migrations, throwaway_postgres.url)
    settings = make_settings(
        database_url=throwaway_postgres.url,
        database_pool_timeout=1.0,
        database_connect_timeout=1.0,
    )
    app = await start_app(settings)
    member = await sign_in(app)

    async with client_for(app, timeout=30) as http:
        assert (await http.get(NEEDS_DATABASE, headers=member)).status_code == 200

        throwaway_postgres.stop()
        for _ in range(3):  # the pooled connection is dead, then new ones are refused
            started = time.monotonic()
            during = await http.get(NEEDS_DATABASE, headers=member)
            assert time.monotonic() - started < OUTAGE_ANSWER_SECONDS
            assert during.status_code == 503, during.text
            assert during.json()["error"]["code"] == "service_unavailable"
            assert during.headers["retry-after"]
        ready = await http.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["error"]["checks"]["database"] == "unavailable"

        throwaway_postgres.start()
        back = time.monotonic()
        while True:
            after = await http.get(NEEDS_DATABASE, headers=member)
            if after.status_code == 200:
                break
            assert time.monotonic() - back < RECOVERY_SECONDS, after.text
            await asyncio.sleep(0.1)
        assert (await http.get("/readyz")).status_code == 200
