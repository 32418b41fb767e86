"""Rating use cases against in-memory fakes: the rules, the aggregates and the invalidation."""

from __future__ import annotations

from typing import Any

import pytest

from app.bootstrap.use_cases import build_social
from app.domain.accounts.users import User
from app.domain.shared import cache_keys
from app.domain.shared.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from app.domain.shared.pagination import Page, PageRequest, within_range
from app.domain.social import rating_changes as cases
from app.domain.social.rating_totals import MovieRatingTotals
from app.domain.social.ratings import RatingQuery, cleaned_review
from app.domain.social.use_cases import SocialUseCases
from tests.support.fakes import FakeDatabase, RecordingCache

World = tuple[FakeDatabase, RecordingCache, User, User]


def social(database: FakeDatabase, cache: RecordingCache | None = None) -> SocialUseCases:
    """The social use cases as the composition root builds them, over the fakes."""
    return build_social(database, cache or RecordingCache())


@pytest.fixture
def world() -> World:
    database = FakeDatabase()
    return database, RecordingCache(), database.add_user("alice"), database.add_user("bob")


async def test_rating_counts_in_the_aggregates_and_invalidates_exactly_its_keys(
    world: World,
) -> None:
    database, cache, alice, _ = world
    movie = database.add_movie("Heat")

    written = await social(database, cache).rate_movie(alice, movie, 4, "  tense  ")

    rating = written.rating
    assert (rating.score, rating.review, rating.movie_title) == (4, "tense", "Heat")
    assert written.movie_totals == MovieRatingTotals(4.0, 1)
    stored = database.store.movies[movie]
    assert (stored.ratings_count, database.store.ratings_sums[movie]) == (1, 4)
    assert cache.deleted == list(
        cache_keys.keys_after_rating_change(alice.id, movie, alice.taste_version)
    )


async def test_a_duplicate_names_the_existing_rating_and_changes_nothing(world: World) -> None:
    database, cache, alice, _ = world
    movie = database.add_movie()
    first = (await social(database, cache).rate_movie(alice, movie, 4, None)).rating

    with pytest.raises(Conflict) as raised:
        await social(database, cache).rate_movie(alice, movie, 2, None)

    assert raised.value.extra == {"existing_rating_id": first.id}
    assert database.store.ratings_sums[movie] == 4 and database.commits == 1


@pytest.mark.parametrize("score", [0, 6, -1, True, "5", 4.0])
async def test_scores_outside_1_to_5_are_refused(world: World, score: Any) -> None:
    database, cache, alice, _ = world
    with pytest.raises(InvalidInput) as raised:
        await social(database, cache).rate_movie(alice, database.add_movie(), score, None)
    assert raised.value.details[0]["field"] == "score"
    assert database.commits == 0


def test_reviews_are_stripped_and_bounded() -> None:
    assert cleaned_review("   ") is None
    assert cleaned_review(" ok ") == "ok"
    with pytest.raises(InvalidInput):
        cleaned_review("x" * 1001)


async def test_only_the_author_changes_a_rating_and_never_its_movie(world: World) -> None:
    database, cache, alice, bob = world
    movie, other = database.add_movie(), database.add_movie()
    rating = (await social(database, cache).rate_movie(alice, movie, 2, "meh")).rating

    with pytest.raises(PermissionDenied):
        await social(database, cache).update_rating(bob, rating.id, cases.RatingChanges(score=5))
    with pytest.raises(PermissionDenied):
        await social(database, cache).delete_rating(bob, rating.id)
    with pytest.raises(InvalidInput):
        await social(database, cache).update_rating(
            alice, rating.id, cases.RatingChanges(score=5, movie_id=other)
        )
    updated = await social(database, cache).update_rating(
        alice, rating.id, cases.RatingChanges(score=5)
    )

    assert (updated.rating.score, updated.rating.review) == (5, "meh")
    assert updated.movie_totals == MovieRatingTotals(5.0, 1)
    assert database.store.ratings_sums[movie] == 5
    deleted = await social(database, cache).delete_rating(alice, rating.id)
    assert deleted.movie_totals == MovieRatingTotals(None, 0)
    assert (database.store.movies[movie].ratings_count, database.store.ratings_sums[movie]) == (
        0,
        0,
    )
    with pytest.raises(NotFound):
        await social(database).get_rating(rating.id)


async def test_user_me_resolves_to_the_caller(world: World) -> None:
    database, cache, alice, bob = world
    movie = database.add_movie()
    await social(database, cache).rate_movie(alice, movie, 3, None)
    await social(database, cache).rate_movie(bob, movie, 5, None)

    page = await social(database).list_ratings(bob, RatingQuery(username="me"), PageRequest())

    assert [rating.username for rating in page.items] == ["bob"]
    with pytest.raises(NotAuthenticated):
        await social(database).list_ratings(None, RatingQuery(username="me"), PageRequest())
    with pytest.raises(NotFound):
        await social(database).list_movie_ratings(None, 999, RatingQuery(), PageRequest())


def test_a_page_past_the_last_is_not_found_but_an_empty_first_page_is_fine() -> None:
    assert within_range(Page([], 0, PageRequest(1))).count == 0
    with pytest.raises(NotFound):
        within_range(Page([], 5, PageRequest(2)))
    assert PageRequest(2**62).beyond_any_data and not PageRequest(10**6).beyond_any_data


@pytest.mark.parametrize(("page", "size"), [(0, 20), (-1, 20), (1, 0), (1, 101)])
def test_page_requests_are_bounded(page: int, size: int) -> None:
    with pytest.raises(InvalidInput):
        PageRequest(page, size)


def test_unknown_orderings_are_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        RatingQuery(ordering="title")
    assert raised.value.details[0]["field"] == "ordering"
