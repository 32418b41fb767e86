"""The public response cache on two app instances sharing one Redis, as two replicas: answers
are served from the cache (a change made behind its back is not seen), yet a staff edit, a TMDb
sync and an import are seen at once on the other instance, and a signed-in caller's answer is
never served to anyone else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text, update

from app.adapters.postgres.tables import movies
from app.adapters.redis.cache import RedisCache
from app.adapters.tmdb.client import HttpxTmdbClient
from app.bootstrap.settings import Settings
from app.cli.movielens import run_import
from app.cli.progress import ProgressBar
from app.domain.tmdb.sync import SyncCatalogue, SyncRequest
from tests.api.catalogue.seed import add_genres, add_movie
from tests.conftest import CreateUser, client_for
from tests.support.movielens_files import small_release

StartApp = Callable[[Settings], Awaitable[FastAPI]]


@pytest.fixture
def shared(make_settings: Callable[..., Settings], redis_url: str, redis_prefix: str) -> Settings:
    return make_settings(redis_url=redis_url, redis_key_prefix=redis_prefix, model_check_seconds=0)


async def retitle_behind_the_cache(app: FastAPI, movie_id: int, title: str) -> None:
    """A change no version knows of: a cached answer keeps the old title."""
    async with app.state.runtime.database.unit_of_work() as uow:
        statement = update(movies).where(movies.c.id == movie_id).values(title=title)
        await uow.connection.execute(statement)
        await uow.commit()


async def staff_headers(app: FastAPI, create_user: CreateUser) -> dict[str, str]:
    staff = await create_user("editor", is_staff=True)
    return {"Authorization": f"Bearer {app.state.runtime.tokens.issue_access(staff.user.id)}"}


async def titles(client: httpx.AsyncClient, url: str) -> list[str]:
    response = await client.get(url)
    assert response.status_code == 200, response.text
    return [movie["title"] for movie in response.json()["results"]]


async def test_answers_come_from_the_cache_until_a_staff_edit_on_the_other_instance(
    shared: Settings, start_app: StartApp, create_user: CreateUser
) -> None:
    a, b = await start_app(shared), await start_app(shared)
    await add_genres(a)
    movie = await add_movie(a, "Original Title", popularity=5.0)
    headers = await staff_headers(a, create_user)
    async with client_for(a) as on_a, client_for(b) as on_b:
        assert await titles(on_b, "/api/movies/") == ["Original Title"]
        detail = (await on_b.get(f"/api/movies/{movie.id}/")).json()
        assert detail["title"] == "Original Title"

        await retitle_behind_the_cache(a, movie.id, "Changed Unseen")
        assert await titles(on_b, "/api/movies/") == ["Original Title"]  # a cache hit
        assert (await on_b.get(f"/api/movies/{movie.id}/")).json()["title"] == "Original Title"

        patched = await on_a.patch(
            f"/api/movies/{movie.id}/", json={"title": "Edited"}, headers=headers
        )
        assert patched.status_code == 200, patched.text
        assert await titles(on_b, "/api/movies/") == ["Edited"]
        assert (await on_b.get(f"/api/movies/{movie.id}/")).json()["title"] == "Edited"


async def test_a_tmdb_sync_is_seen_at_once_on_both(
    shared: Settings, start_app: StartApp, tmdb_client: HttpxTmdbClient
) -> None:
    a, b = await start_app(shared), await start_app(shared)
    async with client_for(a) as on_a, client_for(b) as on_b:
        assert (await on_a.get("/api/movies/")).json()["count"] == 0
        assert (await on_b.get("/api/movies/")).json()["count"] == 0
        cache = RedisCache(a.state.runtime.redis, prefix=f"{shared.redis_key_prefix}cache:")
        sync = SyncCatalogue(tmdb_client, a.state.runtime.database, cache)
        report = await sync(SyncRequest(category="popular", pages=1, concurrency=1))
        assert report.created == 20
        assert (await on_a.get("/api/movies/")).json()["count"] == 20
        assert (await on_b.get("/api/movies/")).json()["count"] == 20


async def test_an_import_is_seen_at_once(shared: Settings, start_app: StartApp) -> None:
    b = await start_app(shared)
    # The schema seeds the TMDb genres (migration a7b1): start without them, as the import adds.
    async with b.state.runtime.database.unit_of_work() as uow:
        await uow.connection.execute(text("DELETE FROM genres"))
        await uow.commit()
    async with client_for(b) as on_b:
        assert (await on_b.get("/api/movies/?page_size=5")).json()["count"] == 0
        assert (await on_b.get("/api/genres/")).json() == []
        await run_import(shared, small_release(), None, ProgressBar())
        assert (await on_b.get("/api/movies/?page_size=5")).json()["count"] == 40
        assert (await on_b.get("/api/genres/")).json() != []


async def test_a_signed_in_answer_is_never_served_to_anyone_else(
    shared: Settings, start_app: StartApp, create_user: CreateUser
) -> None:
    a, b = await start_app(shared), await start_app(shared)
    movie = await add_movie(a, "Rated Here")
    alice = await create_user("alice")
    async with client_for(a) as on_a, client_for(b) as on_b:
        anonymous_first = (await on_b.get(f"/api/movies/{movie.id}/")).json()
        rated = await on_a.post(
            "/api/ratings/", json={"movie": movie.id, "score": 4}, headers=alice.headers
        )
        assert rated.status_code == 201, rated.text
        as_alice = (await on_b.get(f"/api/movies/{movie.id}/", headers=alice.headers)).json()
        anonymous = [(await on.get(f"/api/movies/{movie.id}/")).json() for on in (on_a, on_b)]
        as_alice_again = (await on_a.get(f"/api/movies/{movie.id}/", headers=alice.headers)).json()
    assert anonymous_first["my_rating"] is None
    assert as_alice["my_rating"]["score"] == 4 == as_alice_again["my_rating"]["score"]
    assert all(answer["my_rating"] is None for answer in anonymous)
    # A rating bumps the movie's own version: its figures are fresh at once everywhere.
    assert [answer["ratings_count"] for answer in anonymous] == [1, 1]


async def test_spellings_of_one_query_share_an_entry_and_filters_never_collide(
    shared: Settings, start_app: StartApp
) -> None:
    app = await start_app(shared)
    await add_genres(app)
    old = await add_movie(app, "Space Story", release_date="1999-05-01", popularity=2.0)
    await add_movie(app, "Space Return", release_date="2010-05-01", popularity=1.0)
    async with client_for(app) as client:
        await client.get("/api/movies/")  # the first answer teaches the route's parameters
        first = await client.get("/api/movies/?search=Space&page_size=20&genre_mode=any")
        assert [m["title"] for m in first.json()["results"]] == ["Space Story", "Space Return"]
        await retitle_behind_the_cache(app, old.id, "Changed Unseen")
        for spelling in ("?search=space", "?genre_mode=any&SEARCH=x&search=SPACE&unknown=1"):
            same = await client.get("/api/movies/" + spelling)
            assert same.content == first.content, spelling  # the same entry
        filtered = await titles(client, "/api/movies/?year=1999")  # computed now
        by_year = await titles(client, "/api/movies/?year=2010&year=1999")
    assert filtered == ["Changed Unseen"] == by_year  # the last `year` counts, as FastAPI reads it


async def test_a_social_write_is_seen_at_once_in_public_profiles_and_playlists(
    shared: Settings, start_app: StartApp, create_user: CreateUser
) -> None:
    a, b = await start_app(shared), await start_app(shared)
    carol = await create_user("carol")
    async with client_for(a) as on_a, client_for(b) as on_b:
        await on_b.get("/api/profiles/carol/")  # the first answer teaches the route's parameters
        before = (await on_b.get("/api/profiles/carol/")).json()  # stored
        created = await on_a.post(
            "/api/playlists/",
            json={"name": "Mine", "visibility": "public", "movie_ids": []},
            headers=carol.headers,
        )
        assert created.status_code == 201, created.text
        playlist = created.json()["id"]
        after = (await on_b.get("/api/profiles/carol/")).json()
        for _ in range(2):  # taught, then stored
            assert (await on_b.get(f"/api/playlists/{playlist}/")).json()["name"] == "Mine"

        renamed = await on_a.patch(
            f"/api/playlists/{playlist}/", json={"name": "Renamed"}, headers=carol.headers
        )
        assert renamed.status_code == 200, renamed.text
        shown = (await on_b.get(f"/api/playlists/{playlist}/")).json()
    assert after["public_playlists_count"] == before["public_playlists_count"] + 1
    assert shown["name"] == "Renamed"
