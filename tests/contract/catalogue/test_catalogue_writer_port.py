"""The `CatalogueWriter` port as its callers see it, run against the in-memory fake and against
PostgreSQL (`test_catalogue_writer.py` checks PostgreSQL's rows and timestamps)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date

import pytest

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.domain.catalogue.movies import Genre, MovieData
from app.domain.shared.ports import Database
from tests.support.fakes import FakeDatabase


@pytest.fixture(params=["fake", "postgres"])
async def database(
    request: pytest.FixtureRequest, database_url_for_test: str
) -> AsyncIterator[Database]:
    if request.param == "fake":
        yield FakeDatabase()
        return
    engine = create_engine(database_url_for_test)
    try:
        yield PostgresDatabase(engine)
    finally:
        await engine.dispose()


def movie(tmdb_id: int, **changes: object) -> MovieData:
    base = MovieData(
        title=f"Film {tmdb_id}",
        tmdb_id=tmdb_id,
        release_date=date(2020, 1, 2),
        genre_ids=(28, 12),
        popularity=10.5,
        vote_average=7.0,
        vote_count=100,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


async def stored_title(database: Database, tmdb_id: int) -> str | None:
    async with database.unit_of_work() as uow:
        found = await uow.catalogue.stored(tmdb_id)
    return None if found is None else found[1].title


async def test_insert_then_update_then_nothing(database: Database) -> None:
    async with database.unit_of_work() as uow:
        first = await uow.catalogue.upsert_movies([movie(1), movie(2), movie(3)])
        await uow.commit()
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    async with database.unit_of_work() as uow:
        second = await uow.catalogue.upsert_movies(
            [movie(1), movie(2, vote_average=8.0), movie(3), movie(4)]
        )
        local = await uow.catalogue.local_ids([1, 2, 3, 4, 5])
        await uow.commit()
    assert (second.created, second.updated, second.unchanged) == (1, 1, 2)
    assert dict(second.ids) == {2: local[2], 4: local[4]} and set(local) == {1, 2, 3, 4}
    assert dict(first.ids) == {tmdb_id: local[tmdb_id] for tmdb_id in (1, 2, 3)}


async def test_list_data_keeps_what_details_stored(database: Database) -> None:
    detailed = movie(9, runtime=121, imdb_id="tt0076759", tagline="Far away", status="Released")
    async with database.unit_of_work() as uow:
        await uow.catalogue.upsert_movies([detailed])
        outcome = await uow.catalogue.upsert_movies([movie(9)])  # a list item: no details
        changed = await uow.catalogue.upsert_movies([movie(9, title="Renamed")])
        await uow.commit()
    assert (outcome.unchanged, changed.updated) == (1, 1)
    async with database.unit_of_work() as uow:
        found = await uow.catalogue.stored(9)
    assert found is not None
    data = found[1]
    assert (data.title, data.runtime, data.imdb_id, data.status) == (
        "Renamed",
        121,
        "tt0076759",
        "Released",
    )


async def test_the_last_of_duplicates_in_one_page_wins(database: Database) -> None:
    quirky = movie(5, poster_path=None, release_date=None, genre_ids=())
    async with database.unit_of_work() as uow:
        outcome = await uow.catalogue.upsert_movies(
            [quirky, movie(6), replace(quirky, title="Again")]
        )
        await uow.commit()
    assert outcome.created == 2
    assert await stored_title(database, 5) == "Again"


async def test_genres_upsert_and_lookups(database: Database) -> None:
    async with database.unit_of_work() as uow:
        await uow.catalogue.upsert_genres([Genre(28, "Action"), Genre(12, "Adventure")])
        await uow.catalogue.upsert_genres([Genre(28, "Action"), Genre(12, "Adventures")])
        await uow.catalogue.upsert_movies([movie(7)])
        await uow.commit()
    async with database.unit_of_work() as uow:
        local = await uow.catalogue.local_ids([7, 8])
        stored = await uow.catalogue.stored(7)
        missing = await uow.catalogue.stored(8)
    assert list(local) == [7] and stored is not None and missing is None
    local_id, data, named = stored
    assert local_id == local[7] and data.title == "Film 7"
    assert [genre.name for genre in named] == ["Action", "Adventures"]


async def test_nothing_is_written_without_a_commit(database: Database) -> None:
    async with database.unit_of_work() as uow:
        await uow.catalogue.upsert_movies([movie(11)])
    assert await stored_title(database, 11) is None
