"""GET /api/movies/{id}/, the shelves, the genres, and routes other routers add later."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, FastAPI
from sqlalchemy import insert, update

from app.adapters.postgres.tables import movies, ratings
from app.bootstrap.settings import Settings
from app.main import create_app
from tests.api.catalogue.seed import add_genres, add_movie
from tests.conftest import CreateUser, client_for

ORIGINAL_FIELDS = {
    "id",
    "tmdb_id",
    "title",
    "overview",
    "release_date",
    "release_year",
    "poster_path",
    "backdrop_path",
    "poster_url",
    "vote_average",
    "vote_count",
    "popularity",
    "runtime",
    "genres",
    "created_at",
    "updated_at",
}


async def rate(app: FastAPI, user_id: int, movie_id: int, score: int) -> None:
    async with app.state.runtime.database.unit_of_work() as uow:
        await uow.connection.execute(
            insert(ratings).values(user_id=user_id, movie_id=movie_id, score=score, review=" ok")
        )
        await uow.connection.execute(
            update(movies)
            .where(movies.c.id == movie_id)
            .values(
                ratings_count=movies.c.ratings_count + 1,
                ratings_sum=movies.c.ratings_sum + score,
            )
        )
        await uow.commit()


async def test_detail_has_the_original_fields_and_local_aggregates(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    await add_genres(app)
    movie = await add_movie(
        app,
        "Amélie",
        tmdb_id=194,
        release_date="2001-04-25",
        genre_ids=(35, 10749),
        poster_path="/poster.jpg",
        original_language="fr",
        original_title="Le Fabuleux Destin",
    )
    alice, bob = await create_user("alice"), await create_user("bob")
    await rate(app, alice.user.id, movie.id, 5)
    await rate(app, bob.user.id, movie.id, 4)

    anonymous = (await client.get(f"/api/movies/{movie.id}/")).json()
    assert set(anonymous) >= ORIGINAL_FIELDS
    assert anonymous["release_year"] == 2001
    assert anonymous["genres"] == [{"id": 35, "name": "Comedy"}, {"id": 10749, "name": "Romance"}]
    assert anonymous["poster_url"] == "https://image.tmdb.org/t/p/w500/poster.jpg"
    assert anonymous["backdrop_url"] is None
    assert anonymous["original_language"] == "fr"
    assert anonymous["ratings_count"] == 2
    assert anonymous["rating_average"] == 4.5
    assert anonymous["rating_distribution"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}
    assert anonymous["my_rating"] is None

    mine = (await client.get(f"/api/movies/{movie.id}/", headers=alice.headers)).json()
    assert mine["my_rating"]["score"] == 5
    assert mine["my_rating"]["username"] == "alice"
    assert mine["my_rating"]["movie"] == movie.id
    carol = await create_user("carol")
    theirs = (await client.get(f"/api/movies/{movie.id}/", headers=carol.headers)).json()
    assert theirs["my_rating"] is None


async def test_unknown_and_malformed_ids(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/movies/424242/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    huge = await client.get("/api/movies/99999999999999999999999/")
    assert huge.status_code == 422
    assert huge.json()["error"]["details"][0]["field"] == "movie_id"
    assert (await client.get("/api/movies/abc/")).status_code == 404
    bad_token = await client.get("/api/movies/1/", headers={"Authorization": "Bearer nope"})
    assert bad_token.status_code == 401


async def test_recent_and_top_rated(app: FastAPI, client: httpx.AsyncClient) -> None:
    today = date.today()
    await add_movie(
        app, "Old", release_date=today - timedelta(days=900), vote_average=9.5, vote_count=99
    )
    await add_movie(
        app, "New", release_date=today - timedelta(days=1), vote_average=7, vote_count=100
    )
    await add_movie(
        app, "Future", release_date=today + timedelta(days=30), vote_average=8, vote_count=5000
    )
    # Recent: the latest added to the catalogue (the original API's meaning), whatever the
    # release date; recent releases are the list ordered by release date.
    recent = (await client.get("/api/movies/recent/")).json()
    assert [m["title"] for m in recent] == ["Future", "New", "Old"]
    releases = await client.get(
        "/api/movies/", params={"ordering": "-release_date", "year_lte": today.year}
    )
    assert [m["title"] for m in releases.json()["results"]][-2:] == ["New", "Old"]
    top = (await client.get("/api/movies/top_rated/")).json()
    assert [m["title"] for m in top] == ["Future", "New"]


async def test_the_schema_comes_with_tmdbs_19_genres_by_name(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/genres/")
    names = [g["name"] for g in response.json()]
    assert len(names) == 19 and names == sorted(names)
    assert {"Action", "Science Fiction", "TV Movie", "Western"} <= set(names)
    assert {"id": 878, "name": "Science Fiction"} in response.json()


async def test_a_fixed_path_added_later_is_not_taken_for_an_id(settings: Settings) -> None:
    app = create_app(settings)
    later = APIRouter()

    @later.get("/api/movies/added_later/")
    async def added_later() -> dict[str, str]:
        return {"route": "later"}

    @later.get("/api/movies/{movie_id:int}/added_later/")
    async def added_later_for(movie_id: int) -> dict[str, int]:
        return {"similar_to": movie_id}

    app.include_router(later)
    async with LifespanManager(app), client_for(app) as client:
        assert (await client.get("/api/movies/added_later/")).json() == {"route": "later"}
        assert (await client.get("/api/movies/7/added_later/")).json() == {"similar_to": 7}


async def test_every_catalogue_path_is_documented(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    item = paths["/api/movies/{movie_id}/"]
    assert set(item) >= {"get", "put", "patch", "delete"}
    assert {"401", "403", "404", "422"} <= set(item["patch"]["responses"])
    assert item["delete"]["security"]
    listing = paths["/api/movies/"]["get"]
    assert "MovieOut" in str(listing["responses"]["200"])
    assert {p["name"] for p in listing["parameters"]} >= {
        "title",
        "year",
        "year_gte",
        "year_lte",
        "min_rating",
        "max_rating",
        "min_popularity",
        "min_runtime",
        "max_runtime",
        "genre",
        "genre_mode",
        "language",
        "min_votes",
        "search",
        "ordering",
        "page",
        "page_size",
    }
    for path in ("/api/movies/recent/", "/api/movies/top_rated/", "/api/genres/"):
        assert "200" in paths[path]["get"]["responses"]
