"""Playlists through the HTTP API: writes, order, limits, bad input and concurrency."""

from __future__ import annotations

import asyncio

from app.domain.social import playlist_changes as playlist_use_cases
from tests.support.social_data import fetch_all, fetch_value, insert_movie, insert_movies


async def positions(app, playlist_id: int) -> list[int]:
    rows = await fetch_all(
        app,
        "SELECT position FROM playlist_items WHERE playlist_id = :id ORDER BY position",
        id=playlist_id,
    )
    return [row.position for row in rows]


async def create(client, signed_in, **body):
    body.setdefault("name", "Favourites")
    response = await client.post("/api/playlists/", json=body, headers=signed_in.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_keeps_the_given_order_and_refuses_owner_fields(app, client, create_user):
    alice, bob = await create_user("alice"), await create_user("bob")
    first = await insert_movie(app, "First")
    second = await insert_movie(app, "Second", poster_path=None, release_date=None)
    forged = {"owner_id": bob.user.id, "owner_username": "bob", "slug": "mine", "id": 77}
    refused = await client.post(
        "/api/playlists/", json={"name": "Noir", **forged}, headers=alice.headers
    )
    assert refused.status_code == 422
    assert {d["field"] for d in refused.json()["error"]["details"]} == set(forged)

    body = await create(
        client,
        alice,
        name="  Noir  ",
        description="Dark",
        visibility="public",
        movie_ids=[second, first],
    )

    assert (body["name"], body["description"], body["visibility"]) == ("Noir", "Dark", "public")
    assert body["owner_username"] == "alice"
    assert len(body["slug"]) >= 16
    assert body["movie_count"] == 2
    assert [(m["id"], m["position"]) for m in body["movies"]] == [(second, 0), (first, 1)]
    assert body["movies"][0]["poster_url"] is None and body["movies"][0]["release_year"] is None
    assert body["movies"][1]["poster_url"].endswith("/poster.jpg")
    assert body["movies"][1]["release_year"] == 1999
    shared = await client.get(f"/api/playlists/shared/{body['slug']}/")
    assert shared.json()["id"] == body["id"]


async def test_unknown_movie_ids_are_404_naming_them_and_nothing_is_written(
    app, client, create_user
):
    alice = await create_user("alice")
    movie = await insert_movie(app)

    response = await client.post(
        "/api/playlists/",
        json={"name": "x", "movie_ids": [movie, 9001, 9002]},
        headers=alice.headers,
    )

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["unknown_movie_ids"] == [9001, 9002]
    assert error["details"][0]["field"] == "movie_ids"
    assert await fetch_value(app, "SELECT count(*) FROM playlists") == 0


BAD_BODIES = [
    ({"name": ""}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"name": "ok", "description": "d" * 501}, "description"),
    ({"name": "ok", "visibility": "friends"}, "visibility"),
    ({"name": "ok", "movie_ids": ["a"]}, "movie_ids.0"),
    ({"name": "   "}, "name"),
]


async def test_bad_playlist_bodies_are_422_naming_the_field(app, client, create_user):
    alice = await create_user("alice")

    for body, field in BAD_BODIES:
        response = await client.post("/api/playlists/", json=body, headers=alice.headers)
        assert response.status_code == 422, body
        assert field in {d["field"] for d in response.json()["error"]["details"]}

    assert await fetch_value(app, "SELECT count(*) FROM playlists") == 0


async def test_repeated_movie_ids_are_422(app, client, create_user):
    alice = await create_user("alice")
    movie = await insert_movie(app)

    response = await client.post(
        "/api/playlists/", json={"name": "x", "movie_ids": [movie, movie]}, headers=alice.headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "movie_ids"


async def test_names_are_unique_per_owner(client, create_user):
    alice, bob = await create_user("alice"), await create_user("bob")
    await create(client, alice, name="Mine")
    await create(client, bob, name="Mine")

    response = await client.post("/api/playlists/", json={"name": "Mine"}, headers=alice.headers)

    assert response.status_code == 409
    assert response.json()["error"]["details"][0]["field"] == "name"


async def test_update_replaces_movies_in_order_and_keeps_unsent_fields(app, client, create_user):
    alice = await create_user("alice")
    a, b, c = await insert_movies(app, 3)
    playlist = await create(
        client, alice, description="Keep", visibility="public", movie_ids=[a, b]
    )

    put = await client.put(
        f"/api/playlists/{playlist['id']}/",
        json={"name": "Renamed", "movie_ids": [c, a]},
        headers=alice.headers,
    )

    assert put.status_code == 200
    body = put.json()
    assert (body["name"], body["description"], body["visibility"]) == ("Renamed", "Keep", "public")
    assert [(m["id"], m["position"]) for m in body["movies"]] == [(c, 0), (a, 1)]
    patch = await client.patch(
        f"/api/playlists/{playlist['id']}/", json={"visibility": "unlisted"}, headers=alice.headers
    )
    assert patch.json()["visibility"] == "unlisted" and patch.json()["movie_count"] == 2
    bad = await client.patch(
        f"/api/playlists/{playlist['id']}/",
        json={"name": "New", "movie_ids": [a, 9999]},
        headers=alice.headers,
    )
    assert bad.status_code == 404
    unchanged = (
        await client.get(f"/api/playlists/{playlist['id']}/", headers=alice.headers)
    ).json()
    assert unchanged["name"] == "Renamed" and [m["id"] for m in unchanged["movies"]] == [c, a]


async def test_add_insert_remove_and_reorder_keep_positions_dense(app, client, create_user):
    alice = await create_user("alice")
    a, b, c, d = await insert_movies(app, 4)
    playlist = await create(client, alice, movie_ids=[a, b])
    url = f"/api/playlists/{playlist['id']}"

    added = await client.post(f"{url}/add_movie/", json={"movie_id": c}, headers=alice.headers)
    assert [m["id"] for m in added.json()["movies"]] == [a, b, c]
    inserted = await client.post(
        f"{url}/movies/", json={"movie_id": d, "position": 1}, headers=alice.headers
    )
    assert inserted.status_code == 201
    assert [m["id"] for m in inserted.json()["movies"]] == [a, d, b, c]
    removed = await client.post(f"{url}/remove_movie/", json={"movie_id": a}, headers=alice.headers)
    assert [m["id"] for m in removed.json()["movies"]] == [d, b, c]
    deleted = await client.delete(f"{url}/movies/{b}/", headers=alice.headers)
    assert deleted.status_code == 200  # the playlist, as adding and remove_movie answer it
    assert [m["id"] for m in deleted.json()["movies"]] == [d, c]
    reordered = await client.put(
        f"{url}/movies/order/", json={"movie_ids": [c, d]}, headers=alice.headers
    )
    assert reordered.status_code == 200
    assert [(m["id"], m["position"]) for m in reordered.json()["movies"]] == [(c, 0), (d, 1)]
    assert await positions(app, playlist["id"]) == [0, 1]


async def test_item_errors(app, client, create_user):
    alice = await create_user("alice")
    a, b = await insert_movies(app, 2)
    playlist = await create(client, alice, movie_ids=[a])
    url = f"/api/playlists/{playlist['id']}"
    h = alice.headers

    duplicate = await client.post(f"{url}/movies/", json={"movie_id": a}, headers=h)
    assert duplicate.status_code == 409
    assert (
        await client.post(f"{url}/add_movie/", json={"movie_id": a}, headers=h)
    ).status_code == 409
    unknown = await client.post(f"{url}/movies/", json={"movie_id": 9999}, headers=h)
    assert (
        unknown.status_code == 404 and unknown.json()["error"]["details"][0]["field"] == "movie_id"
    )
    far = await client.post(f"{url}/movies/", json={"movie_id": b, "position": 5}, headers=h)
    assert far.status_code == 201  # past the end goes last, like list.insert
    assert [(m["id"], m["position"]) for m in far.json()["movies"]] == [(a, 0), (b, 1)]
    beyond = await client.post(f"{url}/movies/", json={"movie_id": b, "position": 1001}, headers=h)
    assert beyond.status_code == 422
    assert beyond.json()["error"]["details"][0]["field"] == "position"
    removed = await client.post(f"{url}/remove_movie/", json={"movie_id": b}, headers=h)
    assert removed.status_code == 200
    absent = await client.post(f"{url}/remove_movie/", json={"movie_id": b}, headers=h)
    assert absent.status_code == 404
    for order in ([a, b], [], [a, a], [b]):
        response = await client.put(f"{url}/movies/order/", json={"movie_ids": order}, headers=h)
        assert response.status_code == 422, order
        assert response.json()["error"]["details"][0]["field"] == "movie_ids"
    assert await positions(app, playlist["id"]) == [0]


async def test_concurrent_adds_and_reorders_keep_positions_dense(app, client, create_user):
    alice = await create_user("alice")
    initial = await insert_movies(app, 5, prefix="Initial")
    extra = await insert_movies(app, 15, prefix="Extra")
    playlist = await create(client, alice, movie_ids=initial)
    url = f"/api/playlists/{playlist['id']}"

    adds = [
        client.post(
            f"{url}/movies/", json={"movie_id": movie, "position": 0}, headers=alice.headers
        )
        for movie in extra
    ]
    reorders = [
        client.put(f"{url}/movies/order/", json={"movie_ids": initial[::-1]}, headers=alice.headers)
        for _ in range(5)
    ]
    responses = await asyncio.gather(*adds, *reorders)

    assert all(r.status_code == 201 for r in responses[: len(extra)])
    # A reorder that ran after some adds names a stale list: a clean 422, never a 500.
    assert {r.status_code for r in responses[len(extra) :]} <= {200, 422}
    assert await positions(app, playlist["id"]) == list(range(20))
    final = (await client.get(f"{url}/", headers=alice.headers)).json()
    assert final["movie_count"] == 20 and sorted(m["id"] for m in final["movies"]) == sorted(
        initial + extra
    )


async def test_concurrent_removes_keep_positions_dense(app, client, create_user):
    alice = await create_user("alice")
    movies = await insert_movies(app, 12)
    playlist = await create(client, alice, movie_ids=movies)
    url = f"/api/playlists/{playlist['id']}"

    responses = await asyncio.gather(
        *(client.delete(f"{url}/movies/{movie}/", headers=alice.headers) for movie in movies[::2])
    )

    assert {r.status_code for r in responses} == {200}
    assert await positions(app, playlist["id"]) == list(range(6))


async def test_limits_are_409(app, client, create_user, monkeypatch):
    monkeypatch.setattr(playlist_use_cases, "MAX_PLAYLISTS_PER_USER", 2)
    monkeypatch.setattr(playlist_use_cases, "MAX_MOVIES_PER_PLAYLIST", 2)
    alice = await create_user("alice")
    a, b, c = await insert_movies(app, 3)
    playlist = await create(client, alice, name="one", movie_ids=[a, b])
    await create(client, alice, name="two")

    too_many = await client.post("/api/playlists/", json={"name": "three"}, headers=alice.headers)
    full = await client.post(
        f"/api/playlists/{playlist['id']}/movies/", json={"movie_id": c}, headers=alice.headers
    )

    assert too_many.status_code == 409 and too_many.json()["error"]["code"] == "limit_exceeded"
    assert full.status_code == 409 and full.json()["error"]["code"] == "limit_exceeded"
    assert await fetch_value(app, "SELECT count(*) FROM playlists") == 2


async def test_the_list_shows_public_and_own_with_filters(app, client, create_user):
    alice, bob = await create_user("alice"), await create_user("bob")
    await create(client, alice, name="Alice public", visibility="public")
    await create(client, alice, name="Alice unlisted", visibility="unlisted")
    await create(client, alice, name="Alice private")
    await create(client, bob, name="Bob private")
    await create(client, bob, name="Bob public thrillers", visibility="public", description="Noir")

    def names(response):
        return sorted(p["name"] for p in response.json()["results"])

    assert names(await client.get("/api/playlists/")) == ["Alice public", "Bob public thrillers"]
    assert names(await client.get("/api/playlists/", headers=bob.headers)) == [
        "Alice public",
        "Bob private",
        "Bob public thrillers",
    ]
    assert names(await client.get("/api/playlists/?owner=ALICE", headers=bob.headers)) == [
        "Alice public"
    ]
    assert names(await client.get("/api/playlists/?search=noir")) == ["Bob public thrillers"]
    assert names(await client.get("/api/playlists/?search=%25")) == []
    assert names(await client.get("/api/playlists/?visibility=unlisted", headers=bob.headers)) == []
    assert names(await client.get("/api/playlists/my_playlists/", headers=alice.headers)) == [
        "Alice private",
        "Alice public",
        "Alice unlisted",
    ]
    ordered = await client.get("/api/playlists/?ordering=name", headers=alice.headers)
    assert [p["name"] for p in ordered.json()["results"]][:2] == ["Alice private", "Alice public"]
    assert (await client.get("/api/playlists/?ordering=owner")).status_code == 422
    assert (await client.get("/api/playlists/my_playlists/")).status_code == 401
