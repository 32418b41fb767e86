"""One contract for the rating and playlist repositories, run against the in-memory fakes the unit
tests use and against PostgreSQL, so that the fakes cannot drift from the real behaviour."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.domain.accounts.users import NewUser
from app.domain.shared.errors import Conflict, NotFound
from app.domain.shared.pagination import PageRequest
from app.domain.social.playlists import PlaylistDraft, PlaylistQuery
from app.domain.social.ratings import NewRating, RatingQuery
from tests.support.fakes import FakeDatabase


@dataclass
class World:
    database: Any
    users: list[Any]
    movies: list[int]


@pytest.fixture(params=["fake", "postgres"])
async def world(request: pytest.FixtureRequest, database_url_for_test: str) -> AsyncIterator[World]:
    if request.param == "fake":
        fake = FakeDatabase()
        yield World(
            fake,
            [fake.add_user("alice"), fake.add_user("bob")],
            [fake.add_movie(f"Movie {n}") for n in range(4)],
        )
        return
    engine = create_engine(database_url_for_test)
    database = PostgresDatabase(engine)
    try:
        async with database.unit_of_work() as uow:
            users = [
                await uow.users.add(NewUser(name, f"{name}@example.com", None))
                for name in ("alice", "bob")
            ]
            movies = [
                (
                    await uow.connection.execute(
                        text("INSERT INTO movies (title) VALUES (:title) RETURNING id"),
                        {"title": f"Movie {n}"},
                    )
                ).scalar_one()
                for n in range(4)
            ]
            await uow.commit()
        yield World(database, users, movies)
    finally:
        await engine.dispose()


async def test_ratings_are_one_per_user_and_movie(world: World) -> None:
    alice, bob = world.users
    movie = world.movies[0]
    async with world.database.unit_of_work() as uow:
        first = await uow.ratings.add(NewRating(alice.id, movie, 4, "fine"))
        assert first is not None and (first.username, first.movie_title) == ("alice", "Movie 0")
        assert await uow.ratings.add(NewRating(alice.id, movie, 2, None)) is None
        assert await uow.ratings.id_for(alice.id, movie) == first.id
        await uow.ratings.add(NewRating(bob.id, movie, 2, None))
        count, average, bobs_taste = await uow.ratings.adjust_movie_aggregates(
            movie, count=2, score_sum=6, rater_id=bob.id
        )
        assert (count, average) == (2, 3.0)
        bob_now = await uow.users.get(bob.id)
        assert bob_now is not None and bobs_taste == bob_now.taste_version > bob.taste_version
        await uow.commit()
    async with world.database.unit_of_work() as uow:
        page = await uow.ratings.find(RatingQuery(ordering="score"), PageRequest(1, 1))
        assert page.count == 2 and [r.username for r in page.items] == ["bob"] and page.has_next
        mine = await uow.ratings.find(RatingQuery(username="ALICE"), PageRequest())
        assert [r.id for r in mine.items] == [first.id]
        assert await uow.ratings.movie_exists(movie) and not await uow.ratings.movie_exists(10**9)


async def test_rating_an_unknown_movie_is_not_found(world: World) -> None:
    async with world.database.unit_of_work() as uow:
        with pytest.raises(NotFound):
            await uow.ratings.add(NewRating(world.users[0].id, 10**9, 3, None))


async def test_uncommitted_work_is_rolled_back(world: World) -> None:
    async with world.database.unit_of_work() as uow:
        await uow.ratings.add(NewRating(world.users[0].id, world.movies[0], 3, None))
    async with world.database.unit_of_work() as uow:
        assert (await uow.ratings.find(RatingQuery(), PageRequest())).count == 0


async def test_playlist_items_keep_dense_positions(world: World) -> None:
    alice = world.users[0]
    a, b, c, d = world.movies
    async with world.database.unit_of_work() as uow:
        playlist_id = await uow.playlists.add(
            alice.id, PlaylistDraft("x", visibility="public"), "slug-1"
        )
        await uow.playlists.replace_movies(playlist_id, [b, a])
        await uow.playlists.insert_movie(playlist_id, c, 1)
        assert await uow.playlists.movie_ids(playlist_id) == [b, c, a]
        assert await uow.playlists.remove_movie(playlist_id, b)
        assert not await uow.playlists.remove_movie(playlist_id, b)
        await uow.playlists.replace_movies(playlist_id, [a, d, c])
        await uow.commit()
    async with world.database.unit_of_work() as uow:
        playlist = await uow.playlists.get(playlist_id)
        assert playlist is not None and playlist.movie_count == 3
        assert [(m.movie_id, m.position) for m in playlist.movies] == [(a, 0), (d, 1), (c, 2)]
        assert (await uow.playlists.get_by_slug("slug-1")).id == playlist_id
        assert await uow.playlists.unknown_movies([a, 10**9]) == [10**9]
        assert await uow.playlists.lock_owner(alice.id) == 1


async def test_playlist_names_are_unique_per_owner_and_listed_by_visibility(world: World) -> None:
    alice, bob = world.users
    async with world.database.unit_of_work() as uow:
        await uow.playlists.add(alice.id, PlaylistDraft("Mine", visibility="unlisted"), "s1")
        await uow.playlists.add(bob.id, PlaylistDraft("Mine", visibility="public"), "s2")
        await uow.commit()
    async with world.database.unit_of_work() as uow:
        with pytest.raises(Conflict):
            await uow.playlists.add(alice.id, PlaylistDraft("Mine"), "s3")
    async with world.database.unit_of_work() as uow:
        seen_by_bob = await uow.playlists.find(PlaylistQuery(viewer_id=bob.id), PageRequest())
        seen_by_alice = await uow.playlists.find(PlaylistQuery(viewer_id=alice.id), PageRequest())
        anonymous = await uow.playlists.find(PlaylistQuery(search="MIN"), PageRequest())
    assert [p.owner_username for p in seen_by_bob.items] == ["bob"]
    assert sorted(p.owner_username for p in seen_by_alice.items) == ["alice", "bob"]
    assert [p.slug for p in anonymous.items] == ["s2"]
