"""A playlist's movies over HTTP: insert, remove and reorder keep positions dense, also under
concurrent requests; the errors and the limits."""

from __future__ import annotations

import asyncio

from app.domain.social import playlist_changes as playlist_use_cases
from app.domain.social import playlist_movies
from tests.api.social.test_playlists import create, positions
from tests.support.social_data import fetch_value, insert_movies


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
    monkeypatch.setattr(playlist_movies, "MAX_MOVIES_PER_PLAYLIST", 2)
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
