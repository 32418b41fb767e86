"""GET /api/movies/{id}/similar/ and /api/movies/trending/ through the HTTP API."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from tests.conftest import CreateUser


async def test_similar_movies_are_neighbours_not_the_movie_itself(
    client: httpx.AsyncClient,
) -> None:
    movie = (await client.get("/api/movies/recommendations/", params={"limit": 1})).json()[0]
    response = await client.get(f"/api/movies/{movie['id']}/similar/", params={"limit": 5})
    assert response.status_code == 200
    items = response.json()
    assert len(items) == 5
    assert movie["id"] not in {item["id"] for item in items}
    similarities = [item["similarity"] for item in items]
    assert similarities == sorted(similarities, reverse=True) and similarities[0] > 0
    assert (await client.get("/api/movies/999999/similar/")).status_code == 404
    assert (await client.get(f"/api/movies/{movie['id']}/similar/?limit=0")).status_code == 422


async def test_an_unrated_movie_gets_content_neighbours(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with app.state.runtime.database.unit_of_work() as uow:
        genres = await uow.connection.scalar(text("SELECT genre_ids FROM movies WHERE id = 1"))
        new_id = await uow.connection.scalar(
            text("INSERT INTO movies (title, genre_ids) VALUES ('Brand new', :g) RETURNING id"),
            {"g": genres},
        )
        await uow.commit()
    items = (await client.get(f"/api/movies/{new_id}/similar/")).json()
    assert items
    assert set(genres) & {g["id"] for g in items[0]["genres"]}


async def test_trending_follows_recent_activity(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    before = (await client.get("/api/movies/trending/", params={"window": "day"})).json()
    quiet = before[-1]["id"]
    for name in ("fan1", "fan2", "fan3"):
        fan = await create_user(name)
        response = await client.post(
            "/api/ratings/", json={"movie": quiet, "score": 5}, headers=fan.headers
        )
        assert response.status_code == 201
    # Cached for a minute under this exact filter; another filter is computed afresh.
    week = await client.get("/api/movies/trending/", params={"window": "week", "limit": 5})
    assert week.status_code == 200
    top = week.json()[0]
    assert top["id"] == quiet and 0 < top["trending_score"] <= 1
    # Activity reads relative to the window's most active movie: 0..1, the top one is 1.
    assert top["activity"] == 1 and all(0 <= item["activity"] <= 1 for item in week.json())
    cached = (await client.get("/api/movies/trending/", params={"window": "day"})).json()
    assert [(i["id"], i["trending_score"]) for i in cached] == [
        (i["id"], i["trending_score"]) for i in before
    ]
    assert (
        next(i for i in cached if i["id"] == quiet)["ratings_count"] > before[-1]["ratings_count"]
    )
    response = await client.get("/api/movies/trending/", params={"window": "year"})
    assert response.status_code == 422
