"""One suite for the TMDb port, run against the in-memory fake and the HTTP client talking to the
fake TMDb server over real HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.tmdb.ports import LIST_CATEGORIES, ListCategory, TmdbClient, TmdbNotFound
from tests.support.fakes.tmdb import InMemoryTmdbClient
from tests.support.tmdb_fixtures import MakeTmdbClient


@pytest.fixture(params=["memory", "http"])
def port(request: pytest.FixtureRequest) -> TmdbClient:
    if request.param == "memory":
        return InMemoryTmdbClient()
    make: MakeTmdbClient = request.getfixturevalue("make_tmdb_client")
    return make()


async def test_genres_have_tmdbs_names(port: TmdbClient) -> None:
    genres = {genre.id: genre.name for genre in await port.genres()}
    assert genres[28] == "Action" and genres[878] == "Science Fiction"
    assert len(genres) == 19


@pytest.mark.parametrize("category", LIST_CATEGORIES)
async def test_every_category_first_page_is_the_documents_example(
    port: TmdbClient, category: ListCategory
) -> None:
    page = await port.movie_list(category, 1, window="week")
    assert page.page == 1 and len(page.movies) == 20 and page.total_pages > 1
    assert all(movie.tmdb_id and movie.title for movie in page.movies)


async def test_the_documents_popular_example_in_domain_terms(port: TmdbClient) -> None:
    first = (await port.movie_list("popular", 1)).movies[0]
    assert first.tmdb_id == 640146 and first.title == "Ant-Man and the Wasp: Quantumania"
    assert first.release_date == date(2023, 2, 15)
    assert first.genre_ids == (28, 12, 878)
    assert first.poster_path == "/ngl2FKBlU4fhbdsrtdom9LVLBXw.jpg"
    assert first.vote_average == 6.5 and first.vote_count == 1886


async def test_tmdbs_quirks_are_normalised(port: TmdbClient) -> None:
    movies = {movie.tmdb_id: movie for movie in (await port.movie_list("popular", 2)).movies}
    null_paths, empty_date = movies[1_000_021], movies[1_000_022]
    integer_vote, no_genres = movies[1_000_023], movies[1_000_024]
    assert null_paths.poster_path is None and null_paths.backdrop_path is None
    assert empty_date.release_date is None
    assert integer_vote.vote_average == 7.0 and isinstance(integer_vote.vote_average, float)
    assert no_genres.genre_ids == ()
    # List items say nothing of the details-only fields.
    assert null_paths.runtime is None and null_paths.imdb_id is None


async def test_search_finds_the_documents_films(port: TmdbClient) -> None:
    page = await port.search("fight club")
    titles = [movie.title for movie in page.movies]
    assert "Fight Club" in titles
    assert page.total_results >= len(page.movies)
    nothing = await port.search("no film is called this")
    assert nothing.movies == () and nothing.total_results == 0


async def test_details_fill_runtime_imdb_tagline_status_and_genres(port: TmdbClient) -> None:
    details = await port.movie(11)
    movie = details.movie
    assert movie.title == "Star Wars" and movie.runtime == 121
    assert movie.imdb_id == "tt0076759" and movie.status == "Released"
    assert movie.tagline == "A long time ago in a galaxy far, far away..."
    assert [genre.name for genre in details.genres] == ["Adventure", "Action", "Science Fiction"]
    assert movie.genre_ids == (12, 28, 878)


async def test_an_unknown_movie_is_not_found(port: TmdbClient) -> None:
    with pytest.raises(TmdbNotFound):
        await port.movie(999_999_999)
