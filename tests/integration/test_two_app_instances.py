"""Two app instances on one PostgreSQL and one Redis, as two replicas behind a proxy: each has
its own engine, Redis client and in-process state, so only what they share can keep them
consistent. A shared limit holds exactly across both, a logout on A is refused on B, and a
rating on A is seen in what B serves. (`python -m bench.two_processes` does this with real
processes under load.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from app.adapters.postgres.recommender_models import PostgresModelStore
from app.bootstrap.settings import Settings
from app.cli.movielens import run_import
from app.cli.progress import ProgressBar
from app.model_fitting.building import build_and_store
from tests.conftest import client_for
from tests.support.movielens_files import small_release

StartApp = Callable[[Settings], Awaitable[FastAPI]]
PASSWORD = "two-replicas-Passw0rd"


@pytest.fixture
def shared(make_settings: Callable[..., Settings], redis_url: str, redis_prefix: str) -> Settings:
    return make_settings(redis_url=redis_url, redis_key_prefix=redis_prefix, model_check_seconds=0)


async def test_a_limit_is_enforced_exactly_across_both(
    shared: Settings, start_app: StartApp
) -> None:
    settings = shared.model_copy(
        update={"rate_limit_enabled": True, "rate_limit_anonymous": "7/minute"}
    )
    a, b = await start_app(settings), await start_app(settings)
    async with client_for(a) as on_a, client_for(b) as on_b:
        statuses = [
            (await (on_a if n % 2 else on_b).get("/api/movies/")).status_code for n in range(10)
        ]
    assert statuses == [200] * 7 + [429] * 3


async def test_a_logout_on_one_is_refused_on_the_other(
    shared: Settings, start_app: StartApp
) -> None:
    a, b = await start_app(shared), await start_app(shared)
    account = {"username": "replica", "email": "replica@example.com", "password": PASSWORD}
    async with client_for(a) as on_a, client_for(b) as on_b:
        assert (await on_a.post("/api/auth/register/", json=account)).status_code == 201
        login = {"username": "replica", "password": PASSWORD}
        tokens = (await on_b.post("/api/auth/token/", json=login)).json()
        assert (
            await on_a.post("/api/auth/logout/", json={"refresh": tokens["refresh"]})
        ).is_success
        refreshed = await on_b.post("/api/auth/token/refresh/", json={"refresh": tokens["refresh"]})
    assert refreshed.status_code == 401
    assert refreshed.json()["error"]["code"]


async def test_a_rating_on_one_is_seen_in_what_the_other_serves(
    shared: Settings, start_app: StartApp
) -> None:
    await run_import(shared, small_release(), None, ProgressBar())
    a = await start_app(shared)
    await build_and_store(a.state.runtime.database, lambda uow: PostgresModelStore(uow.connection))
    b = await start_app(shared)
    account = {"username": "viewer", "email": "viewer@example.com", "password": PASSWORD}
    async with client_for(a) as on_a, client_for(b) as on_b:
        await on_a.post("/api/auth/register/", json=account)
        login = {"username": "viewer", "password": PASSWORD}
        token = (await on_a.post("/api/auth/token/", json=login)).json()["access"]
        headers = {"Authorization": f"Bearer {token}"}
        served = await recommended(on_b, headers)  # now cached in Redis for this user
        top = served[0]
        detail_before = (await on_b.get(f"/api/movies/{top}/")).json()  # cached too

        rated = await on_a.post("/api/ratings/", json={"movie": top, "score": 5}, headers=headers)
        assert rated.status_code == 201

        assert top not in await recommended(on_b, headers)  # a rated movie is never recommended
        detail_after = (await on_b.get(f"/api/movies/{top}/")).json()
    assert detail_after["ratings_count"] == detail_before["ratings_count"] + 1


async def recommended(client: httpx.AsyncClient, headers: dict[str, str]) -> list[int]:
    response = await client.get(
        "/api/movies/recommendations/", params={"limit": 10}, headers=headers
    )
    assert response.status_code == 200
    return [item["id"] for item in response.json()]
