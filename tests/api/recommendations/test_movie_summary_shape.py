"""One movie summary shape in every list: the catalogue, trending, similar, recommendations
and playlist items all carry the same fields, plus their own."""

from __future__ import annotations

import httpx

from tests.conftest import CreateUser

SUMMARY = {
    "id",
    "tmdb_id",
    "title",
    "release_date",
    "poster_url",
    "genres",
    "vote_average",
    "popularity",
}


async def test_every_movie_list_carries_the_summary(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    catalogue = (await client.get("/api/movies/")).json()["results"]
    movie_id = catalogue[0]["id"]
    await client.post("/api/ratings/", json={"movie": movie_id, "score": 5}, headers=alice.headers)
    lists = {
        "catalogue": catalogue,
        "trending": (await client.get("/api/movies/trending/")).json(),
        "similar": (await client.get(f"/api/movies/{movie_id}/similar/")).json(),
        "recommendations": (
            await client.get("/api/movies/recommendations/", headers=alice.headers)
        ).json(),
    }
    playlist = await client.post(
        "/api/playlists/", json={"name": "Mine", "movie_ids": [movie_id]}, headers=alice.headers
    )
    lists["playlist items"] = playlist.json()["movies"]
    assert lists["playlist items"][0]["genres"] == catalogue[0]["genres"]
    for name, items in lists.items():
        assert items, name
        for item in items:
            assert set(item) >= SUMMARY, (name, SUMMARY - set(item))
            assert all(set(genre) == {"id", "name"} for genre in item["genres"]), name
