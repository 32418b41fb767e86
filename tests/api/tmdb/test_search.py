"""`GET /api/tmdb/search/`: the live proxy over HTTP, with the fake TMDb behind it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from app.bootstrap.settings import Settings
from tests.conftest import client_for
from tests.support.fake_tmdb import API_KEY, Answer, FakeTmdb
from tests.support.tmdb_fixtures import CLIENT_TIMEOUT

StartApp = Callable[[Settings], Awaitable[FastAPI]]


@pytest.fixture
async def tmdb_app(tmdb_settings: Settings, start_app: StartApp) -> FastAPI:
    return await start_app(tmdb_settings)


@pytest.fixture
async def http(tmdb_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(tmdb_app) as client:
        yield client


async def test_search_answers_our_movie_shape(http: httpx.AsyncClient) -> None:
    response = await http.get("/api/tmdb/search/", params={"q": "fight club"})
    assert response.status_code == 200
    body = response.json()
    assert body["page"] == 1 and body["total_results"] >= len(body["results"]) > 0
    fight_club = next(item for item in body["results"] if item["tmdb_id"] == 550)
    assert fight_club["title"] == "Fight Club" and fight_club["release_year"] == 1999
    assert fight_club["in_catalogue"] is False and fight_club["id"] is None
    assert (
        fight_club["poster_url"]
        == "https://image.tmdb.org/t/p/w500/pB8BM7pdSp6B6Ih7QZ4DrQ3PmJK.jpg"
    )
    assert [genre["name"] for genre in fight_club["genres"]] == ["Drama", "Thriller", "Comedy"]


async def test_query_is_accepted_as_well_as_q(http: httpx.AsyncClient) -> None:
    by_q = await http.get("/api/tmdb/search/", params={"q": "club"})
    by_query = await http.get("/api/tmdb/search/", params={"query": "club"})
    assert by_q.json() == by_query.json()


async def test_an_empty_query_or_a_page_outside_1_to_500_is_422(
    http: httpx.AsyncClient, fake_tmdb: FakeTmdb
) -> None:
    cases = [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"query": ""}, "query"),
        ({"q": "x", "page": "501"}, "page"),
        ({"q": "x", "page": "0"}, "page"),
    ]
    for params, field in cases:
        response = await http.get("/api/tmdb/search/", params=params)
        assert response.status_code == 422, params
        error = response.json()["error"]
        assert error["code"] == "validation_error" and error["details"][0]["field"] == field
    assert fake_tmdb.count("/search/movie") == 0


async def test_year_page_and_adult_reach_tmdb_and_results_are_cached(
    http: httpx.AsyncClient, fake_tmdb: FakeTmdb
) -> None:
    params = {"q": "club", "page": "1", "year": "1999", "include_adult": "true"}
    for _ in range(3):
        assert (await http.get("/api/tmdb/search/", params=params)).status_code == 200
    assert fake_tmdb.count("/search/movie") == 1
    call = next(c for c in fake_tmdb.calls if c.path == "/3/search/movie")
    assert call.query["year"] == "1999" and call.query["include_adult"] == "true"


async def test_imported_films_are_marked_with_our_id(
    http: httpx.AsyncClient, tmdb_app: FastAPI
) -> None:
    runtime = tmdb_app.state.runtime
    async with runtime.database.unit_of_work() as uow:
        details = await runtime.tmdb_client.movie(550)
        outcome = await uow.catalogue.upsert_movies([details.movie])
        await uow.commit()
    local_id = dict(outcome.ids)[550]
    body = (await http.get("/api/tmdb/search/", params={"q": "fight club"})).json()
    marked = {item["tmdb_id"]: item for item in body["results"]}
    assert marked[550]["in_catalogue"] is True and marked[550]["id"] == local_id
    assert marked[289732]["in_catalogue"] is False


async def test_rejected_key_is_502_naming_the_problem(
    make_settings: Callable[..., Settings], fake_tmdb: FakeTmdb, start_app: StartApp
) -> None:
    settings = make_settings(tmdb_base_url=fake_tmdb.base_url, tmdb_api_key="not-a-valid-key")
    async with client_for(await start_app(settings)) as client:
        response = await client.get("/api/tmdb/search/", params={"q": "alien"})
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["code"] == "tmdb_credentials_rejected"
    assert "Invalid API key" in error["message"] and "not-a-valid-key" not in response.text


async def test_no_credentials_is_503_not_configured(
    make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    async with client_for(await start_app(make_settings())) as client:
        search = await client.get("/api/tmdb/search/", params={"q": "alien"})
    assert search.status_code == 503
    assert search.json()["error"]["message"] == "TMDb is not configured."


async def test_a_tmdb_time_out_is_504(http: httpx.AsyncClient, fake_tmdb: FakeTmdb) -> None:
    fake_tmdb.always("/search/movie", Answer.hang(CLIENT_TIMEOUT * 3))
    response = await http.get("/api/tmdb/search/", params={"q": "alien"})
    assert response.status_code == 504 and response.json()["error"]["code"] == "tmdb_timeout"


async def test_tmdb_rate_limiting_is_503_with_retry_after(
    http: httpx.AsyncClient, fake_tmdb: FakeTmdb
) -> None:
    fake_tmdb.always("/search/movie", Answer.rate_limited("7"))
    response = await http.get("/api/tmdb/search/", params={"q": "alien"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "7"
    assert response.json()["error"]["code"] == "tmdb_rate_limited"


async def test_a_broken_tmdb_is_502_and_a_stale_copy_is_flagged(
    http: httpx.AsyncClient, fake_tmdb: FakeTmdb, tmdb_app: FastAPI
) -> None:
    fake_tmdb.always("/search/movie", Answer.server_error_text())
    broken = await http.get("/api/tmdb/search/", params={"q": "club"})
    assert broken.status_code == 502 and broken.json()["error"]["code"] == "tmdb_unavailable"

    fake_tmdb.always("/search/movie", None)
    fresh = await http.get("/api/tmdb/search/", params={"q": "club"})
    assert fresh.status_code == 200 and "X-Cache" not in fresh.headers
    # Make the cached copy an hour and a bit old, then break TMDb again.
    tmdb_app.state.runtime.tmdb_client._clock = lambda: 10**12
    fake_tmdb.always("/search/movie", Answer.server_error_text())
    stale = await http.get("/api/tmdb/search/", params={"q": "club"})
    assert stale.status_code == 200 and stale.headers["X-Cache"] == "STALE"
    assert stale.json() == fresh.json()


async def test_the_openapi_document_declares_the_errors(http: httpx.AsyncClient) -> None:
    paths = (await http.get("/openapi.json")).json()["paths"]
    search = paths["/api/tmdb/search/"]["get"]["responses"]
    assert {"200", "422", "502", "503", "504"} <= set(search)
    imports = paths["/api/tmdb/import/"]["post"]
    assert {"200", "201", "401", "404", "503"} <= set(imports["responses"])
    assert imports.get("security")


async def test_search_is_rate_limited_per_user(
    make_settings: Callable[..., Settings], fake_tmdb: FakeTmdb, start_app: StartApp
) -> None:
    settings = make_settings(
        tmdb_base_url=fake_tmdb.base_url,
        tmdb_api_key=API_KEY,
        rate_limit_enabled=True,
        rate_limit_tmdb_search="2/minute",
    )
    async with client_for(await start_app(settings)) as client:
        statuses = [
            (await client.get("/api/tmdb/search/", params={"q": "club"})).status_code
            for _ in range(3)
        ]
        refused = await client.get("/api/tmdb/search/", params={"q": "club"})
    assert statuses == [200, 200, 429]
    assert refused.json()["error"]["code"] == "rate_limited" and "Retry-After" in refused.headers
