"""?search=: ranked by PostgreSQL, case- and accent-insensitive, over title, original title and
overview."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import event

from tests.api.catalogue.seed import add_movie, add_movies
from tests.api.catalogue.test_movie_list import titles


async def test_accents_and_case_do_not_matter(app: FastAPI, client: httpx.AsyncClient) -> None:
    await add_movie(app, "Amélie", original_title="Le Fabuleux Destin d'Amélie Poulain")
    await add_movie(app, "ÉCOLE DE LA VIE")
    await add_movie(app, "Unrelated", overview="Nothing to see.")
    assert await titles(client, "search=amelie") == ["Amélie"]
    assert await titles(client, "search=AMÉLIE") == ["Amélie"]
    assert await titles(client, "search=ecole") == ["ÉCOLE DE LA VIE"]
    assert await titles(client, "search=fabuleux poulain") == ["Amélie"]


async def test_exact_then_prefix_then_relevance(app: FastAPI, client: httpx.AsyncClient) -> None:
    await add_movie(app, "A Story About Star Wars Fans", popularity=100)
    await add_movie(app, "Star Wars: The Empire Strikes Back", popularity=50)
    await add_movie(app, "Star Wars", popularity=1)
    await add_movie(
        app, "Space Opera", overview="Not quite star wars, a quieter story.", popularity=90
    )
    await add_movie(app, "Stargate", popularity=80)
    ranked = await titles(client, "search=star wars")
    assert ranked[:2] == ["Star Wars", "Star Wars: The Empire Strikes Back"]
    # A title match weighs more than the same words in an overview.
    assert ranked[2:] == ["A Story About Star Wars Fans", "Space Opera"]
    # `title` looks at titles only, never at overviews.
    assert sorted(await titles(client, "title=STAR wars")) == [
        "A Story About Star Wars Fans",
        "Star Wars",
        "Star Wars: The Empire Strikes Back",
    ]
    # The last word is a prefix: people search while they type.
    assert await titles(client, "search=starg") == ["Stargate"]
    # An explicit ordering wins over relevance.
    assert await titles(client, "search=star wars&ordering=-popularity") == [
        "A Story About Star Wars Fans",
        "Space Opera",
        "Star Wars: The Empire Strikes Back",
        "Star Wars",
    ]


async def test_symbols_cannot_break_the_query(app: FastAPI, client: httpx.AsyncClient) -> None:
    await add_movie(app, "M*A*S*H")
    await add_movie(app, "100% Wolf")
    for text in ("!", "&|:*", "'", "\\", "a & (b", "100%", "m*a*s*h", "%_"):
        response = await client.get("/api/movies/", params={"search": text})
        assert response.status_code == 200, (text, response.text)
    assert await titles(client, "search=m*a*s*h") == ["M*A*S*H"]
    assert await titles(client, "search=100%25") == ["100% Wolf"]
    assert await titles(client, "search=%25") == []
    assert len(await titles(client, "search=%20%20")) == 2  # blank: no filter


async def test_statements_do_not_grow_with_page_size(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    from tests.api.catalogue.seed import add_genres

    await add_genres(app)
    await add_movies(app, 60, genre_ids=(28, 35))
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = app.state.runtime.database.engine.sync_engine
    # The process reads the genre table once, then names genres from its copy.
    await client.get("/api/movies/?page_size=1&genre=action&search=movie")
    event.listen(engine, "before_cursor_execute", count)
    try:
        counts = []
        for size in (1, 20, 60):
            statements.clear()
            response = await client.get(f"/api/movies/?page_size={size}&genre=action&search=movie")
            assert len(response.json()["results"]) == size
            counts.append(len(statements))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert counts[0] == counts[1] == counts[2] <= 3, counts


async def test_search_pages_and_counts(app: FastAPI, client: httpx.AsyncClient) -> None:
    await add_movies(app, 25)
    await add_movie(app, "Something Else")
    first = (await client.get("/api/movies/?search=movie&page_size=10")).json()
    assert first["count"] == 25
    assert [m["title"] for m in first["results"]][:2] == ["Movie 000", "Movie 001"]
    third = (await client.get("/api/movies/?search=movie&page_size=10&page=3")).json()
    assert (third["count"], len(third["results"]), third["next"]) == (25, 5, None)
    past = await client.get("/api/movies/?search=movie&page=4&page_size=10")
    assert past.status_code == 404
    huge = await client.get(f"/api/movies/?search=movie&page={2**63 - 1}")
    assert huge.status_code == 404
    assert (await client.get("/api/movies/?search=nomatch")).json()["count"] == 0
