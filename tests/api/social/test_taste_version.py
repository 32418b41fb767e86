"""`users.taste_version` moves, in the writing transaction, with every change to what a user is
recommended — their ratings however written, their favourite genres — and with nothing else."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from tests.conftest import CreateUser
from tests.support.social_data import fetch_value, insert_genres, insert_movies


async def version(app: FastAPI, user_id: int) -> int:
    return int(await fetch_value(app, "SELECT taste_version FROM users WHERE id = :id", id=user_id))


async def test_every_write_that_changes_recommendations_bumps_the_version(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    await insert_genres(app, (18, "Drama"))
    alice, bob = await create_user("alice"), await create_user("bob")
    movie, other = await insert_movies(app, 2)
    seen = [await version(app, alice.user.id)]

    async def step() -> None:
        seen.append(await version(app, alice.user.id))

    created = await client.post(
        "/api/ratings/", json={"movie": movie, "score": 4}, headers=alice.headers
    )
    await step()
    rating = created.json()["id"]
    await client.patch(f"/api/ratings/{rating}/", json={"score": 2}, headers=alice.headers)
    await step()
    await client.patch("/api/profiles/me/", json={"favorite_genres": [18]}, headers=alice.headers)
    await step()
    await client.patch("/api/profiles/me/", json={"bio": "hello"}, headers=alice.headers)
    await step()  # not a taste
    await client.post("/api/ratings/", json={"movie": other, "score": 5}, headers=bob.headers)
    await step()  # someone else's
    await client.delete(f"/api/ratings/{rating}/", headers=alice.headers)
    await step()
    await client.post("/api/ratings/", json={"movie": other, "score": 3}, headers=alice.headers)
    async with app.state.runtime.database.unit_of_work() as uow:
        await uow.connection.execute(text("DELETE FROM movies WHERE id = :id"), {"id": other})
        await uow.commit()
    await step()  # the rating and the movie's deletion cascading to it

    assert seen == [0, 1, 2, 3, 3, 3, 4, 6]
    assert await version(app, bob.user.id) == 2
