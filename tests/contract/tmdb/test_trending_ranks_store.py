"""`replace_trending` on PostgreSQL: per window, wholesale, safe when two syncs overlap, and
gone with the movie."""

from __future__ import annotations

import asyncio

from sqlalchemy import delete, select

from app.adapters.postgres.database import PostgresDatabase
from app.adapters.postgres.tables import movies, tmdb_trending
from app.domain.catalogue.movies import MovieData


async def movie_ids(database: PostgresDatabase, count: int) -> list[int]:
    async with database.unit_of_work() as uow:
        outcome = await uow.catalogue.upsert_movies(
            [MovieData(title=f"Film {i}", tmdb_id=i) for i in range(1, count + 1)]
        )
        await uow.commit()
    return [local for _, local in sorted(outcome.ids)]


async def ranks(database: PostgresDatabase) -> dict[str, list[tuple[int, int]]]:
    query = select(tmdb_trending).order_by(tmdb_trending.c.time_window, tmdb_trending.c.rank)
    found: dict[str, list[tuple[int, int]]] = {}
    async with database.unit_of_work() as uow:
        for row in await uow.connection.execute(query):
            found.setdefault(row.time_window, []).append((row.rank, row.movie_id))
    return found


async def test_windows_are_replaced_apart_and_overlapping_syncs_serialise(
    catalogue_database: PostgresDatabase,
) -> None:
    a, b, c = await movie_ids(catalogue_database, 3)

    async def replace(window: str, ranked: list[tuple[int, int]]) -> None:
        async with catalogue_database.unit_of_work() as uow:
            await uow.catalogue.replace_trending(window, ranked)  # type: ignore[arg-type]
            await asyncio.sleep(0.05)  # hold the transaction so the other one overlaps
            await uow.commit()

    await replace("week", [(1, c)])
    await asyncio.gather(replace("day", [(1, a), (2, b)]), replace("day", [(1, b), (2, a)]))
    stored = await ranks(catalogue_database)
    assert stored["week"] == [(1, c)]
    assert stored["day"] in ([(1, a), (2, b)], [(1, b), (2, a)])

    async with catalogue_database.unit_of_work() as uow:
        await uow.connection.execute(delete(movies).where(movies.c.id == a))
        await uow.commit()
    assert [movie for _, movie in (await ranks(catalogue_database))["day"]] == [b]
