"""The original API's clients post forms: JSON, `application/x-www-form-urlencoded` and
`multipart/form-data` are one body to every write, and an unknown field is refused by name."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.conftest import CreateUser
from tests.support.social_data import insert_movies

PASSWORD = "blue-Heron-42"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def test_registration_and_sign_in_take_all_three_bodies(client: httpx.AsyncClient) -> None:
    body = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
    as_form = await client.post("/api/auth/register/", data=body)
    assert as_form.status_code == 201, as_form.text
    multipart = await client.post(
        "/api/auth/token/",
        data={"username": "alice", "password": PASSWORD},
        files={"unused": (None, "")},  # forces multipart/form-data, as the original's tests did
    )
    assert multipart.status_code == 422  # `unused` is not a field: named, not dropped
    assert [d["field"] for d in multipart.json()["error"]["details"]] == ["unused"]
    signed_in = await client.post(
        "/api/auth/token/",
        content=_multipart({"username": "alice", "password": PASSWORD}),
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["access"]


BOUNDARY = "nexus-boundary"


def _multipart(fields: dict[str, str | list[str]]) -> bytes:
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'
            )
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()


async def test_ratings_and_playlists_take_forms_with_typed_values(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    first, second = await insert_movies(app, 2)
    rating = await client.post(
        "/api/ratings/",
        data={"movie": str(first), "score": "4", "review": "Good"},
        headers=alice.headers,
    )
    assert rating.status_code == 201, rating.text
    assert rating.json()["score"] == 4
    changed = await client.patch(
        f"/api/ratings/{rating.json()['id']}/",
        content=_multipart({"score": "5"}),
        headers={**alice.headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert changed.status_code == 200 and changed.json()["score"] == 5
    playlist = await client.post(
        "/api/playlists/",
        content=_multipart(
            {"name": "Mine", "visibility": "public", "movie_ids": [str(first), str(second)]}
        ),
        headers={**alice.headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert playlist.status_code == 201, playlist.text
    assert [movie["id"] for movie in playlist.json()["movies"]] == [first, second]


async def test_form_values_are_validated_like_json(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    (movie,) = await insert_movies(app, 1)
    bad = await client.post(
        "/api/ratings/", data={"movie": str(movie), "score": "nine"}, headers=alice.headers
    )
    assert bad.status_code == 422
    assert [d["field"] for d in bad.json()["error"]["details"]] == ["score"]
    upload = await client.post(
        "/api/ratings/",
        data={"movie": str(movie), "score": "4"},
        files={"review": ("review.txt", b"a file", "text/plain")},
        headers=alice.headers,
    )
    assert upload.status_code == 422
    assert upload.json()["error"]["details"][0]["field"] == "review"


async def test_unknown_fields_are_refused_by_name_on_every_write(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    (movie,) = await insert_movies(app, 1)
    writes: list[tuple[str, str, dict[str, object]]] = [
        ("POST", "/api/ratings/", {"movie": movie, "score": 4, "mood": "happy"}),
        ("POST", "/api/playlists/", {"name": "x", "colour": "red"}),
        ("PATCH", "/api/profiles/me/", {"bio": "hi", "website": "x"}),
        ("POST", "/api/auth/token/refresh/", {"refresh": "x", "remember": True}),
    ]
    for method, path, body in writes:
        response = await client.request(method, path, json=body, headers=alice.headers)
        assert response.status_code == 422, (path, response.text)
        fields = {detail["field"] for detail in response.json()["error"]["details"]}
        assert fields == set(body) - {"movie", "score", "name", "bio", "refresh"}, path


async def test_the_document_offers_the_form_bodies(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path, method in (
        ("/api/auth/register/", "post"),
        ("/api/auth/token/", "post"),
        ("/api/ratings/", "post"),
        ("/api/playlists/{playlist_id}/", "patch"),
        ("/api/profiles/me/", "patch"),
    ):
        content = paths[path][method]["requestBody"]["content"]
        assert {"application/json", *FORM_TYPES} <= set(content), path
        assert content[FORM_TYPES[1]]["schema"] == content["application/json"]["schema"]


async def test_a_form_stands_for_null_with_an_empty_value_or_null(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    for value in ("", "null"):
        created = await client.post(
            "/api/playlists/",
            content=_multipart({"name": f"List {value or 'empty'}", "movie_ids": value}),
            headers={**alice.headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
        assert created.status_code == 201, (value, created.text)
        assert created.json()["movies"] == []


async def test_a_form_may_repeat_a_list_field_past_a_thousand_times(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    # A playlist holds up to 1000 movies: a form with 1000 of them has 1001 fields.
    ids = [str(n) for n in range(10**6, 10**6 + 1000)]
    response = await client.post(
        "/api/playlists/",
        content=_multipart({"name": "Long", "movie_ids": ids}),
        headers={**alice.headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert response.status_code == 404, response.text  # parsed: these movies do not exist
    assert len(response.json()["error"]["unknown_movie_ids"]) == 1000


async def test_null_for_a_nullable_choice_in_a_form(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    made = await client.post("/api/playlists/", json={"name": "Mine"}, headers=alice.headers)
    replaced = await client.put(
        f"/api/playlists/{made.json()['id']}/",
        data={"name": "Renamed", "visibility": "null", "description": ""},
        headers=alice.headers,
    )
    assert replaced.status_code == 200, replaced.text
    assert (replaced.json()["visibility"], replaced.json()["description"]) == ("private", "")
