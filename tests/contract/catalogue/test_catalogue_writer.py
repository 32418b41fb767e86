"""`PostgresCatalogueWriter` against a real PostgreSQL: one upsert per page, created and updated
counts, `updated_at` only moving when data changed, and details-only fields kept."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date

from sqlalchemy import select

from app.adapters.postgres.database import PostgresDatabase
from app.adapters.postgres.tables import genres, movies
from app.domain.catalogue.movies import Genre, MovieData


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


async def rows(database: PostgresDatabase) -> dict[int, object]:
    async with database.unit_of_work() as uow:
        result = await uow.connection.execute(select(movies))
        return {row.tmdb_id: row for row in result}


async def test_insert_then_update_then_nothing(catalogue_database: PostgresDatabase) -> None:
    async with catalogue_database.unit_of_work() as uow:
        first = await uow.catalogue.upsert_movies([movie(1), movie(2), movie(3)])
        await uow.commit()
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    before = await rows(catalogue_database)

    await asyncio.sleep(0.01)  # so that a touched updated_at would differ
    async with catalogue_database.unit_of_work() as uow:
        second = await uow.catalogue.upsert_movies(
            [movie(1), movie(2, vote_average=8.0), movie(3), movie(4)]
        )
        await uow.commit()
    assert (second.created, second.updated, second.unchanged) == (1, 1, 2)
    after = await rows(catalogue_database)
    assert after[1].updated_at == before[1].updated_at  # type: ignore[attr-defined]
    assert after[2].updated_at > before[2].updated_at  # type: ignore[attr-defined]
    assert after[2].vote_average == 8.0  # type: ignore[attr-defined]
    assert dict(second.ids).keys() == {2, 4}


async def test_list_data_keeps_what_details_stored(catalogue_database: PostgresDatabase) -> None:
    detailed = movie(9, runtime=121, imdb_id="tt0076759", tagline="Far away", status="Released")
    async with catalogue_database.unit_of_work() as uow:
        await uow.catalogue.upsert_movies([detailed])
        outcome = await uow.catalogue.upsert_movies([movie(9)])  # a list item: no details
        await uow.commit()
    assert outcome.unchanged == 1
    row = (await rows(catalogue_database))[9]
    assert (row.runtime, row.imdb_id, row.tagline) == (121, "tt0076759", "Far away")  # type: ignore[attr-defined]


async def test_quirky_values_and_duplicates_in_one_page(
    catalogue_database: PostgresDatabase,
) -> None:
    quirky = movie(5, poster_path=None, backdrop_path=None, release_date=None, genre_ids=())
    async with catalogue_database.unit_of_work() as uow:
        outcome = await uow.catalogue.upsert_movies(
            [quirky, movie(6), replace(quirky, title="Again")]
        )
        await uow.commit()
    assert outcome.created == 2
    stored = await rows(catalogue_database)
    assert stored[5].title == "Again" and stored[5].genre_ids == []  # type: ignore[attr-defined]


async def test_genres_upsert_and_lookups(catalogue_database: PostgresDatabase) -> None:
    async with catalogue_database.unit_of_work() as uow:
        await uow.catalogue.upsert_genres([Genre(28, "Action"), Genre(12, "Adventure")])
        await uow.catalogue.upsert_genres([Genre(28, "Action"), Genre(12, "Adventures")])
        await uow.catalogue.upsert_movies([movie(7)])
        await uow.commit()
    async with catalogue_database.unit_of_work() as uow:
        names = dict((await uow.connection.execute(select(genres.c.id, genres.c.name))).all())
        local = await uow.catalogue.local_ids([7, 8])
        stored = await uow.catalogue.stored(7)
        missing = await uow.catalogue.stored(8)
    # The schema's own TMDb genres are there too; these two were upserted over them.
    assert (names[28], names[12], len(names)) == ("Action", "Adventures", 19)
    assert list(local) == [7]
    assert stored is not None and missing is None
    local_id, data, named = stored
    assert local_id == local[7] and data.title == "Film 7"
    assert [genre.name for genre in named] == ["Action", "Adventures"]


async def test_concurrent_pages_sharing_movies_do_not_deadlock(
    catalogue_database: PostgresDatabase,
) -> None:
    async def page(ids: list[int]) -> None:
        async with catalogue_database.unit_of_work() as uow:
            await uow.catalogue.upsert_movies([movie(i, vote_count=i) for i in ids])
            await uow.commit()

    await asyncio.gather(*(page(list(range(100, 140))[::direction]) for direction in (1, -1) * 4))
    assert len(await rows(catalogue_database)) == 40
