"""Broken object level authorization (OWASP API1): every operation that names an object — an id or
a slug or username in the path, or a TMDb id in the body — called by the object's owner, another
user, an anonymous caller and staff. Nothing private of another user is readable, nothing of
another user is writable, and a refused call changes nothing.

The operations come from the app's own OpenAPI schema: a new id-taking endpoint without an entry
in MATRIX fails `test_every_id_taking_operation_is_in_the_matrix`. Visibility variants of every
playlist call (public, unlisted, private) are in `tests/api/social/test_ownership.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import CreateUser
from tests.security.schema import schema_paths
from tests.support.social_data import insert_movies

ACTORS = ("other", "anonymous", "staff", "owner")  # owner last: its writes must not hide others'
SECRET_NAME = "owner's secret list"


@dataclass(frozen=True)
class Call:
    body: dict[str, Any] | None
    # Status per actor; an actor absent here gets `refused`.
    allowed: dict[str, int]
    refused: dict[str, int]


def owner_only(status: int, body: dict[str, Any] | None = None, *, hidden: bool = True) -> Call:
    """Writable by its owner alone; others see 404 when the object is private (its existence is
    not revealed) and anonymous callers are asked to sign in."""
    other = 404 if hidden else 403
    return Call(body, {"owner": status}, {"other": other, "staff": other, "anonymous": 401})


def everyone(status: int = 200) -> Call:
    return Call(None, {actor: status for actor in ACTORS}, {})


def staff_only(status: int, body: dict[str, Any] | None = None) -> Call:
    return Call(body, {"staff": status}, {"owner": 403, "other": 403, "anonymous": 401})


def signed_in(status: int, body: dict[str, Any] | None = None) -> Call:
    """About the caller, not about any object's owner: any signed-in user, no anonymous one."""
    return Call(body, {"owner": status, "other": status, "staff": status}, {"anonymous": 401})


MATRIX: dict[str, Call] = {
    "GET /api/movies/{movie_id}/": everyone(),
    "PUT /api/movies/{movie_id}/": staff_only(200, {"title": "Renamed"}),
    "PATCH /api/movies/{movie_id}/": staff_only(200, {"overview": "changed"}),
    "DELETE /api/movies/{movie_id}/": staff_only(204),
    "GET /api/movies/{movie_id}/match_score/": signed_in(200),
    "GET /api/movies/{movie_id}/similar/": everyone(),
    "GET /api/movies/{movie_id}/ratings/": everyone(),
    # No TMDb credentials in tests: a permitted import is the documented 503.
    "POST /api/tmdb/import/": signed_in(503, {"tmdb_id": 603}),
    # Ratings are public reviews (as on the original API); writing them is the owner's alone.
    "GET /api/ratings/{rating_id}/": everyone(),
    "PUT /api/ratings/{rating_id}/": owner_only(200, {"score": 2}, hidden=False),
    "PATCH /api/ratings/{rating_id}/": owner_only(200, {"review": "mine"}, hidden=False),
    "DELETE /api/ratings/{rating_id}/": owner_only(200, hidden=False),
    # The playlist is private.
    "GET /api/playlists/shared/{slug}/": Call(None, {"owner": 200}, dict.fromkeys(ACTORS[:3], 404)),
    "GET /api/playlists/{playlist_id}/": Call(None, {"owner": 200}, dict.fromkeys(ACTORS[:3], 404)),
    "PUT /api/playlists/{playlist_id}/": owner_only(200, {"name": "Renamed"}),
    "PATCH /api/playlists/{playlist_id}/": owner_only(200, {"description": "changed"}),
    "DELETE /api/playlists/{playlist_id}/": owner_only(204),
    "POST /api/playlists/{playlist_id}/add_movie/": owner_only(200, {"movie_id": "{spare}"}),
    "POST /api/playlists/{playlist_id}/remove_movie/": owner_only(200, {"movie_id": "{movie_id}"}),
    "POST /api/playlists/{playlist_id}/movies/": owner_only(201, {"movie_id": "{spare}"}),
    "DELETE /api/playlists/{playlist_id}/movies/{movie_id}/": owner_only(200),
    "PUT /api/playlists/{playlist_id}/movies/order/": owner_only(
        200, {"movie_ids": ["{movie_id}"]}
    ),
    # A public profile: anyone; what it must not show is checked in the test.
    "GET /api/profiles/{username}/": everyone(),
}

OBJECT_PARAMETERS = {"movie_id", "rating_id", "playlist_id", "slug", "username"}


def id_taking_operations() -> list[str]:
    labels = []
    for path, item in schema_paths().items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"}
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            body_ref = str(body.get("schema", {}))
            if names & OBJECT_PARAMETERS or "TmdbImport" in body_ref:
                labels.append(f"{method.upper()} {path}")
    return labels


def test_every_id_taking_operation_is_in_the_matrix() -> None:
    operations = set(id_taking_operations())
    assert operations - MATRIX.keys() == set(), "add these operations to MATRIX"
    assert MATRIX.keys() - operations == set(), "these operations no longer exist"


@dataclass
class World:
    people: dict[str, dict[str, str]]
    values: dict[str, Any]


@pytest.fixture
async def world(app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser) -> World:
    owner = await create_user("owner")
    people = {
        "owner": owner.headers,
        "other": (await create_user("other")).headers,
        "staff": (await create_user("staffer", is_staff=True)).headers,
        "anonymous": {},
    }
    movie, spare = await insert_movies(app, 2)
    rating = await client.post(
        "/api/ratings/", json={"movie": movie, "score": 4, "review": "r"}, headers=owner.headers
    )
    playlist = await client.post(
        "/api/playlists/",
        json={"name": SECRET_NAME, "visibility": "private", "movie_ids": [movie]},
        headers=owner.headers,
    )
    assert rating.status_code == 201 and playlist.status_code == 201
    values = {
        "movie_id": movie,
        "spare": spare,
        "rating_id": rating.json()["id"],
        "playlist_id": playlist.json()["id"],
        "slug": playlist.json()["slug"],
        "username": "owner",
    }
    return World(people, values)


def filled(template: Any, values: dict[str, Any]) -> Any:
    if isinstance(template, dict):
        return {key: filled(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [filled(value, values) for value in template]
    if isinstance(template, str) and template.startswith("{") and template.endswith("}"):
        return values[template[1:-1]]
    return template


async def owners_view(client: httpx.AsyncClient, world: World) -> list[Any]:
    """Everything a refused call could have changed, as the owner and staff see it."""
    values, owner = world.values, world.people["owner"]
    urls = (
        f"/api/movies/{values['movie_id']}/",
        f"/api/ratings/{values['rating_id']}/",
        f"/api/playlists/{values['playlist_id']}/",
    )
    return [(await client.get(url, headers=owner)).json() for url in urls]


@pytest.mark.parametrize("label", sorted(MATRIX))
async def test_the_owner_other_users_anonymous_and_staff(
    client: httpx.AsyncClient, world: World, label: str
) -> None:
    call = MATRIX[label]
    method, path = label.split(" ", 1)
    url = path.format(**world.values)
    body = filled(call.body, world.values)
    for actor in ACTORS:
        before = await owners_view(client, world)
        response = await client.request(method, url, json=body, headers=world.people[actor])
        expected = call.allowed.get(actor, call.refused.get(actor))
        assert response.status_code == expected, (actor, response.text)
        if actor in call.refused:
            assert set(response.json()["error"]) >= {"code", "message", "details"}
            assert SECRET_NAME not in response.text
            assert await owners_view(client, world) == before, f"{actor}'s refused call wrote"
        elif actor != "owner" and method == "GET":
            assert SECRET_NAME not in response.text, f"{actor} read the private playlist"
            assert "owner@example.com" not in response.text, f"{actor} read the owner's email"
