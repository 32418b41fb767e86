"""One contract for the profile and statistics repositories, run against the in-memory fake and
against PostgreSQL. Everything is written through the ports, so both start from the same data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.domain.accounts.users import NewUser, User
from app.domain.catalogue.movies import Genre, MovieData
from app.domain.shared.pagination import PageRequest
from app.domain.shared.ports import Database
from app.domain.social.playlists import PlaylistDraft
from app.domain.social.profiles import ProfileChanges
from app.domain.social.ratings import NewRating
from app.domain.social.stats import RatedMovie
from tests.support.fakes import FakeDatabase

GENRES = (Genre(18, "Drama"), Genre(35, "Comedy"))


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


async def seed(database: Database) -> tuple[User, User, list[int]]:
    """Alice rates three movies (one reviewed), Bob rates the first (reviewed); Alice has a
    public and a private playlist."""
    async with database.unit_of_work() as uow:
        await uow.catalogue.upsert_genres(GENRES)
        alice = await uow.users.add(NewUser("alice", "alice@example.com", None))
        bob = await uow.users.add(NewUser("bob", "bob@example.com", None))
        movies = [
            (await uow.movies.add(MovieData(title=title, **fields))).id  # type: ignore[arg-type]
            for title, fields in (
                (
                    "Drama 95",
                    {"genre_ids": (18,), "release_date": date(1995, 5, 1), "runtime": 100},
                ),
                (
                    "Comedy 05",
                    {"genre_ids": (35,), "release_date": date(2005, 5, 1), "runtime": 90},
                ),
                ("Both 07", {"genre_ids": (18, 35), "release_date": date(2007, 5, 1)}),
            )
        ]
        given = [(alice, movies[0], 5, "great"), (alice, movies[1], 2, None)]
        given += [(alice, movies[2], 4, None), (bob, movies[0], 3, "ok")]
        for user, movie, score, review in given:
            await uow.ratings.add(NewRating(user.id, movie, score, review))
            await uow.ratings.adjust_movie_aggregates(
                movie, count=1, score_sum=score, rater_id=user.id
            )
        await uow.playlists.add(alice.id, PlaylistDraft("shown", visibility="public"), "s-1")
        await uow.playlists.add(alice.id, PlaylistDraft("hidden"), "s-2")
        await uow.commit()
    return alice, bob, movies


async def test_a_profile_update_is_what_locked_user_reads_next(database: Database) -> None:
    alice, _, _ = await seed(database)
    async with database.unit_of_work() as uow:
        assert (await uow.profiles.locked_user(alice.id)).bio == ""
        assert await uow.profiles.unknown_genres((35, 4242, 18, 4343)) == [4242, 4343]
        changed = await uow.profiles.update(
            alice.id, ProfileChanges((35, 18), " film buff ", "https://example.com/a.png")
        )
        await uow.commit()
    assert (changed.favorite_genres, changed.bio) == ((35, 18), "film buff")
    async with database.unit_of_work() as uow:
        again = await uow.profiles.locked_user(alice.id)
    assert (again.favorite_genres, again.avatar_url) == ((35, 18), "https://example.com/a.png")


async def test_a_public_profile_counts_only_what_is_public(database: Database) -> None:
    await seed(database)
    async with database.unit_of_work() as uow:
        profile = await uow.profiles.public_profile("ALICE")
        assert await uow.profiles.public_profile("nobody") is None
    assert profile is not None and profile.username == "alice"
    counts = (profile.ratings_count, profile.reviews_count, profile.public_playlists_count)
    assert counts == (3, 1, 1)  # the private playlist is not counted


async def test_the_profile_list_is_by_username_and_paged(database: Database) -> None:
    await seed(database)
    async with database.unit_of_work() as uow:
        first = await uow.profiles.list_public(PageRequest(1, 1))
        second = await uow.profiles.list_public(PageRequest(2, 1))
    assert first.count == second.count == 2
    assert [p.username for p in (*first.items, *second.items)] == ["alice", "bob"]
    assert (first.items[0].ratings_count, first.items[0].public_playlists_count) == (3, 1)


async def test_the_facts_of_the_statistics(database: Database) -> None:
    alice, bob, movies = await seed(database)
    since = datetime.now(UTC) - timedelta(days=31)
    async with database.unit_of_work() as uow:
        facts = await uow.stats.facts(alice.id, since)
        nothing = await uow.stats.facts(bob.id + 1000, since)
    assert (facts.total_ratings, facts.reviews, facts.watch_minutes, facts.playlists) == (
        3,
        1,
        190,
        2,
    )
    assert facts.average_rating == pytest.approx(11 / 3)
    assert dict(facts.distribution) == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    # Only the first movie was rated by someone else too: Alice gave 5, Bob 3.
    assert (facts.compared_movies, facts.own_average_on_compared) == (1, 5.0)
    assert facts.community_average_on_compared == 3.0
    assert facts.highest == RatedMovie(movies[0], "Drama 95", 5)
    assert facts.lowest == RatedMovie(movies[1], "Comedy 05", 2)
    by_genre = {g.name: (g.ratings, g.liked, g.average) for g in facts.genres}
    assert by_genre == {"Drama": (2, 2, 4.5), "Comedy": (2, 1, 3.0)}
    assert sorted(facts.decades) == [(1990, 1), (2000, 2)]
    assert sum(count for _, count in facts.months) == 3
    assert (nothing.total_ratings, nothing.average_rating, nothing.highest) == (0, None, None)
