"""The catalogue's use cases against in-memory fakes: paging rules, genre resolution, the detail
and staff edits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest

from app.domain.accounts.users import User
from app.domain.catalogue import editing as movie_admin
from app.domain.catalogue.browsing import GetMovie, ListMovies, RecentMovies
from app.domain.catalogue.movies import Genre, MovieData
from app.domain.catalogue.queries import MovieQuery
from app.domain.shared import cache_keys
from app.domain.shared.errors import Conflict, InvalidInput, NotFound
from app.domain.shared.pagination import PageRequest
from tests.support.memory_movies import CatalogueData, InMemoryCatalogueDatabase, fake_rating


class RecordingCache:
    def __init__(self) -> None:
        self.deleted: list[str] = []

    async def get(self, key: str) -> bytes | None:
        return None

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        return None

    async def delete(self, *keys: str) -> None:
        self.deleted += keys

    async def get_or_set(
        self, key: str, ttl_seconds: float, produce: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        return await produce()

    async def ping(self) -> bool:
        return True


@pytest.fixture
def database() -> InMemoryCatalogueDatabase:
    genres = {28: Genre(28, "Action"), 878: Genre(878, "Science Fiction")}
    return InMemoryCatalogueDatabase(CatalogueData(genres=genres))


async def add(database: InMemoryCatalogueDatabase, *items: MovieData) -> list[int]:
    async with database.unit_of_work() as uow:
        ids = [(await uow.movies.add(item)).id for item in items]
        await uow.commit()
    return ids


async def test_pages_past_the_end(database: InMemoryCatalogueDatabase) -> None:
    empty = await ListMovies(database)(MovieQuery(), PageRequest())
    assert (empty.count, list(empty.items)) == (0, [])
    with pytest.raises(NotFound) as raised:
        await ListMovies(database)(MovieQuery(), PageRequest(page=2))
    assert raised.value.details[0]["field"] == "page"
    await add(database, MovieData(title="Only"))
    with pytest.raises(NotFound):
        await ListMovies(database)(MovieQuery(search="only"), PageRequest(page=10**30))


async def test_genres_by_name_or_id(database: InMemoryCatalogueDatabase) -> None:
    await add(
        database,
        MovieData(title="Alien", genre_ids=(878,)),
        MovieData(title="Heat", genre_ids=(28,)),
        MovieData(title="Both", genre_ids=(28, 878)),
    )
    listing = ListMovies(database)
    page = await listing(
        MovieQuery(genres=("SCIENCE FICTION", "28"), genre_mode="all"), PageRequest()
    )
    assert [item.movie.title for item in page.items] == ["Both"]
    assert page.items[0].genres == (Genre(28, "Action"), Genre(878, "Science Fiction"))
    with pytest.raises(InvalidInput) as raised:
        await listing(MovieQuery(genres=("action", "westerns", "99")), PageRequest())
    assert raised.value.details[0] == {"field": "genre", "message": "unknown genre: 99, westerns"}


async def test_detail_with_distribution_and_own_rating(database: InMemoryCatalogueDatabase) -> None:
    (movie_id,) = await add(database, MovieData(title="Rated", genre_ids=(28, 12)))
    database.data.scores[(1, movie_id)] = fake_rating(1, movie_id, 4)
    viewer = User(id=1, username="user1", email="u@example.com", password_hash=None)
    detail = await GetMovie(database)(movie_id, viewer)
    assert detail.genres == (Genre(28, "Action"),)  # 12 is not a known genre
    assert detail.rating_distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 0}
    assert detail.my_rating is not None and detail.my_rating.score == 4
    assert (await GetMovie(database)(movie_id)).my_rating is None
    with pytest.raises(NotFound):
        await GetMovie(database)(movie_id + 1)


async def test_recent_is_the_latest_added_whatever_the_release(
    database: InMemoryCatalogueDatabase,
) -> None:
    await add(
        database,
        MovieData(title="Classic", release_date=date(1950, 1, 1)),
        MovieData(title="Soon", release_date=date(2031, 1, 1)),
        MovieData(title="Undated"),
    )
    recent = await RecentMovies(database)()
    assert [item.movie.title for item in recent] == ["Undated", "Soon", "Classic"]


async def test_staff_edits(database: InMemoryCatalogueDatabase) -> None:
    cache = RecordingCache()
    created = await movie_admin.create_movie(database, MovieData(title=" New ", tmdb_id=5))
    movie_id = created.movie.id
    assert created.movie.title == "New"
    with pytest.raises(Conflict):
        await movie_admin.create_movie(database, MovieData(title="Again", tmdb_id=5))
    changed = await movie_admin.update_movie(database, cache, movie_id, {"runtime": 99})
    assert (changed.movie.title, changed.movie.runtime) == ("New", 99)
    assert cache.deleted == [cache_keys.movie_detail(movie_id)]
    for changes, field in (
        ({"genre_ids": (28, 4242)}, "genre_ids"),
        ({"ratings_count": 10}, "ratings_count"),
        ({"title": "  "}, "title"),
    ):
        with pytest.raises(InvalidInput) as raised:
            await movie_admin.update_movie(database, cache, movie_id, changes)
        assert raised.value.details[0]["field"] == field
    stored = database.data.movies[movie_id]
    assert (stored.title, stored.genre_ids, stored.ratings_count) == ("New", (), 0)
    with pytest.raises(NotFound):
        await movie_admin.update_movie(database, cache, movie_id + 1, {"runtime": 1})
    await movie_admin.delete_movie(database, cache, movie_id)
    assert movie_id not in database.data.movies
    with pytest.raises(NotFound):
        await movie_admin.delete_movie(database, cache, movie_id)
