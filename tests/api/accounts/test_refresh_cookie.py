"""The optional refresh cookie: HttpOnly, SameSite=Strict, scoped to /api/auth/; a refresh or
sign-out by cookie needs the CSRF token handed out with it; CORS allows credentials only then,
and only for the configured origins."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI

from app.bootstrap.settings import Settings
from tests.conftest import client_for

PASSWORD = "blue-Heron-42"
ORIGIN = "https://app.example"
StartApp = Callable[[Settings], Awaitable[FastAPI]]


async def _cookie_app(make_settings: Callable[..., Settings], start_app: StartApp) -> FastAPI:
    return await start_app(
        make_settings(
            refresh_cookie_enabled=True, refresh_cookie_secure=False, cors_origins=[ORIGIN]
        )
    )


async def test_refresh_and_sign_out_by_cookie_with_the_csrf_token(
    make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    app = await _cookie_app(make_settings, start_app)
    body = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
    async with client_for(app) as client:
        registered = await client.post("/api/auth/register/", json=body)
        cookie = registered.headers.get_list("set-cookie")
        csrf = registered.json()["csrf_token"]
        assert csrf and any(c.startswith("nexus_refresh=") for c in cookie)
        for line in cookie:
            assert "HttpOnly" in line and "SameSite=strict" in line and "Path=/api/auth/" in line
        forged = await client.post("/api/auth/token/refresh/", json={})
        assert forged.status_code == 403
        assert forged.json()["error"]["code"] == "csrf_failed"
        wrong = await client.post(
            "/api/auth/token/refresh/", json={}, headers={"X-CSRF-Token": "x"}
        )
        assert wrong.status_code == 403
        refreshed = await client.post(
            "/api/auth/token/refresh/", json={}, headers={"X-CSRF-Token": csrf}
        )
        assert refreshed.status_code == 200, refreshed.text
        assert refreshed.json()["csrf_token"] == csrf  # one per session
        signed_out = await client.post("/api/auth/logout/", json={}, headers={"X-CSRF-Token": csrf})
        assert signed_out.status_code == 204
        assert 'nexus_refresh=""' in signed_out.headers.get("set-cookie", "")
        again = await client.post(
            "/api/auth/token/refresh/", json={}, headers={"X-CSRF-Token": csrf}
        )
        assert again.status_code == 401  # no cookie left and none in the body
        assert again.json()["error"]["code"] == "not_authenticated"
        preflight = await client.options(
            "/api/auth/token/refresh/",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-csrf-token,content-type",
            },
        )
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert preflight.headers["access-control-allow-origin"] == ORIGIN


async def test_without_the_setting_no_cookie_and_no_credentials(
    client: httpx.AsyncClient, make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    body = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
    registered = await client.post("/api/auth/register/", json=body)
    assert "set-cookie" not in registered.headers and registered.json()["csrf_token"] is None
    missing = await client.post("/api/auth/token/refresh/", json={})
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "not_authenticated"
    app = await start_app(make_settings(cors_origins=[ORIGIN]))
    async with client_for(app) as http:
        preflight = await http.options(
            "/api/auth/token/refresh/",
            headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
        )
    assert "access-control-allow-credentials" not in preflight.headers
