"""?search= forgives typos: title words within one or two edits find the movie, below every exact
match, with the `pg_trgm` extension and without it."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from app.adapters.postgres.fuzzy_search import FUZZY_BELOW, has_trigrams
from tests.api.catalogue.seed import add_movie
from tests.api.catalogue.test_movie_list import titles


async def without_trigrams(app: FastAPI) -> None:
    """This test's database as the embedded server has it: no pg_trgm, no trigram index."""
    async with app.state.runtime.database.unit_of_work() as uow:
        await uow.connection.execute(text("DROP EXTENSION IF EXISTS pg_trgm CASCADE"))
        await uow.commit()
        assert not await has_trigrams(uow.connection)


@pytest.fixture(params=["pg_trgm", "fallback"])
async def trigrams(request: pytest.FixtureRequest, app: FastAPI) -> str:
    if request.param == "fallback":
        await without_trigrams(app)
    else:
        async with app.state.runtime.database.unit_of_work() as uow:
            if not await has_trigrams(uow.connection):
                pytest.skip("this PostgreSQL does not ship pg_trgm")
    return str(request.param)


async def test_typos_find_the_movie(app: FastAPI, client: httpx.AsyncClient, trigrams: str) -> None:
    await add_movie(app, "Interstellar", popularity=10)
    await add_movie(app, "The Godfather", popularity=20)
    await add_movie(app, "The Godfather Part II", popularity=5)
    await add_movie(app, "Amélie", popularity=1)
    assert await titles(client, "search=Interstelar") == ["Interstellar"]
    assert await titles(client, "search=godfater") == ["The Godfather", "The Godfather Part II"]
    assert await titles(client, "search=the godfathre part") == ["The Godfather Part II"]
    assert await titles(client, "search=amelei") == ["Amélie"]  # two edits
    # A wrong first letter: only the trigram index finds such words.
    first_letter = await titles(client, "search=unterstellar")
    assert first_letter == (["Interstellar"] if trigrams == "pg_trgm" else [])
    # Three edits is another word.
    assert await titles(client, "search=gadfoter") == []
    response = await client.get("/api/movies/?search=godfater")
    assert response.json()["count"] == 2


async def test_fuzzy_matches_rank_below_exact_ones(
    app: FastAPI, client: httpx.AsyncClient, trigrams: str
) -> None:
    await add_movie(app, "Stars", popularity=1)
    await add_movie(app, "Scars", popularity=90)
    await add_movie(app, "Stairs", popularity=80)
    await add_movie(app, "Star", popularity=50)
    # The exact match first, its one-edit neighbours below by popularity; "star" is not one:
    # the last word is read as a prefix, so "stars" may be "star" still being typed.
    ranked = await titles(client, "search=stars")
    assert ranked[0] == "Stars"
    assert ranked[1:] == ["Scars", "Stairs"]
    # Page by page, the same order.
    first = await titles(client, "search=stars&page_size=2")
    second = await titles(client, "search=stars&page_size=2&page=2")
    assert first + second == ranked
    # Filters hold for fuzzy matches too.
    assert await titles(client, "search=stars&min_popularity=85") == ["Scars"]
    # An explicit ordering serves the exact matches only.
    assert await titles(client, "search=stars&ordering=-popularity") == ["Stars"]


async def test_many_exact_matches_leave_no_room(
    app: FastAPI, client: httpx.AsyncClient, trigrams: str
) -> None:
    for n in range(FUZZY_BELOW):
        await add_movie(app, f"Dune {n}", popularity=float(n))
    await add_movie(app, "Dunk", popularity=100)
    ranked = await titles(client, "search=dune&page_size=50")
    assert len(ranked) == FUZZY_BELOW
    assert "Dunk" not in ranked
