"""No answer names a constraint, a table or a column: every unique or foreign-key violation a
client can provoke is answered with a message and the request field it concerns."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

from tests.conftest import CreateUser
from tests.support.social_data import insert_movie

PASSWORD = "blue-Heron-42"
SCHEMA_WORDS = re.compile(r"\b(uq|fk|ck|pk|ix)_\w+|constraint|playlist_items|_lower\b", re.I)


async def test_conflicts_name_fields_not_the_schema(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    # A new email needs the current password.
    bob_hash = await app.state.runtime.passwords.hash(PASSWORD)
    bob = await create_user("bob", password_hash=bob_hash)
    movie = await insert_movie(app)
    playlist = await client.post(
        "/api/playlists/", json={"name": "Noir", "movie_ids": [movie]}, headers=alice.headers
    )
    await client.post("/api/ratings/", json={"movie": movie, "score": 4}, headers=alice.headers)
    answers = [
        await client.post(
            "/api/ratings/", json={"movie": movie, "score": 3}, headers=alice.headers
        ),
        await client.post("/api/playlists/", json={"name": "Noir"}, headers=alice.headers),
        await client.post(
            f"/api/playlists/{playlist.json()['id']}/movies/",
            json={"movie_id": movie},
            headers=alice.headers,
        ),
        await client.patch(
            "/api/auth/me/",
            json={"email": "ALICE@example.com", "current_password": PASSWORD},
            headers=bob.headers,
        ),
        await client.post(
            "/api/auth/register/",
            json={"username": "Alice", "email": "x@example.com", "password": "blue-Heron-42"},
        ),
    ]
    for answer in answers:
        assert answer.status_code == 409, answer.text
        assert not SCHEMA_WORDS.search(answer.text), answer.text
        assert answer.json()["error"]["details"][0]["field"]
