"""Security headers on every response — successes, every kind of error, the docs pages and their
assets, the metrics — and CORS answered for `CORS_ORIGINS` only, errors included. The header
values and the docs' CSP compatibility are checked in `tests/api/operations/test_operations.py`."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI

from app.bootstrap.settings import Settings
from app.web.request_ids import request_id_var
from tests.conftest import client_for
from tests.security.schema import schema_paths

REQUIRED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
StartApp = Callable[[Settings], Awaitable[FastAPI]]
ALLOWED, FOREIGN = "https://app.example", "https://evil.example"


def assert_protected(response: httpx.Response) -> None:
    where = f"{response.request.method} {response.request.url} -> {response.status_code}"
    for name, value in REQUIRED.items():
        assert response.headers.get(name) == value, (where, name)
    assert "default-src 'self'" in response.headers.get("content-security-policy", ""), where


async def test_every_response_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    responses = []
    for path in schema_paths():
        # Anonymous, with ids that exist nowhere: 200s, 401s, 404s and 422s alike.
        url = re.sub(r"\{[^}]+\}", "1", path)
        responses.append(await client.get(url))
        responses.append(await client.get(url, headers={"Authorization": "Bearer forged"}))
    docs = [await client.get(path) for path in ("/swagger/", "/redoc/", "/docs", "/openapi.json")]
    assets = re.findall(r'(?:src|href)="(/docs-static/[^"]+)"', docs[0].text + docs[1].text)
    assert assets, "the docs pages load no assets of their own"
    responses += docs + [await client.get(asset) for asset in assets]
    responses += [
        await client.get("/metrics"),
        await client.get("/api/no-such-thing/"),  # 404 from routing
        await client.delete("/healthz"),  # 405
        await client.post(
            "/api/ratings/", content=b"{", headers={"Content-Type": "application/json"}
        ),
        await client.post(
            "/api/auth/register/",
            content=b"x" * (1024 * 1024 + 1),
            headers={"Content-Type": "application/json"},
        ),  # 413
        await client.get("/api/movies/", params={"page": "-1"}),  # 422
    ]

    statuses = {response.status_code for response in responses}
    assert {200, 401, 404, 405, 413, 422} <= statuses, statuses
    for response in responses:
        assert_protected(response)


async def test_cors_answers_the_configured_origins_only(
    make_settings: Callable[..., Settings], start_app: StartApp, client: httpx.AsyncClient
) -> None:
    # No CORS_ORIGINS (the default): no origin is allowed anything.
    for origin in (ALLOWED, FOREIGN):
        plain = await client.get("/api/movies/", headers={"Origin": origin})
        preflight = await client.options(
            "/api/ratings/",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        )
        for response in (plain, preflight):
            assert "access-control-allow-origin" not in response.headers

    app = await start_app(make_settings(cors_origins=[ALLOWED]))
    async with client_for(app) as http:
        for path, expected in (("/api/movies/", 200), ("/api/auth/me/", 401), ("/api/x/", 404)):
            allowed = await http.get(path, headers={"Origin": ALLOWED})
            foreign = await http.get(path, headers={"Origin": FOREIGN})
            assert allowed.status_code == foreign.status_code == expected
            # An allowed front-end can read even the error; a foreign page cannot read anything.
            assert allowed.headers["access-control-allow-origin"] == ALLOWED
            assert "access-control-allow-origin" not in foreign.headers
            assert allowed.headers.get("access-control-allow-origin") != "*"
            assert_protected(allowed)
        refused = await http.options(
            "/api/ratings/",
            headers={"Origin": FOREIGN, "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in refused.headers


async def test_a_browser_reads_the_413_the_challenge_and_allow(
    make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    app = await start_app(make_settings(cors_origins=[ALLOWED]))
    async with client_for(app) as http:
        too_large = await http.post(
            "/api/auth/register/",
            content=b"x" * (app.state.settings.max_body_bytes + 1),
            headers={"Content-Type": "application/json", "Origin": ALLOWED},
        )
        challenged = await http.get(
            "/api/movies/", headers={"Authorization": "Bearer forged", "Origin": ALLOWED}
        )
    assert too_large.status_code == 413
    assert too_large.headers["access-control-allow-origin"] == ALLOWED
    assert challenged.status_code == 401
    exposed = {
        name.strip().lower()
        for name in challenged.headers["access-control-expose-headers"].split(",")
    }
    assert {"www-authenticate", "allow", "x-ratelimit-remaining"} <= exposed


class _RequestIds(logging.Handler):
    """Records the request id in force when each error is logged."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[tuple[str, bool]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((request_id_var.get(), record.exc_info is not None))


async def test_a_500_carries_the_request_id_the_headers_and_cors(
    make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    app = await start_app(make_settings(cors_origins=[ALLOWED]))

    async def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/broken/", broken)
    handler = _RequestIds()
    logging.getLogger().addHandler(handler)
    try:
        async with client_for(app) as http:
            response = await http.get(
                "/api/broken/", headers={"Origin": ALLOWED, "X-Request-ID": "trace-500"}
            )
    finally:
        logging.getLogger().removeHandler(handler)
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert response.headers["x-request-id"] == "trace-500"
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert_protected(response)
    assert ("trace-500", True) in handler.seen  # the traceback, under the same id


async def test_tokens_and_account_data_are_never_stored(client: httpx.AsyncClient) -> None:
    body = {"username": "keeper", "email": "keeper@example.com", "password": "blue-Heron-42"}
    registered = await client.post("/api/auth/register/", json=body)
    tokens = await client.post(
        "/api/auth/token/", json={"username": "keeper", "password": body["password"]}
    )
    bearer = {"Authorization": f"Bearer {tokens.json()['access']}"}
    private = [
        registered,
        tokens,
        await client.post("/api/auth/token/refresh/", json={"refresh": tokens.json()["refresh"]}),
        await client.post("/api/auth/token/", json={"username": "keeper", "password": "wrong"}),
        await client.get("/api/auth/me/", headers=bearer),
        await client.get("/api/profiles/me/", headers=bearer),
    ]
    assert [r.status_code for r in private] == [201, 200, 200, 401, 200, 200]
    for response in private:
        assert response.headers["cache-control"] == "no-store", response.request.url
        assert response.headers["pragma"] == "no-cache"
    assert "no-store" not in (await client.get("/api/movies/")).headers.get("cache-control", "")


async def test_hsts_only_when_served_over_https(
    make_settings: Callable[..., Settings], start_app: StartApp, client: httpx.AsyncClient
) -> None:
    assert "strict-transport-security" not in (await client.get("/healthz")).headers
    app = await start_app(make_settings(served_over_https=True))
    async with client_for(app) as http:
        for response in (await http.get("/healthz"), await http.get("/api/x/")):
            assert response.headers["strict-transport-security"].startswith("max-age=31536000")
