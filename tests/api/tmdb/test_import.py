"""`POST /api/tmdb/import/`: 201 imported, 200 already there, 404 not on TMDb."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.adapters.postgres.tables import genres, movies
from app.bootstrap.settings import Settings
from tests.conftest import CreateUser, SignedIn, client_for
from tests.support.fake_tmdb import Answer, FakeTmdb

StartApp = Callable[[Settings], Awaitable[FastAPI]]


@pytest.fixture
async def app(tmdb_settings: Settings, start_app: StartApp) -> FastAPI:
    """The shared `app` fixture, pointed at the fake TMDb (so `create_user` signs in here)."""
    return await start_app(tmdb_settings)


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as client:
        yield client


@pytest.fixture
async def alice(create_user: CreateUser) -> SignedIn:
    return await create_user("alice")


async def stored_movies(app: FastAPI) -> list[object]:
    async with app.state.runtime.database.unit_of_work() as uow:
        return list(await uow.connection.execute(select(movies)))


async def test_import_then_already_there(
    http: httpx.AsyncClient, alice: SignedIn, app: FastAPI, fake_tmdb: FakeTmdb
) -> None:
    first = await http.post("/api/tmdb/import/", json={"tmdb_id": 11}, headers=alice.headers)
    assert first.status_code == 201
    body = first.json()
    # The original API's `{message, movie}`, the movie's fields also at the top level.
    assert body["message"] == "Movie imported."
    assert body["movie"] == {k: v for k, v in body.items() if k not in ("message", "movie")}
    assert body["in_catalogue"] is True and isinstance(body["id"], int)
    assert body["title"] == "Star Wars" and body["runtime"] == 121
    assert body["imdb_id"] == "tt0076759" and body["tagline"].startswith("A long time ago")
    assert [genre["name"] for genre in body["genres"]] == ["Adventure", "Action", "Science Fiction"]

    calls = len(fake_tmdb.calls)
    again = await http.post("/api/tmdb/import/", json={"tmdb_id": 11}, headers=alice.headers)
    assert again.status_code == 200
    assert again.json()["message"] == "Movie already in the catalogue."
    assert again.json()["movie"] == body["movie"]
    assert len(fake_tmdb.calls) == calls  # answered from the catalogue
    assert len(await stored_movies(app)) == 1
    async with app.state.runtime.database.unit_of_work() as uow:
        names = {row.name for row in await uow.connection.execute(select(genres))}
    assert {"Adventure", "Action", "Science Fiction"} <= names


async def test_a_film_found_by_search_can_be_imported_and_is_then_marked(
    http: httpx.AsyncClient, alice: SignedIn
) -> None:
    found = (await http.get("/api/tmdb/search/", params={"q": "zombie fight"})).json()
    tmdb_id = found["results"][0]["tmdb_id"]
    imported = await http.post(
        "/api/tmdb/import/", json={"tmdb_id": tmdb_id}, headers=alice.headers
    )
    assert imported.status_code == 201
    # The search was cached, but the "in catalogue" mark is read from our database each time.
    again = (await http.get("/api/tmdb/search/", params={"q": "zombie fight"})).json()
    assert again["results"][0]["in_catalogue"] is True
    assert again["results"][0]["id"] == imported.json()["id"]


async def test_not_on_tmdb_is_404_and_writes_nothing(
    http: httpx.AsyncClient, alice: SignedIn, app: FastAPI
) -> None:
    response = await http.post(
        "/api/tmdb/import/", json={"tmdb_id": 987654321}, headers=alice.headers
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "TMDb has no movie with id 987654321."
    assert await stored_movies(app) == []


async def test_concurrent_imports_of_one_film_make_one_movie(
    http: httpx.AsyncClient, alice: SignedIn, app: FastAPI
) -> None:
    responses = await asyncio.gather(
        *(
            http.post("/api/tmdb/import/", json={"tmdb_id": 1_000_030}, headers=alice.headers)
            for _ in range(5)
        )
    )
    assert {r.status_code for r in responses} <= {200, 201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert len(await stored_movies(app)) == 1


async def test_signing_in_is_required(http: httpx.AsyncClient) -> None:
    response = await http.post("/api/tmdb/import/", json={"tmdb_id": 11})
    assert response.status_code == 401


async def test_a_bad_body_is_422(http: httpx.AsyncClient, alice: SignedIn) -> None:
    for body in ({}, {"tmdb_id": 0}, {"tmdb_id": "eleven"}, {"tmdb_id": 2**40}):
        response = await http.post("/api/tmdb/import/", json=body, headers=alice.headers)
        assert response.status_code == 422, body
        assert response.json()["error"]["details"][0]["field"] == "tmdb_id"


async def test_a_failing_tmdb_leaves_nothing_behind(
    http: httpx.AsyncClient, alice: SignedIn, app: FastAPI, fake_tmdb: FakeTmdb
) -> None:
    fake_tmdb.always("/movie/11", Answer.malformed_json())
    response = await http.post("/api/tmdb/import/", json={"tmdb_id": 11}, headers=alice.headers)
    assert response.status_code == 502 and response.json()["error"]["code"] == "tmdb_bad_response"
    assert await stored_movies(app) == []
