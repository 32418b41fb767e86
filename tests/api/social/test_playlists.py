"""Playlists through the HTTP API: writes, order, bad input and the list (their movies:
`test_playlist_items.py`)."""

from __future__ import annotations

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


async def test_walking_ids_finds_no_unlisted_playlist_and_no_slug(app, client, create_user):
    alice, bob = await create_user("alice"), await create_user("bob")
    unlisted = await create(client, alice, name="Hidden", visibility="unlisted")
    public = await create(client, alice, name="Open", visibility="public")
    assert unlisted["slug"] and public["slug"]  # the owner is shown the share slug

    viewers: tuple[dict[str, str], ...] = ({}, bob.headers)
    for viewer in viewers:
        walked = [
            await client.get(f"/api/playlists/{playlist_id}/", headers=viewer)
            for playlist_id in range(1, public["id"] + 3)
        ]
        found = [response.json() for response in walked if response.status_code == 200]
        assert [playlist["id"] for playlist in found] == [public["id"]]
        assert all(playlist["slug"] is None for playlist in found)
        listed = await client.get("/api/playlists/", headers=viewer)
        assert [p["slug"] for p in listed.json()["results"]] == [None]
        shared = await client.get(f"/api/playlists/shared/{unlisted['slug']}/", headers=viewer)
        assert shared.status_code == 200 and shared.json()["name"] == "Hidden"
        assert shared.json()["slug"] is None

    own = await client.get(f"/api/playlists/{unlisted['id']}/", headers=alice.headers)
    assert own.status_code == 200 and own.json()["slug"] == unlisted["slug"]
