"""The typo-forgiving search's PostgreSQL half: the vocabulary of title words kept by triggers,
and close words found with the trigram index and without it (the embedded server's fallback)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, text, update

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.postgres.fuzzy_search import (
    candidate_words,
    close_words,
    corrections,
    has_trigrams,
)
from app.adapters.postgres.tables import movie_title_words, movies
from app.domain.catalogue.movies import MovieData


@pytest.fixture
async def database(database_url_for_test: str) -> AsyncIterator[PostgresDatabase]:
    engine = create_engine(database_url_for_test, pool_size=2, max_overflow=0)
    try:
        yield PostgresDatabase(engine)
    finally:
        await engine.dispose()


async def vocabulary(database: PostgresDatabase) -> set[str]:
    async with database.unit_of_work() as uow:
        return set((await uow.connection.execute(select(movie_title_words.c.word))).scalars())


async def add_titles(database: PostgresDatabase, *titles: str) -> list[int]:
    async with database.unit_of_work() as uow:
        ids = [(await uow.movies.add(MovieData(title=title))).id for title in titles]
        await uow.commit()
    return ids


async def test_vocabulary_follows_inserts_and_renames(database: PostgresDatabase) -> None:
    [first, _] = await add_titles(database, "The Godfather: Part II", "Amélie")
    assert await vocabulary(database) == {"the", "godfather", "part", "ii", "amelie"}
    async with database.unit_of_work() as uow:
        await uow.connection.execute(
            update(movies).where(movies.c.id == first).values(title="Interstellar 2")
        )
        await uow.commit()
    # Words are only ever added: a stale one matches no movie, which is harmless.
    assert {"interstellar", "2", "godfather"} <= await vocabulary(database)


@pytest.mark.parametrize("trigrams", [False, True])
async def test_typos_find_the_title_word(database: PostgresDatabase, trigrams: bool) -> None:
    await add_titles(database, "Interstellar", "The Godfather", "Gladiator", "Godzilla")
    async with database.unit_of_work() as uow:
        if trigrams and not await has_trigrams(uow.connection):
            pytest.skip("this PostgreSQL does not ship pg_trgm")
        for typo, word in [("interstelar", "interstellar"), ("godfater", "godfather")]:
            candidates = await candidate_words(uow.connection, typo, trigrams=trigrams)
            assert close_words(typo, candidates)[0] == word
        # Two edits at most: "godzila" is one from Godzilla, three from Godfather.
        candidates = await candidate_words(uow.connection, "godzila", trigrams=trigrams)
        assert close_words("godzila", candidates) == ["godzilla"]


async def test_the_fallback_needs_the_first_letter(database: PostgresDatabase) -> None:
    await add_titles(database, "Interstellar")
    async with database.unit_of_work() as uow:
        assert await candidate_words(uow.connection, "unterstellar", trigrams=False) == []
        if await has_trigrams(uow.connection):
            found = await candidate_words(uow.connection, "unterstellar", trigrams=True)
            assert close_words("unterstellar", found) == ["interstellar"]


async def test_without_pg_trgm_the_fallback_is_used(database: PostgresDatabase) -> None:
    async with database.unit_of_work() as uow:
        await uow.connection.execute(text("DROP EXTENSION IF EXISTS pg_trgm CASCADE"))
        await uow.commit()
    await add_titles(database, "Interstellar")
    async with database.unit_of_work() as uow:
        assert not await has_trigrams(uow.connection)
        assert await corrections(uow.connection, ["interstelar"], trigrams=False) == [
            ["interstelar", "interstellar"]
        ]
        # An unfinished last word is not a typo of the word it starts with.
        assert await corrections(uow.connection, ["interstellarx"], trigrams=False) is None
