"""GET /api/movies/: pagination, every filter, ordering, and bad input."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.api.catalogue.seed import add_genres, add_movie, add_movies


async def titles(client: httpx.AsyncClient, query: str) -> list[str]:
    response = await client.get(f"/api/movies/?{query}")
    assert response.status_code == 200, response.text
    return [movie["title"] for movie in response.json()["results"]]


async def test_pages_of_twenty_with_links(app: FastAPI, client: httpx.AsyncClient) -> None:
    await add_movies(app, 45)
    first = (await client.get("/api/movies/?language=")).json()
    assert first["count"] == 45
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"].endswith("page=2")
    last = (await client.get("/api/movies/?page=3")).json()
    assert [m["title"] for m in last["results"]] == [f"Movie {n:03d}" for n in range(40, 45)]
    assert last["next"] is None
    assert "page=2" in last["previous"]
    big = (await client.get("/api/movies/?page_size=100")).json()
    assert len(big["results"]) == 45


async def test_pages_do_not_overlap_when_sort_keys_tie(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    for n in range(7):
        await add_movie(app, f"Same {n}", popularity=5.0)
    seen: list[int] = []
    for page in (1, 2, 3):
        response = await client.get(f"/api/movies/?page_size=3&page={page}")
        seen += [movie["id"] for movie in response.json()["results"]]
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 7


async def test_filters(app: FastAPI, client: httpx.AsyncClient) -> None:
    await add_genres(app)
    await add_movie(
        app,
        "Alpha",
        release_date="1995-06-01",
        vote_average=8.1,
        vote_count=500,
        popularity=50,
        runtime=120,
        genre_ids=(28, 878),
        original_language="en",
    )
    await add_movie(
        app,
        "Beta",
        release_date="2005-01-01",
        vote_average=6.0,
        vote_count=20,
        popularity=10,
        runtime=90,
        genre_ids=(35,),
        original_language="fr",
    )
    await add_movie(
        app,
        "Gamma",
        release_date="2005-12-31",
        vote_average=7.0,
        vote_count=150,
        popularity=30,
        runtime=200,
        genre_ids=(28, 35),
        original_language="en",
    )
    await add_movie(app, "Delta")  # no date, no runtime, no genres
    assert await titles(client, "year=2005") == ["Gamma", "Beta"]
    assert await titles(client, "year_gte=2000") == ["Gamma", "Beta"]
    assert await titles(client, "year_lte=2004") == ["Alpha"]
    assert await titles(client, "min_rating=7") == ["Alpha", "Gamma"]
    assert await titles(client, "max_rating=7") == ["Gamma", "Beta", "Delta"]
    assert await titles(client, "min_popularity=30") == ["Alpha", "Gamma"]
    assert await titles(client, "min_runtime=100&max_runtime=150") == ["Alpha"]
    assert await titles(client, "language=FR") == ["Beta"]
    assert await titles(client, "min_votes=100") == ["Alpha", "Gamma"]
    assert await titles(client, "genre=28") == ["Alpha", "Gamma"]
    assert await titles(client, "genre=comedy&genre=ACTION") == ["Alpha", "Gamma", "Beta"]
    assert await titles(client, "genre=comedy,action&genre_mode=all") == ["Gamma"]
    assert await titles(client, "genre=science%20fiction") == ["Alpha"]
    superscript = await client.get("/api/movies/?genre=%C2%B2")  # "²" is no id: a name
    assert superscript.status_code == 422, superscript.text
    assert await titles(client, "title=gam") == ["Gamma"]
    assert await titles(client, "year=2005&genre=28&min_votes=100") == ["Gamma"]
    # A minimum above its maximum is no error: nothing matches.
    assert await titles(client, "min_runtime=200&max_runtime=100") == []


async def test_orderings(app: FastAPI, client: httpx.AsyncClient) -> None:
    await add_movie(app, "b", release_date="2001-01-01", vote_average=5, popularity=3)
    await add_movie(app, "a", release_date=None, vote_average=9, popularity=1)
    await add_movie(app, "c", release_date="1999-01-01", vote_average=7, popularity=2)
    assert await titles(client, "") == ["b", "c", "a"]
    assert await titles(client, "ordering=popularity") == ["a", "c", "b"]
    assert await titles(client, "ordering=title") == ["a", "b", "c"]
    assert await titles(client, "ordering=-title") == ["c", "b", "a"]
    assert await titles(client, "ordering=-vote_average") == ["a", "c", "b"]
    # Missing dates come last both ways.
    assert await titles(client, "ordering=release_date") == ["c", "b", "a"]
    assert await titles(client, "ordering=-release_date") == ["b", "c", "a"]
    assert await titles(client, "ordering=-rating_average") == ["c", "a", "b"]
    assert await titles(client, "ordering=-created_at") == ["c", "a", "b"]
    assert await titles(client, "ordering=ratings_count") == ["b", "a", "c"]


async def error_field(client: httpx.AsyncClient, query: str, status: int = 422) -> str:
    response = await client.get(f"/api/movies/?{query}")
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"]
    return error["details"][0]["field"]


async def test_bad_input_names_the_field(app: FastAPI, client: httpx.AsyncClient) -> None:
    await add_genres(app)
    assert await error_field(client, "page=-1") == "page"
    assert await error_field(client, "page=abc") == "page"
    assert await error_field(client, "page_size=1000") == "page_size"
    assert await error_field(client, "year=19x5") == "year"
    assert await error_field(client, "year=99999999999999999999999") == "year"
    assert await error_field(client, "ordering=budget") == "ordering"
    assert await error_field(client, "genre=westerns") == "genre"
    assert await error_field(client, "genre=9999") == "genre"
    assert await error_field(client, "genre_mode=some") == "genre_mode"
    assert await error_field(client, "min_rating=11") == "min_rating"
    assert await error_field(client, "min_rating=nan") == "min_rating"
    assert await error_field(client, "search=a%00b") == "search"
    assert await error_field(client, "min_votes=-1") == "min_votes"
    assert await error_field(client, "search=" + "x" * 201) == "search"


async def test_pages_past_the_end(app: FastAPI, client: httpx.AsyncClient) -> None:
    empty = await client.get("/api/movies/")
    assert empty.status_code == 200
    assert empty.json() == {"count": 0, "next": None, "previous": None, "results": []}
    await add_movies(app, 3)
    assert await error_field(client, "page=2", 404) == "page"
    assert await error_field(client, f"page={2**63 - 1}", 404) == "page"
    # Beyond 64 bits the schema's bound refuses the number itself.
    assert await error_field(client, "page=99999999999999999999999999", 422) == "page"
