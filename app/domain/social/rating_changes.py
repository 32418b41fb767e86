"""Use cases of ratings: each keeps the movie's aggregates in the rating's own transaction and
invalidates exactly the cache keys that depend on the change, after the commit."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.domain.accounts.ports import ActiveUsers
from app.domain.accounts.users import User
from app.domain.shared import cache_keys
from app.domain.shared.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from app.domain.shared.pagination import Page, PageRequest, past_the_end, within_range
from app.domain.shared.ports import Cache, Database, UnitOfWork
from app.domain.social.rating_totals import MovieRatingTotals, RatingWritten
from app.domain.social.ratings import (
    NewRating,
    Rating,
    RatingQuery,
    can_edit,
    checked_score,
    cleaned_review,
)
from app.domain.social.user_refs import username_of

ME = "me"


@dataclass(frozen=True, slots=True)
class RatingChanges:
    """What an update sets; `movie_id`, when sent, must be the rating's own movie."""

    score: int | None = None
    review: str | None = None
    review_sent: bool = False
    movie_id: int | None = None


class RateMovie:
    """One rating per user and movie: a second one is a conflict naming the first."""

    def __init__(
        self, database: Database, cache: Cache, active_users: ActiveUsers | None = None
    ) -> None:
        self._database, self._cache, self._active_users = database, cache, active_users

    async def __call__(
        self, user: User, movie_id: int, score: int, review: str | None
    ) -> RatingWritten:
        new = NewRating(user.id, movie_id, checked_score(score), cleaned_review(review))
        async with self._database.unit_of_work() as uow:
            rating = await uow.ratings.add(new)
            if rating is None:
                existing_id = await uow.ratings.id_for(user.id, movie_id)
                raise Conflict(
                    "You have already rated this movie.",
                    details=[{"field": "movie", "message": "already rated by you"}],
                    extra={"existing_rating_id": existing_id},
                )
            count, average, taste_version = await uow.ratings.adjust_movie_aggregates(
                movie_id, count=1, score_sum=rating.score, rater_id=user.id
            )
            await uow.commit()
        await _after_change(self._cache, self._active_users, user, movie_id, taste_version)
        return RatingWritten(rating, MovieRatingTotals.of(count, average))


class GetRating:
    """Ratings and reviews are public."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, rating_id: int) -> Rating:
        async with self._database.unit_of_work() as uow:
            return await _existing(uow, rating_id)


class ListRatings:
    """Public list; `user=me` means the caller and needs a signed-in caller; `user` is a
    username or a user id (`user_refs`)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(
        self, caller: User | None, query: RatingQuery, page: PageRequest
    ) -> Page[Rating]:
        query = _resolve_me(query, caller)
        if page.beyond_any_data:
            raise past_the_end()
        async with self._database.unit_of_work() as uow:
            if query.username is not None:
                query = replace(query, username=await username_of(uow, query.username))
            return within_range(await uow.ratings.find(query, page))


class ListMovieRatings:
    """The public list for one movie; an unknown movie is a 404, not an empty list."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(
        self, caller: User | None, movie_id: int, query: RatingQuery, page: PageRequest
    ) -> Page[Rating]:
        query = _resolve_me(query, caller)
        if page.beyond_any_data:
            raise past_the_end()
        async with self._database.unit_of_work() as uow:
            if not await uow.ratings.movie_exists(movie_id):
                raise NotFound(
                    "Movie not found.", details=[{"field": "id", "message": "unknown movie"}]
                )
            query = RatingQuery(movie_id, query.score, query.username, query.ordering)
            return within_range(await uow.ratings.find(query, page))


class UpdateRating:
    """Only the author edits a rating, and never moves it to another movie."""

    def __init__(
        self, database: Database, cache: Cache, active_users: ActiveUsers | None = None
    ) -> None:
        self._database, self._cache, self._active_users = database, cache, active_users

    async def __call__(self, user: User, rating_id: int, changes: RatingChanges) -> RatingWritten:
        async with self._database.unit_of_work() as uow:
            current = await _editable(uow, user, rating_id)
            if changes.movie_id is not None and changes.movie_id != current.movie_id:
                raise InvalidInput(
                    "The movie of a rating cannot be changed.",
                    details=[{"field": "movie", "message": "cannot be changed on update"}],
                )
            score = current.score if changes.score is None else checked_score(changes.score)
            review = cleaned_review(changes.review) if changes.review_sent else current.review
            rating = await uow.ratings.update(rating_id, score, review)
            # Run even when the score is unchanged: it returns the totals the answer carries.
            count, average, taste_version = await uow.ratings.adjust_movie_aggregates(
                current.movie_id, count=0, score_sum=score - current.score, rater_id=user.id
            )
            await uow.commit()
        await _after_change(self._cache, self._active_users, user, current.movie_id, taste_version)
        return RatingWritten(rating, MovieRatingTotals.of(count, average))


class DeleteRating:
    """Only the author deletes a rating; the movie's aggregates lose it in the same transaction.
    Returns the rating as it was, with the movie's totals without it."""

    def __init__(
        self, database: Database, cache: Cache, active_users: ActiveUsers | None = None
    ) -> None:
        self._database, self._cache, self._active_users = database, cache, active_users

    async def __call__(self, user: User, rating_id: int) -> RatingWritten:
        async with self._database.unit_of_work() as uow:
            current = await _editable(uow, user, rating_id)
            await uow.ratings.delete(rating_id)
            count, average, taste_version = await uow.ratings.adjust_movie_aggregates(
                current.movie_id, count=-1, score_sum=-current.score, rater_id=user.id
            )
            await uow.commit()
        await _after_change(self._cache, self._active_users, user, current.movie_id, taste_version)
        return RatingWritten(current, MovieRatingTotals.of(count, average))


async def _after_change(
    cache: Cache,
    active_users: ActiveUsers | None,
    user: User,
    movie_id: int,
    taste_version: int,
) -> None:
    """Drops what the change made stale, then moves the rater's cached account state to their
    new taste version (the key of their recommendations), sparing their next request a read."""
    await cache.delete(*cache_keys.keys_after_rating_change(user.id, movie_id, user.taste_version))
    if active_users is not None:
        await active_users.taste_changed(user, taste_version)


def _resolve_me(query: RatingQuery, caller: User | None) -> RatingQuery:
    if query.username != ME:
        return query
    if caller is None:
        raise NotAuthenticated("Sign in to list your own ratings (user=me).")
    return RatingQuery(query.movie_id, query.score, caller.username, query.ordering)


async def _existing(uow: UnitOfWork, rating_id: int, *, for_update: bool = False) -> Rating:
    rating = await uow.ratings.get(rating_id, for_update=for_update)
    if rating is None:
        raise NotFound("Rating not found.")
    return rating


async def _editable(uow: UnitOfWork, user: User, rating_id: int) -> Rating:
    rating = await _existing(uow, rating_id, for_update=True)
    if not can_edit(rating, user):
        raise PermissionDenied("Only the author can change this rating.")
    return rating
