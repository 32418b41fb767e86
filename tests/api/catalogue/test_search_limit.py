"""A search ranks at most its most popular matches (plus as many exact title matches): the rule
that keeps a search for a common word as fast as one for a rare word. The limit is lowered here
so that a handful of movies exceed it."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from app.adapters.postgres import movie_search
from tests.api.catalogue.seed import add_movie
from tests.api.catalogue.test_movie_list import titles


@pytest.fixture
async def night_movies(app: FastAPI) -> None:
    await add_movie(app, "Night", popularity=0.5)  # exact title, the least popular
    await add_movie(app, "Night Watch", popularity=1, release_date="2000-05-01")  # prefix
    await add_movie(app, "Alpha", overview="One night in Paris.", popularity=50)
    await add_movie(app, "Beta", overview="A night out.", popularity=40)
    await add_movie(app, "Gamma", overview="Night falls.", popularity=30)
    await add_movie(app, "Delta", overview="Night again.", popularity=20, release_date="2000-01-01")
    await add_movie(app, "Daylight", overview="Nothing dark here.", popularity=99)


async def test_under_the_limit_every_match_is_ranked(
    night_movies: None, client: httpx.AsyncClient
) -> None:
    body = (await client.get("/api/movies/?search=night")).json()
    assert body["count"] == 6
    assert [movie["title"] for movie in body["results"]] == [
        "Night",
        "Night Watch",
        "Alpha",
        "Beta",
        "Gamma",
        "Delta",
    ]


async def test_over_the_limit_the_most_popular_matches_are_ranked(
    night_movies: None, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(movie_search, "SEARCH_LIMIT", 3)
    body = (await client.get("/api/movies/?search=night")).json()
    # The three most popular matches, and the exact title however unpopular, ranked as ever;
    # "Night Watch" (a prefix match) and "Delta" are less popular than the three.
    assert [movie["title"] for movie in body["results"]] == ["Night", "Alpha", "Beta", "Gamma"]
    assert body["count"] == 4
    # The count is what is served: pages stop there, and the next page is a 404.
    last = (await client.get("/api/movies/?search=night&page_size=3&page=2")).json()
    assert ([m["title"] for m in last["results"]], last["next"]) == (["Gamma"], None)
    past = await client.get("/api/movies/?search=night&page_size=4&page=2")
    assert past.status_code == 404
    # An explicit ordering sorts the same results.
    assert await titles(client, "search=night&ordering=title") == [
        "Alpha",
        "Beta",
        "Gamma",
        "Night",
    ]


async def test_filters_apply_before_the_limit(
    night_movies: None, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(movie_search, "SEARCH_LIMIT", 3)
    # Only two matches from 2000: under the limit, both served, ranked by relevance.
    body = (await client.get("/api/movies/?search=night&year=2000")).json()
    assert ([m["title"] for m in body["results"]], body["count"]) == (["Night Watch", "Delta"], 2)


async def test_exact_title_matches_are_limited_too(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(movie_search, "SEARCH_LIMIT", 2)
    for popularity in (1, 2, 3, 4):
        await add_movie(app, "Heat", popularity=popularity)
    body = (await client.get("/api/movies/?search=heat")).json()
    assert body["count"] == 2
    assert [m["popularity"] for m in body["results"]] == [4, 3]
