"""GET /api/movies/recommendations/ and /api/movies/{id}/match_score/ through the HTTP API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from app.cli.users import change_user
from tests.api.recommendations.conftest import rebuild
from tests.conftest import CreateUser

URL = "/api/movies/recommendations/"


def assert_scores_add_up(items: list[dict[str, Any]]) -> None:
    for item in items:
        parts = item["breakdown"]
        assert 0 <= parts["genre_affinity"] <= 40
        assert 0 <= parts["rating_history"] <= 30
        assert 0 <= parts["quality_popularity"] <= 30
        assert item["match_score"] == round(sum(parts.values()), 1)


async def rate(client: httpx.AsyncClient, headers: dict[str, str], movie: int, score: int) -> None:
    response = await client.post(
        "/api/ratings/", json={"movie": movie, "score": score}, headers=headers
    )
    assert response.status_code == 201, response.text


async def test_anonymous_callers_get_a_cold_start_list(client: httpx.AsyncClient) -> None:
    response = await client.get(URL, params={"limit": 5})
    assert response.status_code == 200
    items = response.json()
    assert len(items) == 5
    assert_scores_add_up(items)
    assert all(item["breakdown"]["rating_history"] == 0 for item in items)
    assert items[0]["poster_url"].endswith(f"/p{items[0]['id']}.jpg")


async def test_profile_genres_lead_a_new_users_list(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    anonymous = (await client.get(URL, params={"limit": 10})).json()
    genre = anonymous[-1]["genres"][0]
    fan = await create_user("genre-fan", favorite_genres=(genre["id"],))
    response = await client.get(URL, params={"limit": 10}, headers=fan.headers)
    items = response.json()
    assert response.status_code == 200 and len(items) == 10
    assert genre["id"] in [g["id"] for g in items[0]["genres"]]
    assert f"You like {genre['name']}" in items[0]["reasons"]
    assert_scores_add_up(items)


async def test_a_users_list_excludes_what_they_rated_and_says_why(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    viewer = await create_user("viewer")
    popular = (await client.get(URL, params={"limit": 6})).json()
    for item in popular[:4]:
        await rate(client, viewer.headers, item["id"], 5)
    items = (await client.get(URL, params={"limit": 20}, headers=viewer.headers)).json()
    rated = {item["id"] for item in popular[:4]}
    assert len(items) == 20
    assert not rated & {item["id"] for item in items}
    assert_scores_add_up(items)
    assert items[0]["breakdown"]["rating_history"] == 30.0  # the best candidate tops the scale
    titles = {item["title"] for item in popular[:4]}
    # Named only with the share of the model's score the rated movie brings.
    assert any(
        reason.startswith("Because you rated ")
        and reason.endswith("% of the model's score)")
        and reason.removeprefix("Because you rated ").split(" ★★★★★ (")[0] in titles
        for reason in items[0]["reasons"]
    )
    assert all(item["model_version"] == items[0]["model_version"] for item in items)
    scores = [item["match_score"] for item in items]
    assert scores == sorted(scores, reverse=True)


async def test_a_new_rating_changes_the_next_list_at_once(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    viewer = await create_user("quick")
    seed = (await client.get(URL, params={"limit": 1})).json()[0]
    await rate(client, viewer.headers, seed["id"], 5)
    first = (await client.get(URL, params={"limit": 10}, headers=viewer.headers)).json()
    again = (await client.get(URL, params={"limit": 10}, headers=viewer.headers)).json()
    assert again == first  # cached
    await rate(client, viewer.headers, first[0]["id"], 4)
    after = (await client.get(URL, params={"limit": 10}, headers=viewer.headers)).json()
    assert first[0]["id"] not in {item["id"] for item in after}


async def test_a_lost_cache_delete_cannot_serve_a_stale_list(
    app: FastAPI,
    client: httpx.AsyncClient,
    create_user: CreateUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cache stalls and the delete after a rating is lost: the list is keyed by the taste
    version, which the rating bumped in its own transaction, so the old entry is never read."""
    viewer = await create_user("stalled")
    seed = (await client.get(URL, params={"limit": 1})).json()[0]
    await rate(client, viewer.headers, seed["id"], 5)
    first = (await client.get(URL, params={"limit": 10}, headers=viewer.headers)).json()

    async def lost(*keys: str) -> None:
        return None

    monkeypatch.setattr(app.state.runtime.cache, "delete", lost)
    await rate(client, viewer.headers, first[0]["id"], 4)
    after = (await client.get(URL, params={"limit": 10}, headers=viewer.headers)).json()
    assert first[0]["id"] not in {item["id"] for item in after}


async def test_a_rebuilt_model_replaces_every_cached_list(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    viewer = await create_user("cached")
    seed = (await client.get(URL, params={"limit": 1})).json()[0]
    await rate(client, viewer.headers, seed["id"], 5)
    first = (await client.get(URL, params={"limit": 5}, headers=viewer.headers)).json()
    # A rating written with the triggers off (the taste version stays) is not seen until the
    # model changes version.
    async with app.state.runtime.database.unit_of_work() as uow:
        await uow.connection.execute(text("SET LOCAL session_replication_role = replica"))
        await uow.connection.execute(
            text("INSERT INTO ratings (user_id, movie_id, score) VALUES (:u, :m, 3)"),
            {"u": viewer.user.id, "m": first[0]["id"]},
        )
        await uow.commit()
    stale = (await client.get(URL, params={"limit": 5}, headers=viewer.headers)).json()
    assert stale == first
    await rebuild(app)
    fresh = (await client.get(URL, params={"limit": 5}, headers=viewer.headers)).json()
    assert first[0]["id"] not in {item["id"] for item in fresh}


async def test_genre_filter_and_limits(client: httpx.AsyncClient) -> None:
    genre = (await client.get(URL, params={"limit": 1})).json()[0]["genres"][0]["id"]
    items = (await client.get(URL, params={"limit": 7, "genre": genre})).json()
    assert items and all(genre in [g["id"] for g in item["genres"]] for item in items)
    unfiltered = (await client.get(URL, params={"limit": 7})).json()
    assert len(unfiltered) == 7  # the filtered list did not take the unfiltered one's place
    for params in ({"limit": "abc"}, {"limit": 0}, {"limit": 101}, {"genre": -1}):
        response = await client.get(URL, params=params)
        assert response.status_code == 422
        assert response.json()["error"]["code"]


async def test_match_score_of_one_movie(client: httpx.AsyncClient, create_user: CreateUser) -> None:
    viewer = await create_user("scorer")
    listed = (await client.get(URL, params={"limit": 3})).json()
    await rate(client, viewer.headers, listed[0]["id"], 5)
    mine = (await client.get(URL, params={"limit": 1}, headers=viewer.headers)).json()[0]
    response = await client.get(f"/api/movies/{mine['id']}/match_score/", headers=viewer.headers)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "movie_id",
        "title",
        "match_score",
        "breakdown",
        "reasons",
        "model_version",
    }
    assert (body["movie_id"], body["title"]) == (mine["id"], mine["title"])
    assert body["match_score"] == mine["match_score"]
    assert_scores_add_up([body])
    anonymous = await client.get(f"/api/movies/{mine['id']}/match_score/")
    assert anonymous.status_code == 401  # as in the original API: a score is for someone
    missing = await client.get("/api/movies/999999/match_score/", headers=viewer.headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"]
    bad = await client.get(
        f"/api/movies/{mine['id']}/match_score/", headers={"Authorization": "Bearer nope"}
    )
    assert bad.status_code == 401


async def test_a_list_asked_again_is_served_from_its_rendered_bytes_for_that_user_only(
    app: FastAPI,
    client: httpx.AsyncClient,
    create_user: CreateUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed = (await client.get(URL, params={"limit": 2})).json()
    first_user, second_user = await create_user("rendered-a"), await create_user("rendered-b")
    await rate(client, first_user.headers, seed[0]["id"], 5)
    await rate(client, second_user.headers, seed[1]["id"], 5)
    first = await client.get(URL, params={"limit": 5}, headers=first_user.headers)

    recommend = app.state.recommendations.recommend
    computed: list[object] = []
    original = type(recommend).__call__

    async def counting(self: object, *args: object) -> object:
        computed.append(args[0])
        return await original(self, *args)

    monkeypatch.setattr(type(recommend), "__call__", counting)
    again = await client.get(URL, params={"limit": 5}, headers=first_user.headers)
    assert again.status_code == 200 and again.content == first.content
    assert computed == []  # served as rendered
    other = await client.get(URL, params={"limit": 5}, headers=second_user.headers)
    assert other.status_code == 200 and other.content != first.content
    assert len(computed) == 1  # another user's list is never the first one's bytes


async def test_a_list_asked_again_is_answered_before_routing_yet_the_account_is_checked(
    app: FastAPI,
    client: httpx.AsyncClient,
    create_user: CreateUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed = (await client.get(URL, params={"limit": 1})).json()
    viewer = await create_user("before-routing")
    await rate(client, viewer.headers, seed[0]["id"], 5)
    first = await client.get(URL, params={"limit": 5}, headers=viewer.headers)
    assert first.status_code == 200

    routed: list[str] = []
    original = app.router.__class__.__call__

    async def counting(self: object, scope: Any, receive: Any, send: Any) -> None:
        routed.append(scope["path"])
        await original(self, scope, receive, send)  # type: ignore[arg-type]

    monkeypatch.setattr(app.router.__class__, "__call__", counting)
    again = await client.get(URL, params={"limit": 5}, headers=viewer.headers)
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["content-type"] == "application/json"
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert routed == []  # answered before routing
    # Another query string is the route's to answer; another user never gets these bytes.
    other = await create_user("before-routing-other")
    theirs = await client.get(URL, params={"limit": 5}, headers=other.headers)
    assert theirs.content != first.content and routed == [URL]
    # A deactivation takes effect at once: the route refuses, no cached answer is given.
    assert await change_user(app.state.settings, viewer.user.username, "is_active", False)
    refused = await client.get(URL, params={"limit": 5}, headers=viewer.headers)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "token_invalid"
    # The user's own rating moves the key: the next list is computed again.
    assert await change_user(app.state.settings, viewer.user.username, "is_active", True)
    await rate(client, viewer.headers, first.json()[0]["id"], 4)
    after = await client.get(URL, params={"limit": 5}, headers=viewer.headers)
    assert first.json()[0]["id"] not in {item["id"] for item in after.json()}
