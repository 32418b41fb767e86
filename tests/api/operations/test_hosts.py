"""The Host header: refused outside the allowed hosts, never reflected into links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from app.bootstrap.settings import ConfigurationError, Settings, load_settings
from tests.conftest import client_for
from tests.support.social_data import insert_movies

StartApp = Callable[[Settings], Awaitable[FastAPI]]


async def test_a_host_outside_the_allowed_list_is_a_400_json(client: httpx.AsyncClient) -> None:
    for host in ("evil.example", "evil.example:8000", "localhost.evil.example"):
        response = await client.get("/api/movies/", headers={"Host": host})
        assert response.status_code == 400, host
        assert response.json()["error"]["code"] == "bad_request"
        assert "evil" not in response.text
        assert response.headers["x-request-id"]
    for host in ("localhost", "127.0.0.1:8000", "[::1]:8000", "testserver"):
        assert (await client.get("/healthz", headers={"Host": host})).status_code == 200, host


async def test_links_come_from_the_public_base_url_not_the_host_header(
    make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    settings = make_settings(
        public_base_url="https://nexus.example", allowed_hosts=["api.internal", "nexus.example"]
    )
    app = await start_app(settings)
    await insert_movies(app, 3)
    async with client_for(app) as client:
        page = await client.get(
            "/api/movies/?page_size=1&page=2", headers={"Host": "api.internal:8000"}
        )
        redirect = await client.get("/api/movies", headers={"Host": "api.internal"})
        refused = await client.get("/api/movies/", headers={"Host": "evil.example"})
    assert page.json()["next"] == "https://nexus.example/api/movies/?page_size=1&page=3"
    assert page.json()["previous"] == "https://nexus.example/api/movies/?page_size=1&page=1"
    assert redirect.status_code == 307
    assert redirect.headers["location"] == "https://nexus.example/api/movies/"
    assert refused.status_code == 400


async def test_without_a_public_base_url_links_use_an_allowed_host(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await insert_movies(app, 2)
    page = await client.get("/api/movies/?page_size=1", headers={"Host": "localhost:8000"})
    assert page.json()["next"] == "http://localhost:8000/api/movies/?page_size=1&page=2"


@pytest.mark.parametrize(
    ("environment", "setting"),
    [
        ({"NEXUS_ENV": "production", "JWT_SECRET": "k" * 20 + "abcdefghijklmn"}, "PUBLIC_BASE_URL"),
        ({"PUBLIC_BASE_URL": "https://example.com/api"}, "without a path"),
        ({"PUBLIC_BASE_URL": "ftp://example.com"}, "http(s)://"),
        ({"FORWARDED_ALLOW_IPS": "*, proxy.example"}, "'proxy.example'"),
    ],
)
def test_link_and_proxy_settings_are_checked(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], setting: str
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=setting.replace("(", r"\(").replace(")", r"\)")):
        load_settings(_env_file=None)


def test_allowed_hosts_default_to_the_public_host_and_loopback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    production = Settings(
        _env_file=None,  # type: ignore[call-arg]
        nexus_env="production",
        jwt_secret=SecretStr("k" * 20 + "abcdefghijklmn"),
        public_base_url="HTTPS://Nexus.Example:443/",
    )
    assert production.public_base_url == "https://nexus.example:443"
    assert production.trusted_hosts == ["nexus.example", "localhost", "127.0.0.1", "::1"]
    monkeypatch.setenv("ALLOWED_HOSTS", "A.example, *.b.example")
    configured = load_settings(_env_file=None)
    assert configured.trusted_hosts[:2] == ["a.example", "*.b.example"]
