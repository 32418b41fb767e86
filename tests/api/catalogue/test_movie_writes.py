"""Staff-only writes: POST /api/movies/, PUT/PATCH/DELETE /api/movies/{id}/."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.api.catalogue.seed import add_genres, add_movie
from tests.conftest import CreateUser

NEW_MOVIE = {"title": "  Brand New  ", "tmdb_id": 777, "genre_ids": [28], "vote_average": 6.5}


async def count_movies(client: httpx.AsyncClient) -> int:
    return (await client.get("/api/movies/")).json()["count"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/movies/", NEW_MOVIE),
        ("PUT", "/api/movies/{id}/", NEW_MOVIE),
        ("PATCH", "/api/movies/{id}/", {"title": "Renamed"}),
        ("DELETE", "/api/movies/{id}/", None),
    ],
)
async def test_only_staff_write(
    app: FastAPI,
    client: httpx.AsyncClient,
    create_user: CreateUser,
    method: str,
    path: str,
    body: dict[str, object] | None,
) -> None:
    await add_genres(app)
    movie = await add_movie(app, "Kept")
    url = path.format(id=movie.id)
    anonymous = await client.request(method, url, json=body)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    user = await create_user("viewer")
    forbidden = await client.request(method, url, json=body, headers=user.headers)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "permission_denied"
    after = (await client.get(f"/api/movies/{movie.id}/")).json()
    assert after["title"] == "Kept"
    assert await count_movies(client) == 1
    staff = await create_user("editor", is_staff=True)
    allowed = await client.request(method, url, json=body, headers=staff.headers)
    assert allowed.status_code in {200, 201, 204}, allowed.text


async def test_create_replace_patch_delete(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    await add_genres(app)
    staff = await create_user("editor", is_staff=True)
    created = await client.post("/api/movies/", json=NEW_MOVIE, headers=staff.headers)
    assert created.status_code == 201
    movie = created.json()
    assert movie["title"] == "Brand New"
    assert movie["genres"] == [{"id": 28, "name": "Action"}]
    assert movie["rating_distribution"] == {str(n): 0 for n in range(1, 6)}
    url = f"/api/movies/{movie['id']}/"

    patched = await client.patch(
        url, json={"runtime": 95, "genre_ids": [35, 18]}, headers=staff.headers
    )
    assert patched.status_code == 200
    assert patched.json()["runtime"] == 95
    assert patched.json()["title"] == "Brand New"
    assert [g["id"] for g in patched.json()["genres"]] == [35, 18]

    replaced = await client.put(url, json={"title": "Only Title"}, headers=staff.headers)
    assert replaced.status_code == 200
    body = replaced.json()
    assert (body["title"], body["runtime"], body["genres"], body["tmdb_id"]) == (
        "Only Title",
        None,
        [],
        None,
    )
    # The catalogue's search follows the edit (generated columns).
    found = (await client.get("/api/movies/?search=only")).json()
    assert [m["id"] for m in found["results"]] == [movie["id"]]

    deleted = await client.delete(url, headers=staff.headers)
    assert deleted.status_code == 204
    assert (await client.get(url)).status_code == 404
    assert (await client.delete(url, headers=staff.headers)).status_code == 404


async def test_bad_writes_change_nothing(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    await add_genres(app)
    staff = await create_user("editor", is_staff=True)
    movie = await add_movie(app, "Original", tmdb_id=1)
    url = f"/api/movies/{movie.id}/"
    cases = [
        ("POST", "/api/movies/", {"title": ""}, 422, "title"),
        ("POST", "/api/movies/", {"title": "   "}, 422, "title"),
        ("POST", "/api/movies/", {"title": "X", "genre_ids": [999]}, 422, "genre_ids"),
        ("POST", "/api/movies/", {"title": "X", "vote_average": 11}, 422, "vote_average"),
        ("POST", "/api/movies/", {"title": "X", "tmdb_id": 1}, 409, "tmdb_id"),
        ("POST", "/api/movies/", {"title": "X", "release_date": "2020-13-01"}, 422, "release_date"),
        ("PATCH", url, {"title": None}, 422, "title"),
        ("PATCH", url, {"popularity": "lots"}, 422, "popularity"),
        ("PATCH", url, {"genre_ids": [28, 4242]}, 422, "genre_ids"),
        ("PUT", url, {"overview": "no title"}, 422, "title"),
        ("PATCH", "/api/movies/987654/", {"title": "Ghost"}, 404, "id"),
    ]
    for method, path, body, status, field in cases:
        response = await client.request(method, path, json=body, headers=staff.headers)
        assert response.status_code == status, (body, response.text)
        assert response.json()["error"]["details"][0]["field"] == field, (body, response.text)
    after = (await client.get(url)).json()
    assert (after["title"], after["genres"]) == ("Original", [])
    assert await count_movies(client) == 1
