"""Cache keys of public reads: one spelling per query as the route reads it, so that order,
defaults and case never split a key, and a filter the route reads never goes missing from it."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import FastAPI, Header, Query
from fastapi.routing import APIRoute

from app.web.public_cache_keys import MAX_QUERY_BYTES, CacheableRoute, cacheable_route

app = FastAPI()


@app.get("/api/movies/")
async def movies(
    search: str | None = None,
    year: int | None = None,
    genre: Annotated[list[str] | None, Query()] = None,
    genre_mode: str = "any",
    page: int = 1,
) -> None:
    return None


@app.get("/with-header/")
async def with_header(x_tenant: Annotated[str | None, Header()] = None) -> None:
    return None


def route(path: str) -> APIRoute:
    return next(r for r in app.routes if isinstance(r, APIRoute) and r.path == path)


@pytest.fixture
def movie_list() -> CacheableRoute:
    return cacheable_route(route("/api/movies/"), "catalogue")


def test_order_defaults_and_case_share_one_key(movie_list: CacheableRoute) -> None:
    spellings = [
        b"search=Space&year=1999",
        b"year=1999&search=space",
        b"search=SPACE&year=1999&page=1&genre_mode=any",
        b"search=space&year=1999&unknown=1&SEARCH=other",
    ]
    keys = {movie_list.normalised_query(raw) for raw in spellings}
    assert keys == {b"search=space&year=1999"}


def test_every_value_the_route_reads_stays_in_the_key(movie_list: CacheableRoute) -> None:
    assert movie_list.normalised_query(b"year=2000&year=1999") == b"year=1999"  # the last wins
    assert movie_list.normalised_query(b"genre=Drama&genre=action") == (
        b"genre=action&genre=drama"  # a list: all of them, in one order
    )
    assert movie_list.normalised_query(b"page=2") == b"page=2"
    assert movie_list.normalised_query(b"genre_mode=all") == b"genre_mode=all"
    assert movie_list.normalised_query(b"year=1999") != movie_list.normalised_query(b"")


def test_only_ascii_is_folded(movie_list: CacheableRoute) -> None:
    # Python and PostgreSQL may fold other scripts differently: such keys only split.
    assert movie_list.normalised_query(b"search=%C4%B0stanbul") == b"search=%C4%B0stanbul"
    assert movie_list.normalised_query(b"search=ISTANBUL") == b"search=istanbul"


def test_a_query_too_long_is_not_cached(movie_list: CacheableRoute) -> None:
    assert movie_list.normalised_query(b"search=" + b"a" * MAX_QUERY_BYTES) is None


def test_a_route_reading_headers_is_refused() -> None:
    with pytest.raises(ValueError, match="headers or cookies"):
        cacheable_route(route("/with-header/"), "catalogue")
