"""Genres by name, as the original API's clients send them: on movie writes (`genres` or
`genre_ids`) and on profile writes (`favorite_genres`), case-insensitive, with aliases; an
unknown genre is a 422 naming the field, never silently dropped."""

from __future__ import annotations

import httpx

from tests.conftest import CreateUser


async def test_staff_create_a_movie_with_genre_names(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    staff = await create_user("editor", is_staff=True)
    created = await client.post(
        "/api/movies/",
        json={"title": "Arrival", "genres": ["Drama", "sci-fi", 53]},
        headers=staff.headers,
    )
    assert created.status_code == 201, created.text
    assert [g["name"] for g in created.json()["genres"]] == ["Drama", "Science Fiction", "Thriller"]
    movie_id = created.json()["id"]
    patched = await client.patch(
        f"/api/movies/{movie_id}/", json={"genre_ids": ["ACTION"]}, headers=staff.headers
    )
    assert patched.status_code == 200
    assert patched.json()["genres"] == [{"id": 28, "name": "Action"}]
    for body, field in (
        ({"genres": ["Action", "Cooking"]}, "genres"),
        ({"genre_ids": [424242]}, "genre_ids"),
        ({"genres": ["Action"], "genre_ids": [28]}, "genres"),
    ):
        refused = await client.patch(f"/api/movies/{movie_id}/", json=body, headers=staff.headers)
        assert refused.status_code == 422, body
        assert refused.json()["error"]["details"][0]["field"] == field
    after = (await client.get(f"/api/movies/{movie_id}/")).json()
    assert after["genres"] == [{"id": 28, "name": "Action"}]


async def test_favorite_genres_by_name_or_id(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    patched = await client.patch(
        "/api/profiles/me/", json={"favorite_genres": ["Action", "Sci-Fi"]}, headers=alice.headers
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["favorite_genres"] == [
        {"id": 28, "name": "Action"},
        {"id": 878, "name": "Science Fiction"},
    ]
    mixed = await client.put(
        "/api/profiles/me/", json={"favorite_genres": [18, "comedy"]}, headers=alice.headers
    )
    assert [g["id"] for g in mixed.json()["favorite_genres"]] == [18, 35]
    unknown = await client.patch(
        "/api/profiles/me/", json={"favorite_genres": ["Telenovela"]}, headers=alice.headers
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"][0]["field"] == "favorite_genres"
    assert "Telenovela" in unknown.json()["error"]["message"]


async def test_the_movie_list_filters_by_alias(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/movies/", params={"genre": "Sci-Fi"})
    assert response.status_code == 200
