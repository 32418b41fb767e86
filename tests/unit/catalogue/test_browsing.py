"""The catalogue's use cases against in-memory fakes: paging rules, genre resolution, the detail
and staff edits."""

from __future__ import annotations

from datetime import date

import pytest

from app.bootstrap.use_cases import build_catalogue
from app.domain.catalogue.movies import Genre, MovieData
from app.domain.catalogue.queries import MovieQuery
from app.domain.catalogue.use_cases import CatalogueUseCases
from app.domain.shared import cache_keys
from app.domain.shared.errors import Conflict, InvalidInput, NotFound
from app.domain.shared.pagination import PageRequest
from app.domain.social.ratings import NewRating
from tests.support.fakes import FakeDatabase, RecordingCache


def catalogue(database: FakeDatabase) -> CatalogueUseCases:
    """The catalogue use cases as the composition root builds them, over the fakes."""
    return build_catalogue(database, RecordingCache())


@pytest.fixture
def database() -> FakeDatabase:
    database = FakeDatabase()
    database.add_genres(Genre(28, "Action"), Genre(878, "Science Fiction"))
    return database


async def add(database: FakeDatabase, *items: MovieData) -> list[int]:
    async with database.unit_of_work() as uow:
        ids = [(await uow.movies.add(item)).id for item in items]
        await uow.commit()
    return ids


async def test_pages_past_the_end(database: FakeDatabase) -> None:
    empty = await catalogue(database).list_movies(MovieQuery(), PageRequest())
    assert (empty.count, list(empty.items)) == (0, [])
    with pytest.raises(NotFound) as raised:
        await catalogue(database).list_movies(MovieQuery(), PageRequest(page=2))
    assert raised.value.details[0]["field"] == "page"
    await add(database, MovieData(title="Only"))
    with pytest.raises(NotFound):
        await catalogue(database).list_movies(MovieQuery(search="only"), PageRequest(page=10**30))


async def test_genres_by_name_or_id(database: FakeDatabase) -> None:
    await add(
        database,
        MovieData(title="Alien", genre_ids=(878,)),
        MovieData(title="Heat", genre_ids=(28,)),
        MovieData(title="Both", genre_ids=(28, 878)),
    )
    listing = catalogue(database).list_movies
    page = await listing(
        MovieQuery(genres=("SCIENCE FICTION", "28"), genre_mode="all"), PageRequest()
    )
    assert [item.movie.title for item in page.items] == ["Both"]
    assert page.items[0].genres == (Genre(28, "Action"), Genre(878, "Science Fiction"))
    with pytest.raises(InvalidInput) as raised:
        await listing(MovieQuery(genres=("action", "westerns", "99")), PageRequest())
    assert raised.value.details[0] == {"field": "genre", "message": "unknown genre: 99, westerns"}


async def test_detail_with_distribution_and_own_rating(database: FakeDatabase) -> None:
    (movie_id,) = await add(database, MovieData(title="Rated", genre_ids=(28, 12)))
    viewer = database.add_user("user1")
    async with database.unit_of_work() as uow:
        await uow.ratings.add(NewRating(viewer.id, movie_id, 4, None))
        await uow.commit()
    detail = await catalogue(database).get_movie(movie_id, viewer)
    assert detail.genres == (Genre(28, "Action"),)  # 12 is not a known genre
    assert detail.rating_distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 0}
    assert detail.my_rating is not None and detail.my_rating.score == 4
    assert (await catalogue(database).get_movie(movie_id)).my_rating is None
    with pytest.raises(NotFound):
        await catalogue(database).get_movie(movie_id + 1)


async def test_recent_is_the_latest_added_whatever_the_release(database: FakeDatabase) -> None:
    await add(
        database,
        MovieData(title="Classic", release_date=date(1950, 1, 1)),
        MovieData(title="Soon", release_date=date(2031, 1, 1)),
        MovieData(title="Undated"),
    )
    recent = await catalogue(database).recent_movies()
    assert [item.movie.title for item in recent] == ["Undated", "Soon", "Classic"]


async def test_staff_edits(database: FakeDatabase) -> None:
    cache = RecordingCache()
    created = await build_catalogue(database, cache).create_movie(
        MovieData(title=" New ", tmdb_id=5)
    )
    movie_id = created.movie.id
    assert created.movie.title == "New"
    with pytest.raises(Conflict):
        await build_catalogue(database, cache).create_movie(MovieData(title="Again", tmdb_id=5))
    changed = await build_catalogue(database, cache).update_movie(movie_id, {"runtime": 99})
    assert (changed.movie.title, changed.movie.runtime) == ("New", 99)
    assert cache.deleted == [cache_keys.movie_detail(movie_id)]
    for changes, field in (
        ({"genre_ids": (28, 4242)}, "genre_ids"),
        ({"ratings_count": 10}, "ratings_count"),
        ({"title": "  "}, "title"),
    ):
        with pytest.raises(InvalidInput) as raised:
            await build_catalogue(database, cache).update_movie(movie_id, changes)
        assert raised.value.details[0]["field"] == field
    stored = database.store.movies[movie_id]
    assert (stored.title, stored.genre_ids, stored.ratings_count) == ("New", (), 0)
    with pytest.raises(NotFound):
        await build_catalogue(database, cache).update_movie(movie_id + 1, {"runtime": 1})
    await build_catalogue(database, cache).delete_movie(movie_id)
    assert movie_id not in database.store.movies
    with pytest.raises(NotFound):
        await build_catalogue(database, cache).delete_movie(movie_id)
