"""One suite for the catalogue's ports, run against the in-memory fake and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.postgres.tables import genres, ratings, users
from app.domain.catalogue.movies import Genre, MovieData
from app.domain.catalogue.queries import MovieQuery
from app.domain.shared.errors import Conflict
from app.domain.shared.pagination import PageRequest
from app.domain.social.ratings import NewRating
from tests.support.fakes import FakeDatabase

GENRES = [Genre(28, "Action"), Genre(35, "Comedy"), Genre(18, "Drama")]


@pytest.fixture(params=["fake", "postgres"])
async def database(
    request: pytest.FixtureRequest, database_url_for_test: str
) -> AsyncIterator[Any]:
    if request.param == "fake":
        fake = FakeDatabase()
        fake.add_genres(*GENRES)
        yield fake
        return
    engine = create_engine(database_url_for_test, pool_size=2, max_overflow=0)
    async with engine.begin() as connection:
        # The same genres as the fake: the schema's own TMDb genres less the others.
        await connection.execute(genres.delete().where(genres.c.id.not_in([g.id for g in GENRES])))
        rows = [{"id": g.id, "name": g.name} for g in GENRES]
        await connection.execute(pg_insert(genres).on_conflict_do_nothing(), rows)
    try:
        yield PostgresDatabase(engine)
    finally:
        await engine.dispose()


async def add(database: Any, *items: MovieData) -> list[int]:
    async with database.unit_of_work() as uow:
        ids = [(await uow.movies.add(item)).id for item in items]
        await uow.commit()
    return ids


async def test_add_get_replace_delete(database: Any) -> None:
    (movie_id,) = await add(database, MovieData(title="Heat", tmdb_id=949, genre_ids=(28, 18)))
    async with database.unit_of_work() as uow:
        movie = await uow.movies.get(movie_id)
        assert movie is not None
        assert (movie.title, movie.genre_ids, movie.ratings_count) == ("Heat", (28, 18), 0)
        changed = await uow.movies.replace(movie_id, MovieData(title="Heat (1995)", runtime=170))
        assert (changed.title, changed.runtime, changed.tmdb_id) == ("Heat (1995)", 170, None)
        await uow.commit()
    async with database.unit_of_work() as uow:
        assert await uow.movies.delete(movie_id)
        assert not await uow.movies.delete(movie_id)
        await uow.commit()
    async with database.unit_of_work() as uow:
        assert await uow.movies.get(movie_id) is None


async def test_nothing_is_kept_without_a_commit(database: Any) -> None:
    async with database.unit_of_work() as uow:
        movie = await uow.movies.add(MovieData(title="Draft"))
    async with database.unit_of_work() as uow:
        assert await uow.movies.get(movie.id) is None


async def test_a_taken_tmdb_id_is_a_conflict(database: Any) -> None:
    await add(database, MovieData(title="One", tmdb_id=1))
    with pytest.raises(Conflict):
        await add(database, MovieData(title="Two", tmdb_id=1))


async def test_filters_orders_and_pages(database: Any) -> None:
    await add(
        database,
        MovieData(title="B", release_date=date(2001, 5, 1), popularity=3, genre_ids=(28,)),
        MovieData(title="A", popularity=2, genre_ids=(28, 35), vote_count=150, vote_average=8),
        MovieData(title="C", release_date=date(1999, 1, 1), popularity=1, runtime=95),
    )
    async with database.unit_of_work() as uow:
        movies = uow.movies

        async def titles(query: MovieQuery, page: PageRequest | None = None) -> list[str]:
            return [m.title for m in await movies.page(query, page or PageRequest())]

        assert await titles(MovieQuery()) == ["B", "A", "C"]
        assert await titles(MovieQuery(ordering="title")) == ["A", "B", "C"]
        assert await titles(MovieQuery(ordering="-release_date")) == ["B", "C", "A"]
        assert await titles(MovieQuery(ordering="release_date")) == ["C", "B", "A"]
        assert await titles(MovieQuery(genre_ids=(28, 35), genre_mode="all")) == ["A"]
        assert await titles(MovieQuery(genre_ids=(35, 28))) == ["B", "A"]
        assert await titles(MovieQuery(year_lte=2000)) == ["C"]
        assert await titles(MovieQuery(min_runtime=90)) == ["C"]
        assert await titles(MovieQuery(), PageRequest(page=2, page_size=2)) == ["C"]
        assert await movies.count(MovieQuery(genre_ids=(28,))) == 2
        assert [m.title for m in await movies.top_rated(100, 20)] == ["A"]
        assert [m.title for m in await movies.recently_added(2)] == ["C", "A"]


async def test_search_counts_in_the_same_pass(database: Any) -> None:
    await add(
        database,
        MovieData(title="Amélie", overview="A waitress in Paris."),
        MovieData(title="Paris, Texas"),
        MovieData(title="Heat"),
    )
    async with database.unit_of_work() as uow:
        found, count = await uow.movies.page_with_count(MovieQuery(search="AMELIE"), PageRequest())
        assert ([m.title for m in found], count) == (["Amélie"], 1)
        found, count = await uow.movies.page_with_count(MovieQuery(search="paris"), PageRequest())
        assert (sorted(m.title for m in found), count) == (["Amélie", "Paris, Texas"], 2)
        past = PageRequest(page=3, page_size=1)
        assert await uow.movies.page_with_count(MovieQuery(search="paris"), past) == ([], 0)


async def test_genres(database: Any) -> None:
    async with database.unit_of_work() as uow:
        assert [g.name for g in await uow.genres.all()] == ["Action", "Comedy", "Drama"]
        assert set(await uow.genres.by_ids([18, 99])) == {18}
        found = await uow.genres.matching([28], ["comedy", "western"])
        assert sorted(g.id for g in found) == [28, 35]


async def test_ratings_as_the_detail_shows_them(database: Any) -> None:
    (movie_id,) = await add(database, MovieData(title="Rated"))
    if isinstance(database, FakeDatabase):
        for user_id in (1, 2, 3):
            database.add_user(f"user{user_id}", id=user_id)
        async with database.unit_of_work() as uow:
            for user_id, score in ((1, 5), (2, 5), (3, 2)):
                await uow.ratings.add(NewRating(user_id, movie_id, score, None))
            await uow.commit()
    else:
        async with database.engine.begin() as connection:
            for user_id, score in ((1, 5), (2, 5), (3, 2)):
                await connection.execute(
                    insert(users).values(
                        id=user_id,
                        username=f"user{user_id}",
                        username_canonical=f"user{user_id}",
                        email=f"u{user_id}@example.com",
                    )
                )
                await connection.execute(
                    insert(ratings).values(user_id=user_id, movie_id=movie_id, score=score)
                )
    async with database.unit_of_work() as uow:
        assert await uow.movies.rating_distribution(movie_id) == {5: 2, 2: 1}
        mine = await uow.movies.rating_by(3, movie_id)
        assert mine is not None
        assert (mine.score, mine.username, mine.movie_title) == (2, "user3", "Rated")
        assert await uow.movies.rating_by(4, movie_id) is None
