"""Ratings through the HTTP API on a real PostgreSQL: writes, aggregates and conflicts (the list:
`test_rating_list.py`)."""

from __future__ import annotations

import asyncio

import pytest

from app.domain.shared import cache_keys
from tests.support.social_data import fetch_all, fetch_value, insert_movie, insert_movies


async def aggregates(app, movie_id: int) -> tuple[int, int, float | None]:
    rows = await fetch_all(
        app,
        "SELECT ratings_count, ratings_sum, rating_average FROM movies WHERE id = :id",
        id=movie_id,
    )
    count, total, average = rows[0]
    return count, total, average


async def test_rating_a_movie_returns_it_whole_and_updates_the_aggregates(app, client, create_user):
    alice = await create_user("alice")
    movie = await insert_movie(app, "Heat")

    forged = await client.post(
        "/api/ratings/",
        json={"movie": movie, "score": 4, "user": 999, "id": 7},
        headers=alice.headers,
    )
    assert forged.status_code == 422
    assert {d["field"] for d in forged.json()["error"]["details"]} == {"user", "id"}
    response = await client.post(
        "/api/ratings/",
        json={"movie": movie, "score": 4, "review": "  Tense.  "},
        headers=alice.headers,
    )

    assert response.status_code == 201
    body = response.json()
    assert body["id"] >= 1
    assert body["username"] == "alice"
    assert (body["movie"], body["movie_title"], body["score"]) == (movie, "Heat", 4)
    assert body["review"] == "Tense."
    assert set(body) == {
        "id",
        "username",
        "movie",
        "movie_title",
        "score",
        "review",
        "created_at",
        "updated_at",
        "movie_rating_average",
        "movie_ratings_count",
        "poster_url",
    }
    assert (body["movie_rating_average"], body["movie_ratings_count"]) == (4.0, 1)
    assert await aggregates(app, movie) == (1, 4, 4.0)


async def test_a_second_rating_is_a_conflict_naming_the_first(app, client, create_user):
    alice = await create_user("alice")
    movie = await insert_movie(app)
    first = await client.post(
        "/api/ratings/", json={"movie": movie, "score": 3}, headers=alice.headers
    )

    second = await client.post(
        "/api/ratings/", json={"movie": movie, "score": 5}, headers=alice.headers
    )

    assert second.status_code == 409
    error = second.json()["error"]
    assert error["existing_rating_id"] == first.json()["id"]
    assert error["details"][0]["field"] == "movie"
    assert await aggregates(app, movie) == (1, 3, 3.0)


async def test_fifty_concurrent_identical_ratings_leave_exactly_one(app, client, create_user):
    alice = await create_user("alice")
    movie = await insert_movie(app)

    responses = await asyncio.gather(
        *(
            client.post("/api/ratings/", json={"movie": movie, "score": 5}, headers=alice.headers)
            for _ in range(50)
        )
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 49
    created_id = next(r.json()["id"] for r in responses if r.status_code == 201)
    assert {r.json()["error"]["existing_rating_id"] for r in responses if r.status_code == 409} == {
        created_id
    }
    assert await fetch_value(app, "SELECT count(*) FROM ratings") == 1
    assert await aggregates(app, movie) == (1, 5, 5.0)


async def test_concurrent_ratings_of_one_movie_by_many_users_lose_no_aggregate(
    app, client, create_user
):
    movie = await insert_movie(app)
    users = [await create_user(f"fan{n}") for n in range(12)]

    responses = await asyncio.gather(
        *(
            client.post(
                "/api/ratings/", json={"movie": movie, "score": n % 5 + 1}, headers=u.headers
            )
            for n, u in enumerate(users)
        )
    )

    assert {r.status_code for r in responses} == {201}
    expected_sum = sum(n % 5 + 1 for n in range(12))
    assert await aggregates(app, movie) == (12, expected_sum, pytest.approx(expected_sum / 12))


BAD_BODIES: list[tuple[dict[str, object], str]] = [
    ({"score": 6}, "score"),
    ({"score": 0}, "score"),
    ({"score": "five"}, "score"),
    ({"score": 4.5}, "score"),
    ({"score": None}, "score"),
    ({"score": 3, "review": "x" * 1001}, "review"),
    ({"score": 3, "movie": "abc"}, "movie"),
]


async def test_bad_rating_bodies_are_422_naming_the_field_and_write_nothing(
    app, client, create_user
):
    alice = await create_user("alice")
    movie = await insert_movie(app)

    for body, field in BAD_BODIES:
        response = await client.post(
            "/api/ratings/", json={"movie": movie, **body}, headers=alice.headers
        )
        assert response.status_code == 422, body
        assert field in {detail["field"] for detail in response.json()["error"]["details"]}

    assert await fetch_value(app, "SELECT count(*) FROM ratings") == 0
    assert await aggregates(app, movie) == (0, 0, None)


async def test_rating_an_unknown_movie_is_404_naming_the_movie(client, create_user):
    alice = await create_user("alice")

    response = await client.post(
        "/api/ratings/", json={"movie": 424242, "score": 3}, headers=alice.headers
    )

    assert response.status_code == 404
    assert response.json()["error"]["details"][0]["field"] == "movie"


async def test_update_keeps_the_movie_and_moves_the_aggregates(app, client, create_user):
    alice = await create_user("alice")
    movie, other = await insert_movies(app, 2)
    rating = (
        await client.post(
            "/api/ratings/",
            json={"movie": movie, "score": 2, "review": "meh"},
            headers=alice.headers,
        )
    ).json()

    patched = await client.patch(
        f"/api/ratings/{rating['id']}/", json={"score": 5}, headers=alice.headers
    )
    assert patched.status_code == 200
    assert (patched.json()["score"], patched.json()["review"]) == (5, "meh")
    assert await aggregates(app, movie) == (1, 5, 5.0)

    replaced = await client.put(
        f"/api/ratings/{rating['id']}/",
        json={"movie": movie, "score": 3, "review": None},
        headers=alice.headers,
    )
    assert replaced.status_code == 200
    assert (replaced.json()["score"], replaced.json()["review"]) == (3, "")

    moved = await client.patch(
        f"/api/ratings/{rating['id']}/", json={"movie": other, "score": 1}, headers=alice.headers
    )
    assert moved.status_code == 422
    assert moved.json()["error"]["details"][0]["field"] == "movie"
    assert await aggregates(app, movie) == (1, 3, 3.0)
    assert await aggregates(app, other) == (0, 0, None)


async def test_delete_removes_the_rating_from_the_aggregates(app, client, create_user):
    alice, bob = await create_user("alice"), await create_user("bob")
    movie = await insert_movie(app)
    mine = (
        await client.post("/api/ratings/", json={"movie": movie, "score": 2}, headers=alice.headers)
    ).json()
    await client.post("/api/ratings/", json={"movie": movie, "score": 5}, headers=bob.headers)

    response = await client.delete(f"/api/ratings/{mine['id']}/", headers=alice.headers)

    assert response.status_code == 200  # with the movie's totals without it
    assert (await client.get(f"/api/ratings/{mine['id']}/")).status_code == 404
    assert await aggregates(app, movie) == (1, 5, 5.0)


async def test_a_rating_change_invalidates_exactly_the_dependent_keys(app, client, create_user):
    alice = await create_user("alice")
    movie, other = await insert_movies(app, 2)
    cache = app.state.runtime.cache
    stale = cache_keys.keys_after_rating_change(alice.user.id, movie, alice.user.taste_version)
    unrelated = (cache_keys.movie_detail(other), cache_keys.user_stats(alice.user.id + 1))
    for key in stale + unrelated:
        await cache.set(key, b"cached", 60)

    await client.post("/api/ratings/", json={"movie": movie, "score": 4}, headers=alice.headers)

    assert [await cache.get(key) for key in stale] == [None] * 4  # detail, its version, recs, stats
    assert [await cache.get(key) for key in unrelated] == [b"cached", b"cached"]
