"""JSON numbers are JSON numbers: a string or a boolean where a number belongs is a 422 and
writes nothing (`{"score": true}` was a 1-star rating, `"score": "4"` a 4-star one). `4.0` is
an integer to JSON Schema, so it is one here too."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import CreateUser
from tests.support.social_data import fetch_value, insert_genres, insert_movie


@pytest.mark.parametrize(
    "body",
    [
        {"score": True},
        {"score": False},
        {"score": "4"},
        {"score": 4.5},
        {"score": 4, "movie": "{movie}"},
    ],
    ids=["true", "false", "string", "fraction", "string id"],
)
async def test_a_rating_needs_json_numbers(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser, body: dict[str, Any]
) -> None:
    member = await create_user()
    movie = await insert_movie(app)
    sent = {"movie": movie, **body}
    if sent["movie"] == "{movie}":
        sent["movie"] = str(movie)
    response = await client.post("/api/ratings/", json=sent, headers=member.headers)
    assert response.status_code == 422, response.text
    assert await fetch_value(app, "SELECT count(*) FROM ratings") == 0


async def test_other_bodies_need_json_numbers_too(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    await insert_genres(app, (18, "Drama"))
    member, staff = await create_user(), await create_user(is_staff=True)
    movie = await insert_movie(app)
    refused = [
        await client.patch(
            "/api/profiles/me/", json={"favorite_genres": ["18"]}, headers=member.headers
        ),
        await client.patch(
            "/api/profiles/me/", json={"favorite_genres": [True]}, headers=member.headers
        ),
        await client.post(
            "/api/playlists/", json={"name": "x", "movie_ids": [str(movie)]}, headers=member.headers
        ),
        await client.patch(
            f"/api/movies/{movie}/", json={"vote_average": "7.5"}, headers=staff.headers
        ),
        await client.patch(f"/api/movies/{movie}/", json={"runtime": True}, headers=staff.headers),
    ]
    assert [r.status_code for r in refused] == [422] * len(refused)
    # A date is a JSON string, and a whole number is a valid JSON number for a float field.
    accepted = await client.patch(
        f"/api/movies/{movie}/",
        json={"release_date": "2001-02-03", "vote_average": 7},
        headers=staff.headers,
    )
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["release_year"], accepted.json()["vote_average"]) == (2001, 7.0)


async def test_an_integral_float_is_an_integer_as_json_schema_says(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    member = await create_user()
    movie = await insert_movie(app)
    body = {"movie": float(movie), "score": 4.0}
    response = await client.post("/api/ratings/", json=body, headers=member.headers)
    assert response.status_code == 201, response.text
    assert (response.json()["movie"], response.json()["score"]) == (movie, 4)
