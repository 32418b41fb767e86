"""Fake of the `RatingRepository`, keeping the movie's aggregates as the movies table does."""

from __future__ import annotations

from dataclasses import replace

from app.domain.accounts.usernames import canonical_username
from app.domain.shared.errors import NotFound
from app.domain.shared.pagination import Page, PageRequest
from app.domain.social.ratings import NewRating, Rating, RatingQuery
from tests.support.fakes.store import FakeStore, NewId, now


class FakeRatingRepository:
    def __init__(self, store: FakeStore, new_id: NewId) -> None:
        self._store, self._new_id = store, new_id

    async def add(self, rating: NewRating) -> Rating | None:
        movie = self._store.movies.get(rating.movie_id)
        if movie is None:
            raise NotFound("Movie not found.", details=[{"field": "movie", "message": "unknown"}])
        if await self.id_for(rating.user_id, rating.movie_id) is not None:
            return None
        rating_id, at = self._new_id(), now()
        username = self._store.users[rating.user_id].username
        self._store.ratings[rating_id] = Rating(
            rating_id,
            rating.user_id,
            username,
            rating.movie_id,
            movie.title,
            rating.score,
            rating.review,
            at,
            at,
        )
        return self._store.ratings[rating_id]

    async def id_for(self, user_id: int, movie_id: int) -> int | None:
        for rating in self._store.ratings.values():
            if (rating.user_id, rating.movie_id) == (user_id, movie_id):
                return rating.id
        return None

    async def movie_exists(self, movie_id: int) -> bool:
        return movie_id in self._store.movies

    async def get(self, rating_id: int, *, for_update: bool = False) -> Rating | None:
        return self._store.ratings.get(rating_id)

    async def update(self, rating_id: int, score: int, review: str | None) -> Rating:
        current = self._store.ratings[rating_id]
        rating = replace(current, score=score, review=review, updated_at=now())
        self._store.ratings[rating_id] = rating
        return rating

    async def delete(self, rating_id: int) -> None:
        del self._store.ratings[rating_id]

    async def adjust_movie_aggregates(
        self, movie_id: int, count: int, score_sum: int, rater_id: int
    ) -> tuple[int, float | None, int]:
        movie = self._store.movies[movie_id]
        total = self._store.ratings_sums.get(movie_id, 0) + score_sum
        self._store.ratings_sums[movie_id] = total
        ratings_count = movie.ratings_count + count
        average = total / ratings_count if ratings_count else None
        self._store.movies[movie_id] = replace(
            movie, ratings_count=ratings_count, rating_average=average
        )
        # As PostgreSQL's trigger: the rating's change moved the rater's taste version.
        rater = self._store.users[rater_id]
        self._store.users[rater_id] = replace(rater, taste_version=rater.taste_version + 1)
        return ratings_count, average, rater.taste_version + 1

    async def find(self, query: RatingQuery, page: PageRequest) -> Page[Rating]:
        found = [
            rating
            for rating in self._store.ratings.values()
            if query.movie_id in (None, rating.movie_id)
            and query.score in (None, rating.score)
            and (
                query.username is None
                or canonical_username(rating.username) == canonical_username(query.username)
            )
        ]
        key = query.ordering.lstrip("-")
        found.sort(key=lambda r: (getattr(r, key), r.id), reverse=query.ordering.startswith("-"))
        return Page(found[page.offset : page.offset + page.limit], len(found), page)
