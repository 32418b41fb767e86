"""Rating use cases against in-memory fakes: the rules, the aggregates and the invalidation."""

from __future__ import annotations

import pytest

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
from app.domain.social.ratings import RatingQuery, cleaned_review
from tests.support.social_fakes import FakeSocialDatabase


class RecordingCache:
    def __init__(self) -> None:
        self.deleted: list[str] = []

    async def delete(self, *keys: str) -> None:
        self.deleted.extend(keys)


@pytest.fixture
def world():
    database = FakeSocialDatabase()
    return database, RecordingCache(), database.add_user("alice"), database.add_user("bob")


async def test_rating_counts_in_the_aggregates_and_invalidates_exactly_its_keys(world) -> None:
    database, cache, alice, _ = world
    movie = database.add_movie("Heat")

    rating = await cases.rate_movie(database, cache, alice, movie, 4, "  tense  ")

    assert (rating.score, rating.review, rating.movie_title) == (4, "tense", "Heat")
    stored = database.data.movies[movie]
    assert (stored.ratings_count, stored.ratings_sum) == (1, 4)
    assert cache.deleted == list(
        cache_keys.keys_after_rating_change(alice.id, movie, alice.taste_version)
    )


async def test_a_duplicate_names_the_existing_rating_and_changes_nothing(world) -> None:
    database, cache, alice, _ = world
    movie = database.add_movie()
    first = await cases.rate_movie(database, cache, alice, movie, 4, None)

    with pytest.raises(Conflict) as raised:
        await cases.rate_movie(database, cache, alice, movie, 2, None)

    assert raised.value.extra == {"existing_rating_id": first.id}
    assert database.data.movies[movie].ratings_sum == 4 and database.commits == 1


@pytest.mark.parametrize("score", [0, 6, -1, True, "5", 4.0])
async def test_scores_outside_1_to_5_are_refused(world, score) -> None:
    database, cache, alice, _ = world
    with pytest.raises(InvalidInput) as raised:
        await cases.rate_movie(database, cache, alice, database.add_movie(), score, None)
    assert raised.value.details[0]["field"] == "score"
    assert database.commits == 0


def test_reviews_are_stripped_and_bounded() -> None:
    assert cleaned_review("   ") is None
    assert cleaned_review(" ok ") == "ok"
    with pytest.raises(InvalidInput):
        cleaned_review("x" * 1001)


async def test_only_the_author_changes_a_rating_and_never_its_movie(world) -> None:
    database, cache, alice, bob = world
    movie, other = database.add_movie(), database.add_movie()
    rating = await cases.rate_movie(database, cache, alice, movie, 2, "meh")

    with pytest.raises(PermissionDenied):
        await cases.update_rating(database, cache, bob, rating.id, cases.RatingChanges(score=5))
    with pytest.raises(PermissionDenied):
        await cases.delete_rating(database, cache, bob, rating.id)
    with pytest.raises(InvalidInput):
        await cases.update_rating(
            database, cache, alice, rating.id, cases.RatingChanges(score=5, movie_id=other)
        )
    updated = await cases.update_rating(
        database, cache, alice, rating.id, cases.RatingChanges(score=5)
    )

    assert (updated.score, updated.review) == (5, "meh")
    assert database.data.movies[movie].ratings_sum == 5
    await cases.delete_rating(database, cache, alice, rating.id)
    assert (database.data.movies[movie].ratings_count, database.data.movies[movie].ratings_sum) == (
        0,
        0,
    )
    with pytest.raises(NotFound):
        await cases.get_rating(database, rating.id)


async def test_user_me_resolves_to_the_caller(world) -> None:
    database, cache, alice, bob = world
    movie = database.add_movie()
    await cases.rate_movie(database, cache, alice, movie, 3, None)
    await cases.rate_movie(database, cache, bob, movie, 5, None)

    page = await cases.list_ratings(database, bob, RatingQuery(username="me"), PageRequest())

    assert [rating.username for rating in page.items] == ["bob"]
    with pytest.raises(NotAuthenticated):
        await cases.list_ratings(database, None, RatingQuery(username="me"), PageRequest())
    with pytest.raises(NotFound):
        await cases.list_movie_ratings(database, None, 999, RatingQuery(), PageRequest())


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
