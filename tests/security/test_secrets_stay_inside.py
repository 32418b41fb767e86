"""No password (plain or hashed), refresh token or its stored record, JWT secret or TMDb credential
in any response body or any log line. Responses: every GET of the schema, called by the owner of
every object it names. Logs: captured at DEBUG, every logger, through register → sign in →
refresh → TMDb search with an API key (the credential style that travels in the query string)."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from app.bootstrap.settings import Settings
from tests.conftest import TEST_JWT_SECRET, client_for
from tests.security.schema import schema_paths
from tests.support.fake_tmdb import API_KEY, FakeTmdb
from tests.support.social_data import fetch_all, insert_movies

PASSWORD = "blue-Heron-42"
StartApp = Callable[[Settings], Awaitable[FastAPI]]
QUERIES = {"/api/tmdb/search/": {"q": "fight club"}}


@pytest.fixture
async def tmdb_app(
    make_settings: Callable[..., Settings], fake_tmdb: FakeTmdb, start_app: StartApp
) -> FastAPI:
    settings = make_settings(
        tmdb_base_url=fake_tmdb.base_url,
        tmdb_api_key=API_KEY,
        tmdb_timeout_seconds=5,
        log_level="DEBUG",
    )
    return await start_app(settings)


async def signed_up(client: httpx.AsyncClient) -> dict[str, str]:
    account = {"username": "owner", "email": "owner@example.com", "password": PASSWORD}
    assert (await client.post("/api/auth/register/", json=account)).status_code == 201
    credentials = {"username": account["username"], "password": account["password"]}
    tokens = await client.post("/api/auth/token/", json=credentials)
    assert tokens.status_code == 200
    refreshed = await client.post(
        "/api/auth/token/refresh/", json={"refresh": tokens.json()["refresh"]}
    )
    assert refreshed.status_code == 200
    return {**refreshed.json(), "first_refresh": tokens.json()["refresh"]}


async def secrets_of(app: FastAPI, tokens: dict[str, str]) -> dict[str, str]:
    rows = await fetch_all(app, "SELECT password_hash FROM users WHERE username = 'owner'")
    records = await fetch_all(app, "SELECT jti_hash, family_id FROM refresh_tokens")
    found = {
        "password": PASSWORD,
        "password hash": rows[0].password_hash,
        "jwt secret": TEST_JWT_SECRET,
        "tmdb api key": API_KEY,
        "refresh token": tokens["refresh"],
        "spent refresh token": tokens["first_refresh"],
    }
    for number, record in enumerate(records):
        found[f"refresh record {number} hash"] = record.jti_hash
        # The family id is the session's handle; logs may not name it either.
        found[f"refresh record {number} family"] = str(record.family_id)
    return found


def leaks(text: str, secrets: dict[str, str]) -> list[str]:
    named = [name for name, secret in secrets.items() if secret and secret in text]
    if re.search(r"\$argon2|\$2[aby]\$|jti_hash|password_hash", text):
        named.append("a hash or its column")
    return named


async def test_no_response_body_holds_a_secret(tmdb_app: FastAPI) -> None:
    async with client_for(tmdb_app) as client:
        tokens = await signed_up(client)
        owner = {"Authorization": f"Bearer {tokens['access']}"}
        movie, _ = await insert_movies(tmdb_app, 2)
        rating = await client.post(
            "/api/ratings/", json={"movie": movie, "score": 5, "review": "r"}, headers=owner
        )
        playlist = await client.post(
            "/api/playlists/", json={"name": "Mine", "movie_ids": [movie]}, headers=owner
        )
        values = {
            "movie_id": movie,
            "rating_id": rating.json()["id"],
            "playlist_id": playlist.json()["id"],
            "slug": playlist.json()["slug"],
            "username": "owner",
        }
        secrets = await secrets_of(tmdb_app, tokens)
        paths = [path for path, item in schema_paths().items() if "get" in item]
        checked = 0
        for path in [*paths, "/metrics", "/openapi.json", "/swagger/", "/redoc/"]:
            response = await client.get(
                path.format(**values), params=QUERIES.get(path), headers=owner
            )
            assert response.status_code < 500 or path in ("/readyz",), (path, response.text)
            assert leaks(response.text, secrets) == [], path
            checked += 1
    assert checked == len(paths) + 4


async def test_no_log_line_holds_a_secret(
    tmdb_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with client_for(tmdb_app) as client:
        tokens = await signed_up(client)
        owner = {"Authorization": f"Bearer {tokens['access']}"}
        search = await client.get("/api/tmdb/search/", params={"q": "fight club"}, headers=owner)
        assert search.status_code == 200
        secrets = {
            **await secrets_of(tmdb_app, tokens),
            "access token": tokens["access"],
        }

    lines = [record.getMessage() for record in caplog.records]
    lines += [str(record.__dict__) for record in caplog.records]  # extras are logged too
    assert any("tmdb" in line.lower() for line in lines), "the TMDb call was not logged at all"
    for line in lines:
        assert leaks(line, secrets) == [], line
