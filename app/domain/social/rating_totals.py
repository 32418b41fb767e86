"""A movie's rating totals as they stand after a rating changed, so that a client updates the
movie it shows without reading it again."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.social.ratings import Rating

AVERAGE_DECIMALS = 2


@dataclass(frozen=True, slots=True)
class MovieRatingTotals:
    rating_average: float | None  # None while the movie has no rating, rounded as displayed
    ratings_count: int

    @classmethod
    def of(cls, ratings_count: int, rating_average: float | None) -> MovieRatingTotals:
        if ratings_count <= 0 or rating_average is None:
            return cls(None, 0)
        return cls(round(rating_average, AVERAGE_DECIMALS), ratings_count)


@dataclass(frozen=True, slots=True)
class RatingWritten:
    """A rating as written (or, for a deletion, as it was) and its movie's totals after the
    write, taken in the write's own transaction."""

    rating: Rating
    movie_totals: MovieRatingTotals
