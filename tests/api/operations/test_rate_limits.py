"""Tiered rate limits over HTTP: headers, 429, per-route tiers, Redis shared by two apps, and
falling back to per-process counting when Redis is unreachable."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from app.bootstrap.settings import Settings
from tests.conftest import CreateUser, client_for

StartApp = Callable[[Settings], Awaitable[FastAPI]]
HEALTH = "/api/health/"


def assert_limited(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) >= 1
    assert response.headers["x-ratelimit-limit"] == str(limit)
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert int(response.headers["x-ratelimit-reset"]) >= int(time.time())
    assert response.headers["x-request-id"]


async def test_anonymous_tier_then_429(
    make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    app = await start_app(make_settings(rate_limit_enabled=True, rate_limit_anonymous="3/minute"))
    async with client_for(app) as client:
        allowed = [await client.get(HEALTH) for _ in range(3)]
        refused = await client.get(HEALTH)
        outside_api = await client.get("/healthz")
    assert [r.status_code for r in allowed] == [200, 200, 200]
    assert [r.headers["x-ratelimit-remaining"] for r in allowed] == ["2", "1", "0"]
    assert all(r.headers["x-ratelimit-limit"] == "3" for r in allowed)
    assert_limited(refused, 3)
    assert outside_api.status_code == 200 and "x-ratelimit-limit" not in outside_api.headers


async def test_authenticated_users_count_apart_from_anonymous_callers(
    make_settings: Callable[..., Settings], start_app: StartApp, create_user: CreateUser
) -> None:
    settings = make_settings(
        rate_limit_enabled=True,
        rate_limit_anonymous="2/minute",
        rate_limit_authenticated="4/minute",
    )
    app = await start_app(settings)
    alice = await _create_user_on(app, create_user, "alice")
    bob = await _create_user_on(app, create_user, "bob")
    async with client_for(app) as client:
        assert [(await client.get(HEALTH)).status_code for _ in range(3)] == [200, 200, 429]
        as_alice = [(await client.get(HEALTH, headers=alice)).status_code for _ in range(5)]
        as_bob = await client.get(HEALTH, headers=bob)
    assert as_alice == [200, 200, 200, 200, 429]
    assert as_bob.status_code == 200 and as_bob.headers["x-ratelimit-limit"] == "4"


async def _create_user_on(app: FastAPI, create_user: CreateUser, name: str) -> dict[str, str]:
    # `create_user` writes through the first app's runtime; every app shares the database.
    signed_in = await create_user(name)
    token = app.state.runtime.tokens.issue_access(signed_in.user.id)
    return {"Authorization": f"Bearer {token}"}


async def test_sign_in_has_its_own_tighter_tier(
    make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    app = await start_app(make_settings(rate_limit_enabled=True, rate_limit_auth="2/minute"))
    body = {"username": "nobody", "password": "wrong-password"}
    async with client_for(app) as client:
        # A body refused with 422 spends nothing: a form's typo does not lock its user out.
        refused = [await client.post("/api/auth/token/", json={"username": "x"}) for _ in range(3)]
        attempts = [await client.post("/api/auth/token/", json=body) for _ in range(3)]
        register = await client.post("/api/auth/register/", json={**body, "email": "a@b.example"})
        elsewhere = await client.get(HEALTH)
    assert [r.status_code for r in refused] == [422, 422, 422]
    assert [r.status_code for r in attempts] == [401, 401, 429]
    assert attempts[0].headers["x-ratelimit-limit"] == "2"
    assert_limited(attempts[2], 2)
    assert_limited(register, 2)  # the same tier and IP
    assert elsewhere.status_code == 200 and elsewhere.headers["x-ratelimit-limit"] == "100"


async def test_token_refresh_counts_per_session_not_per_ip(
    make_settings: Callable[..., Settings], start_app: StartApp, create_user: CreateUser
) -> None:
    app = await start_app(
        make_settings(
            rate_limit_enabled=True,
            rate_limit_anonymous="2/minute",
            rate_limit_authenticated="3/minute",
        )
    )
    body = {"username": "alice", "email": "alice@example.com", "password": "blue-Heron-42"}
    async with client_for(app) as client:
        first = (await client.post("/api/auth/register/", json=body)).json()["refresh"]
        body = {**body, "username": "bob", "email": "bob@example.com"}
        second = (await client.post("/api/auth/register/", json=body)).json()["refresh"]
        refreshed = []
        for _ in range(3):  # past the anonymous tier of this one IP
            answer = await client.post("/api/auth/token/refresh/", json={"refresh": first})
            refreshed.append(answer)
            first = answer.json().get("refresh", first)
        other = await client.post("/api/auth/token/refresh/", json={"refresh": second})
        exhausted = await client.post("/api/auth/token/refresh/", json={"refresh": first})
    assert [r.status_code for r in refreshed] == [200, 200, 200]
    assert refreshed[0].headers["x-ratelimit-limit"] == "3"
    assert other.status_code == 200  # another session behind the same address
    assert exhausted.status_code == 429


async def test_disabled_limits_send_no_headers(client: httpx.AsyncClient) -> None:
    response = await client.get(HEALTH)
    assert response.status_code == 200 and "x-ratelimit-limit" not in response.headers


@pytest.mark.redis
async def test_two_apps_sharing_redis_enforce_one_limit(
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    redis_url: str,
    redis_prefix: str,
) -> None:
    settings = make_settings(
        rate_limit_enabled=True,
        rate_limit_anonymous="4/minute",
        redis_url=redis_url,
        redis_key_prefix=redis_prefix,
    )
    one, two = await start_app(settings), await start_app(settings)
    async with client_for(one) as first, client_for(two) as second:
        codes = [(await (first if i % 2 else second).get(HEALTH)).status_code for i in range(6)]
    assert codes == [200, 200, 200, 200, 429, 429]
    assert one.state.rate_limits.limiter.using_shared_storage


async def test_unreachable_redis_falls_back_to_per_process_limits(
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = make_settings(
        rate_limit_enabled=True,
        rate_limit_anonymous="2/minute",
        # Nothing listens on port 1: every Redis call fails at once.
        redis_url="redis://127.0.0.1:1/0",
        rate_limit_redis_timeout=0.2,
    )
    app = await start_app(settings)
    caplog.set_level(logging.WARNING, logger="app.adapters.rate_limiter")
    async with client_for(app) as client:
        started = time.perf_counter()
        codes = [(await client.get(HEALTH)).status_code for _ in range(3)]
        elapsed = time.perf_counter() - started
    assert codes == [200, 200, 429]
    assert elapsed < 1.0  # a dead Redis is skipped, not waited on for every request
    warnings = [r for r in caplog.records if "rate limit storage unavailable" in r.message]
    assert len(warnings) == 1


async def test_tmdb_search_has_its_own_tier_per_user(
    make_settings: Callable[..., Settings], start_app: StartApp, create_user: CreateUser
) -> None:
    app = await start_app(make_settings(rate_limit_enabled=True, rate_limit_tmdb_search="2/minute"))
    alice = await _create_user_on(app, create_user, "alice")
    bob = await _create_user_on(app, create_user, "bob")
    async with client_for(app) as client:
        # TMDb is not configured here (503): the tier is counted before the search runs.
        as_alice = [await client.get("/api/tmdb/search/?q=x", headers=alice) for _ in range(3)]
        as_bob = await client.get("/api/tmdb/search/?q=x", headers=bob)
    assert all(r.status_code != 429 for r in as_alice[:2])
    assert_limited(as_alice[2], 2)
    assert as_bob.status_code != 429 and as_bob.headers["x-ratelimit-remaining"] == "1"
