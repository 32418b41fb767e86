"""Answers that spare a client its next request: tokens at sign-up, a movie's new totals after a
rating changes, rounded averages."""

from __future__ import annotations

import httpx

from tests.conftest import CreateUser
from tests.support.social_data import insert_movie

PASSWORD = "blue-Heron-42"


async def test_registration_answers_the_tokens_of_a_first_session(
    client: httpx.AsyncClient,
) -> None:
    body = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
    registered = await client.post("/api/auth/register/", json=body)
    assert registered.status_code == 201
    answer = registered.json()
    assert answer["message"] and answer["user"]["username"] == "alice"
    assert answer["token_type"] == "bearer" and answer["expires_in"] > 0
    me = await client.get("/api/auth/me/", headers={"Authorization": f"Bearer {answer['access']}"})
    assert me.status_code == 200
    refreshed = await client.post("/api/auth/token/refresh/", json={"refresh": answer["refresh"]})
    assert refreshed.status_code == 200


async def test_rating_changes_answer_the_movies_new_totals(
    app, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice, bob, carol = [await create_user(name) for name in ("alice", "bob", "carol")]
    movie = await insert_movie(app, "Heat")
    answers = [
        await client.post(
            "/api/ratings/", json={"movie": movie, "score": score}, headers=person.headers
        )
        for person, score in ((alice, 3), (bob, 3), (carol, 2))
    ]
    assert answers[-1].status_code == 201
    assert answers[-1].json()["movie_ratings_count"] == 3
    assert answers[-1].json()["movie_rating_average"] == 2.67  # 8 / 3, rounded as displayed
    detail = (await client.get(f"/api/movies/{movie}/")).json()
    assert detail["rating_average"] == 2.67
    rating_id = answers[-1].json()["id"]
    changed = await client.patch(
        f"/api/ratings/{rating_id}/", json={"score": 5}, headers=carol.headers
    )
    assert (changed.json()["score"], changed.json()["movie_rating_average"]) == (5, 3.67)
    deleted = await client.delete(f"/api/ratings/{rating_id}/", headers=carol.headers)
    assert deleted.status_code == 200
    assert deleted.json() == {
        "id": rating_id,
        "movie": movie,
        "movie_rating_average": 3.0,
        "movie_ratings_count": 2,
    }


async def test_a_profile_page_is_one_request(
    app, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice", favorite_genres=(878,))
    movie = await insert_movie(app, "Heat", runtime=170)
    await client.post("/api/ratings/", json={"movie": movie, "score": 4}, headers=alice.headers)
    await client.post(
        "/api/playlists/", json={"name": "Noir", "visibility": "public"}, headers=alice.headers
    )
    response = await client.get("/api/profiles/me/page/", headers=alice.headers)
    assert response.status_code == 200
    page = response.json()
    assert page["account"]["username"] == page["profile"]["username"] == "alice"
    assert page["profile"]["favorite_genres"] == [{"id": 878, "name": "Science Fiction"}]
    assert page["stats"]["total_ratings"] == 1 and page["stats"]["total_watch_time"] == 170
    assert [p["name"] for p in page["public"]["public_playlists"]] == ["Noir"]
    joined = {
        page["account"]["date_joined"],
        page["profile"]["date_joined"],
        page["public"]["date_joined"],
    }
    assert len(joined) == 1
    assert (await client.get("/api/profiles/me/page/")).status_code == 401


async def test_the_ratings_list_carries_the_movies_poster(
    app, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    movie = await insert_movie(app, "Heat", poster_path="/heat.jpg")
    await client.post("/api/ratings/", json={"movie": movie, "score": 4}, headers=alice.headers)
    for path in ("/api/ratings/", f"/api/movies/{movie}/ratings/"):
        (listed,) = (await client.get(path)).json()["results"]
        assert listed["poster_url"].endswith("/w500/heat.jpg"), path
