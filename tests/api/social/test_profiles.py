"""Profiles and statistics through the HTTP API."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from app.domain.shared import cache_keys
from tests.support.social_data import count_statements, insert_genres, insert_movie


async def test_me_shows_the_original_fields(client, create_user):
    alice = await create_user("alice")

    body = (await client.get("/api/profiles/me/", headers=alice.headers)).json()

    assert set(body) == {
        "id",
        "username",
        "email",
        "favorite_genres",
        "bio",
        "avatar_url",
        "created_at",
        "date_joined",
        "updated_at",
    }
    assert (body["username"], body["email"], body["favorite_genres"]) == (
        "alice",
        "alice@example.com",
        [],
    )


async def test_updates_validate_and_keep_unsent_fields(app, client, create_user):
    await insert_genres(app, (28, "Action"), (18, "Drama"))
    alice = await create_user("alice")
    cache = app.state.runtime.cache
    await cache.set(
        cache_keys.user_recommendations(alice.user.id, alice.user.taste_version), b"stale", 60
    )

    forged = {"username": "mallory", "email": "x@example.com", "id": 99}
    refused = await client.put("/api/profiles/me/", json=forged, headers=alice.headers)
    assert refused.status_code == 422
    assert {d["field"] for d in refused.json()["error"]["details"]} == set(forged)
    put = await client.put(
        "/api/profiles/me/",
        json={
            "favorite_genres": [18, 28, 18],
            "bio": "  Cinephile ",
            "avatar_url": "https://a.example/me.png",
        },
        headers=alice.headers,
    )
    assert put.status_code == 200
    body = put.json()
    assert (body["favorite_genres"], body["bio"], body["avatar_url"]) == (
        [{"id": 18, "name": "Drama"}, {"id": 28, "name": "Action"}],
        "Cinephile",
        "https://a.example/me.png",
    )
    assert (body["username"], body["email"], body["id"]) == (
        "alice",
        "alice@example.com",
        alice.user.id,
    )
    assert (
        await cache.get(cache_keys.user_recommendations(alice.user.id, alice.user.taste_version))
        is None
    )

    patch = await client.patch(
        "/api/profiles/me/", json={"avatar_url": None}, headers=alice.headers
    )
    assert (patch.json()["avatar_url"], patch.json()["bio"]) == (None, "Cinephile")


BAD_INPUT = [
    ({"favorite_genres": [0]}, "favorite_genres.0"),
    ({"favorite_genres": [2**31]}, "favorite_genres.0"),
    ({"avatar_url": "https://exa mple.org/a.png"}, "avatar_url"),
    ({"favorite_genres": ["Telenovela"]}, "favorite_genres"),  # names are fine; unknown ones not
    ({"bio": "b" * 501}, "bio"),
    ({"avatar_url": "javascript:alert(1)"}, "avatar_url"),
    ({"avatar_url": "ftp://files.example/a.png"}, "avatar_url"),
    ({"avatar_url": "https://"}, "avatar_url"),
    ({"avatar_url": 'https://x.y/"onerror=alert(1)'}, "avatar_url"),
    ({"avatar_url": "https://x.y/a.png?<script>"}, "avatar_url"),
    ({"avatar_url": "https://x.y/%zz"}, "avatar_url"),
    ({"avatar_url": "https://-x.y/a.png"}, "avatar_url"),
]


async def test_bad_profile_input_is_refused_and_changes_nothing(app, client, create_user):
    await insert_genres(app, (28, "Action"))
    alice = await create_user("alice")
    await client.patch("/api/profiles/me/", json={"bio": "before"}, headers=alice.headers)

    for body, field in BAD_INPUT:
        response = await client.patch("/api/profiles/me/", json=body, headers=alice.headers)
        assert response.status_code == 422, body
        assert field in {d["field"] for d in response.json()["error"]["details"]}

    unknown = await client.patch(
        "/api/profiles/me/", json={"favorite_genres": [28, 12345]}, headers=alice.headers
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"][0]["field"] == "favorite_genres"
    assert "12345" in unknown.json()["error"]["message"]
    after = (await client.get("/api/profiles/me/", headers=alice.headers)).json()
    assert (after["bio"], after["favorite_genres"], after["avatar_url"]) == ("before", [], None)


async def rate(client, signed_in, movie: int, score: int, review: str | None = None) -> None:
    body = {"movie": movie, "score": score, "review": review}
    response = await client.post("/api/ratings/", json=body, headers=signed_in.headers)
    assert response.status_code == 201


async def test_stats_add_up_and_are_fresh_after_each_rating(app, client, create_user):
    await insert_genres(app, (28, "Action"), (18, "Drama"), (35, "Comedy"))
    alice, bob = await create_user("alice"), await create_user("bob")
    heat = await insert_movie(
        app, "Heat", runtime=170, release_date=date(1995, 12, 15), genre_ids=(28, 18)
    )
    alien = await insert_movie(
        app, "Alien", runtime=117, release_date=date(1979, 5, 25), genre_ids=(28,)
    )
    fargo = await insert_movie(
        app, "Fargo", runtime=98, release_date=date(1996, 3, 8), genre_ids=(35, 18)
    )
    await rate(client, alice, heat, 5, "Great")
    await rate(client, alice, alien, 2)
    await rate(client, bob, heat, 3)
    await client.post("/api/playlists/", json={"name": "x"}, headers=alice.headers)

    before = (await client.get("/api/profiles/stats/", headers=alice.headers)).json()
    await rate(client, alice, fargo, 4)
    stats = (await client.get("/api/profiles/stats/", headers=alice.headers)).json()

    assert before["total_ratings"] == 2
    assert stats["total_ratings"] == 3
    assert stats["average_rating"] == pytest.approx(11 / 3, abs=0.01)
    assert stats["highest_rated"] == {"movie": heat, "movie_title": "Heat", "score": 5}
    assert stats["lowest_rated"] == {"movie": alien, "movie_title": "Alien", "score": 2}
    assert stats["total_watch_time"] == 170 + 117 + 98
    assert stats["total_watch_time_hours"] == round(385 / 60, 1)
    assert stats["score_distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert stats["reviews_count"] == 1
    assert [(g["name"], g["count"]) for g in stats["favorite_genres"]] == [
        ("Drama", 2),
        ("Action", 1),
        ("Comedy", 1),
    ]
    averages = {g["name"]: (g["ratings"], g["average"]) for g in stats["genre_averages"]}
    assert averages == {"Action": (2, 3.5), "Drama": (2, 4.5), "Comedy": (1, 4.0)}
    assert stats["community_comparison"] == {
        "movies_compared": 1,
        "your_average": 5.0,
        "community_average": 3.0,
        "difference": 2.0,
    }
    assert stats["favorite_decade"] == 1990
    assert len(stats["ratings_per_month"]) == 12
    assert stats["ratings_per_month"][-1] == {"month": date.today().strftime("%Y-%m"), "count": 3}
    assert stats["playlists_count"] == 1


async def test_stats_of_a_user_without_ratings(client, create_user):
    alice = await create_user("alice")

    stats = (await client.get("/api/profiles/stats/", headers=alice.headers)).json()

    # 0, as the original API answered and its clients expect.
    assert stats["total_ratings"] == 0 and stats["average_rating"] == 0
    assert stats["highest_rated"] is None and stats["favorite_genres"] == []
    assert stats["total_watch_time"] == 0 and stats["favorite_decade"] is None
    assert sum(m["count"] for m in stats["ratings_per_month"]) == 0


async def test_stats_cost_the_same_statements_whatever_the_number_of_ratings(
    app, client, create_user
):
    await insert_genres(app, (28, "Action"))
    alice = await create_user("alice")
    for n in range(2):
        await rate(client, alice, await insert_movie(app, f"First {n}", genre_ids=(28,)), 3)
    with count_statements(app) as few:
        await client.get("/api/profiles/stats/", headers=alice.headers)
    for n in range(15):
        await rate(client, alice, await insert_movie(app, f"More {n}", genre_ids=(28,)), 4)
    with count_statements(app) as many:
        await client.get("/api/profiles/stats/", headers=alice.headers)

    assert len(many) == len(few) <= 8


async def test_concurrent_changes_of_different_fields_both_stick(client, create_user):
    alice = await create_user("alice")
    for _ in range(5):
        bio, avatar = await asyncio.gather(
            client.patch("/api/profiles/me/", json={"bio": "new bio"}, headers=alice.headers),
            client.patch(
                "/api/profiles/me/",
                json={"avatar_url": "https://img.example/a.png"},
                headers=alice.headers,
            ),
        )
        assert bio.status_code == avatar.status_code == 200
        me = (await client.get("/api/profiles/me/", headers=alice.headers)).json()
        assert (me["bio"], me["avatar_url"]) == ("new bio", "https://img.example/a.png")
        reset = await client.patch(
            "/api/profiles/me/", json={"bio": "", "avatar_url": None}, headers=alice.headers
        )
        assert reset.status_code == 200
