"""Mass assignment (OWASP API3): no request body sets what the server owns — ids, owners,
`is_staff`, slugs, rating aggregates (and TMDb's `vote_count` outside the staff routes) or
timestamps. Each write operation of the schema gets a valid body plus every such field, with
values nobody would choose; the answer is a 422 ("rejected": every body refuses unknown fields
by name rather than dropping them silently, which the original API's serializers did). MATRIX
pins what each operation does.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import CreateUser
from tests.security.schema import schema_paths
from tests.security.test_bola import filled
from tests.support.social_data import fetch_all, insert_movies

FORGED_ID = 987_654_321
FORGED_TIME = "2001-02-03T04:05:06Z"
FORGED_COUNT = 777

# Everything a client must not set; `vote_count` is TMDb's and staff may correct it.
SERVER_OWNED: dict[str, Any] = {
    "id": FORGED_ID,
    "owner": "{other_id}",
    "owner_id": "{other_id}",
    "user": "{other_id}",
    "user_id": "{other_id}",
    "is_staff": True,
    "is_active": False,
    "slug": "forged-slug",
    "ratings_count": FORGED_COUNT,
    "ratings_sum": FORGED_COUNT,
    "rating_average": 4.25,
    "movie_count": FORGED_COUNT,
    "created_at": FORGED_TIME,
    "updated_at": FORGED_TIME,
    "date_joined": FORGED_TIME,
    "added_at": FORGED_TIME,
}
NOT_FOR_MEMBERS = {"vote_count": FORGED_COUNT}
OWNER_FIELDS = {"owner", "owner_id", "user", "user_id"}
PASSWORD = "blue-Heron-42"

# label: (who calls, valid body, what the API does with the extra fields)
MATRIX: dict[str, tuple[str, dict[str, Any], str]] = {
    "POST /api/auth/register/": (
        "anonymous",
        {"username": "newcomer", "email": "n@example.com", "password": PASSWORD},
        "rejected",
    ),
    "POST /api/auth/token/": (
        "anonymous",
        {"username": "member", "password": PASSWORD},
        "rejected",
    ),
    "POST /api/auth/token/refresh/": ("anonymous", {"refresh": "{refresh}"}, "rejected"),
    "POST /api/auth/logout/": ("anonymous", {"refresh": "{refresh}"}, "rejected"),
    "PATCH /api/auth/me/": (
        "member",
        {"email": "moved@example.com", "current_password": PASSWORD},
        "rejected",
    ),
    "POST /api/movies/": ("staff", {"title": "Staff film"}, "rejected"),
    "PUT /api/movies/{movie_id}/": ("staff", {"title": "Renamed"}, "rejected"),
    "PATCH /api/movies/{movie_id}/": ("staff", {"overview": "changed"}, "rejected"),
    "POST /api/tmdb/import/": ("member", {"tmdb_id": 603}, "rejected"),
    "POST /api/ratings/": ("member", {"movie": "{spare}", "score": 4}, "rejected"),
    "PUT /api/ratings/{rating_id}/": ("member", {"score": 2}, "rejected"),
    "PATCH /api/ratings/{rating_id}/": ("member", {"review": "mine"}, "rejected"),
    "POST /api/playlists/": ("member", {"name": "Fresh"}, "rejected"),
    "PUT /api/playlists/{playlist_id}/": ("member", {"name": "Renamed"}, "rejected"),
    "PATCH /api/playlists/{playlist_id}/": ("member", {"description": "changed"}, "rejected"),
    "POST /api/playlists/{playlist_id}/add_movie/": ("member", {"movie_id": "{spare}"}, "rejected"),
    "POST /api/playlists/{playlist_id}/remove_movie/": (
        "member",
        {"movie_id": "{movie_id}"},
        "rejected",
    ),
    "POST /api/playlists/{playlist_id}/movies/": ("member", {"movie_id": "{spare}"}, "rejected"),
    "PUT /api/playlists/{playlist_id}/movies/order/": (
        "member",
        {"movie_ids": ["{movie_id}"]},
        "rejected",
    ),
    "PUT /api/profiles/me/": ("member", {"bio": "hello"}, "rejected"),
    "PATCH /api/profiles/me/": ("member", {"bio": "hello"}, "rejected"),
}


def write_operations() -> set[str]:
    return {
        f"{method.upper()} {path}"
        for path, item in schema_paths().items()
        for method, operation in item.items()
        if method in ("post", "put", "patch") and "requestBody" in operation
    }


def test_every_write_operation_is_in_the_matrix() -> None:
    assert write_operations() ^ MATRIX.keys() == set()


@pytest.fixture
async def values(app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser) -> dict:
    register = {"username": "member", "email": "member@example.com", "password": PASSWORD}
    assert (await client.post("/api/auth/register/", json=register)).status_code == 201
    credentials = {"username": "member", "password": PASSWORD}
    signed_in = await client.post("/api/auth/token/", json=credentials)
    member = {"Authorization": f"Bearer {signed_in.json()['access']}"}
    other = await create_user("other")
    staff = await create_user("staffer", is_staff=True)
    movie, spare = await insert_movies(app, 2)
    rating = await client.post("/api/ratings/", json={"movie": movie, "score": 3}, headers=member)
    playlist = await client.post(
        "/api/playlists/", json={"name": "Mine", "movie_ids": [movie]}, headers=member
    )
    return {
        "headers": {"member": member, "staff": staff.headers, "anonymous": {}},
        "refresh": signed_in.json()["refresh"],
        "other_id": other.user.id,
        "movie_id": movie,
        "spare": spare,
        "rating_id": rating.json()["id"],
        "playlist_id": playlist.json()["id"],
    }


def forged_fields(caller: str) -> dict[str, Any]:
    return SERVER_OWNED if caller == "staff" else {**SERVER_OWNED, **NOT_FOR_MEMBERS}


@pytest.mark.parametrize("label", sorted(MATRIX))
async def test_no_body_sets_what_the_server_owns(
    app: FastAPI, client: httpx.AsyncClient, values: dict, label: str
) -> None:
    caller, body, behaviour = MATRIX[label]
    method, path = label.split(" ", 1)
    payload = filled({**forged_fields(caller), **body}, values)
    response = await client.request(
        method, path.format(**values), json=payload, headers=values["headers"][caller]
    )

    assert behaviour == "rejected"
    assert response.status_code == 422, response.text
    unknown = {detail["field"] for detail in response.json()["error"]["details"]}
    assert unknown & SERVER_OWNED.keys(), response.text
    # Whatever the answer, the database holds none of it.
    promoted = "SELECT 1 FROM users WHERE is_staff AND username <> 'staffer'"
    assert await fetch_all(app, promoted) == []
    assert await fetch_all(app, "SELECT 1 FROM users WHERE NOT is_active") == []
    for table, owner in (("ratings", "user_id"), ("playlists", "owner_id")):
        forged = f"SELECT 1 FROM {table} WHERE id = :id OR {owner} = :other"
        assert await fetch_all(app, forged, id=FORGED_ID, other=values["other_id"]) == []
    assert await fetch_all(app, "SELECT 1 FROM playlists WHERE slug = 'forged-slug'") == []
    tampered_movies = (
        "SELECT 1 FROM movies WHERE id = :id OR ratings_count = :n OR vote_count = :n "
        "OR created_at < '2002-01-01'"
    )
    assert await fetch_all(app, tampered_movies, id=FORGED_ID, n=FORGED_COUNT) == []
