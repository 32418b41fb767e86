"""A list without search text runs statements built once per shape (which filters are set, the
order) with its values bound at execution: for any mix of filters and any order, the same count
and the same page as the statements built for that one query."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import date

import pytest

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.postgres.movies import count_statement, movie_from_row, page_statement
from app.domain.catalogue.movies import MovieData
from app.domain.catalogue.queries import ORDERINGS, MovieQuery
from app.domain.shared.pagination import PageRequest

GENRES = (28, 35, 18)


@pytest.fixture
async def database(database_url_for_test: str) -> AsyncIterator[PostgresDatabase]:
    engine = create_engine(database_url_for_test, pool_size=2, max_overflow=0)
    database = PostgresDatabase(engine)
    draw = random.Random(11)
    async with database.unit_of_work() as uow:
        for n in range(80):
            await uow.movies.add(
                MovieData(
                    title=f"Movie {n}",
                    release_date=date(draw.randint(1990, 2020), draw.randint(1, 12), 1)
                    if n % 7
                    else None,
                    vote_average=round(draw.uniform(0, 10), 1),
                    vote_count=draw.randint(0, 5000),
                    popularity=round(draw.uniform(0, 300), 3),
                    runtime=draw.randint(70, 200),
                    original_language=draw.choice(["en", "fr", "ja"]),
                    genre_ids=tuple(g for g in GENRES if draw.random() < 0.5),
                )
            )
        await uow.commit()
    try:
        yield database
    finally:
        await engine.dispose()


def random_query(draw: random.Random) -> MovieQuery:
    def maybe(value: object) -> object:
        return value if draw.random() < 0.35 else None

    year = draw.randint(1995, 2015)
    return MovieQuery(
        year=maybe(year),  # type: ignore[arg-type]
        year_gte=maybe(year - 5),  # type: ignore[arg-type]
        year_lte=maybe(year + 5),  # type: ignore[arg-type]
        min_rating=maybe(draw.uniform(0, 6)),  # type: ignore[arg-type]
        max_rating=maybe(draw.uniform(4, 10)),  # type: ignore[arg-type]
        min_popularity=maybe(draw.uniform(0, 200)),  # type: ignore[arg-type]
        min_runtime=maybe(90),  # type: ignore[arg-type]
        max_runtime=maybe(180),  # type: ignore[arg-type]
        min_votes=maybe(1000),  # type: ignore[arg-type]
        language=maybe(draw.choice([" EN", "fr"])),  # type: ignore[arg-type]
        genre_ids=tuple(g for g in GENRES if draw.random() < 0.4),
        genre_mode=draw.choice(["any", "all"]),
        ordering=draw.choice([None, *ORDERINGS]),
    )


async def test_shaped_statements_answer_as_the_built_ones(database: PostgresDatabase) -> None:
    draw = random.Random(5)
    for _ in range(150):
        query, page = random_query(draw), PageRequest(draw.randint(1, 3), draw.choice([5, 20]))
        async with database.unit_of_work() as uow:
            count = await uow.movies.count(query)
            listed = await uow.movies.page(query, page)
            built_count = (await uow.connection.execute(count_statement(query))).scalar_one()
            built = [
                movie_from_row(r) for r in await uow.connection.execute(page_statement(query, page))
            ]
        assert count == built_count, query
        assert [m.id for m in listed] == [m.id for m in built], query
