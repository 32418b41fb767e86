"""GET /api/movies/trending/ blends local activity with TMDb's stored trending rank."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from tests.conftest import CreateUser

# title -> TMDb popularity; only "Most popular" would lead TMDb's part without a fresh rank.
MOVIES = {"TMDb first": 1.0, "Hot here": 1.0, "TMDb second": 5.0, "Most popular": 900.0}


async def catalogue(app: FastAPI) -> dict[str, int]:
    async with app.state.runtime.database.unit_of_work() as uow:
        ids = {}
        for title, popularity in MOVIES.items():
            ids[title] = await uow.connection.scalar(
                text(
                    "INSERT INTO movies (title, genre_ids, popularity) "
                    "VALUES (:title, '{18}', :popularity) RETURNING id"
                ),
                {"title": title, "popularity": popularity},
            )
        await uow.catalogue.replace_trending(
            "week", [(1, ids["TMDb first"]), (2, ids["TMDb second"])]
        )
        await uow.commit()
    return ids


async def trending(client: httpx.AsyncClient, **params: str | int) -> list[tuple[str, int | None]]:
    response = await client.get("/api/movies/trending/", params=params)
    assert response.status_code == 200
    return [(item["title"], item["tmdb_rank"]) for item in response.json()]


async def test_local_activity_leads_and_tmdbs_rank_orders_the_rest(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    ids = await catalogue(app)
    fan = await create_user("fan")
    rated = await client.post(
        "/api/ratings/", json={"movie": ids["Hot here"], "score": 5}, headers=fan.headers
    )
    assert rated.status_code == 201

    assert await trending(client, window="week") == [
        ("Hot here", None),  # 0.7: the most local activity
        ("TMDb first", 1),  # 0.3: no activity here, first on TMDb
        ("TMDb second", 2),  # 0.3 · 10/11
        ("Most popular", None),  # 0: not in TMDb's list
    ]
    # The day window has no stored ranks: TMDb's popularity fills in, as before any sync.
    assert await trending(client, window="day") == [
        ("Hot here", None),
        ("Most popular", None),
        ("TMDb second", None),
        ("TMDb first", None),
    ]


async def test_a_stale_rank_is_ignored(app: FastAPI, client: httpx.AsyncClient) -> None:
    await catalogue(app)
    assert (await trending(client, window="week", limit=4))[0] == ("TMDb first", 1)
    async with app.state.runtime.database.unit_of_work() as uow:
        await uow.connection.execute(
            text("UPDATE tmdb_trending SET synced_at = now() - interval '15 days'")
        )
        await uow.commit()
    # Another limit is another cache key, computed afresh.
    assert await trending(client, window="week", limit=5) == [
        ("Most popular", None),
        ("TMDb second", None),
        ("TMDb first", None),  # ties with "Hot here" on popularity; the lower id first
        ("Hot here", None),
    ]
