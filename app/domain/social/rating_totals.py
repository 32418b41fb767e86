"""A movie's rating totals as they stand after a rating changed, so that a client updates the
movie it shows without reading it again."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.shared.ports import Database

AVERAGE_DECIMALS = 2


@dataclass(frozen=True, slots=True)
class MovieRatingTotals:
    rating_average: float | None  # None while the movie has no rating
    ratings_count: int | None  # None only when it could not be read (see the ratings router)


class ReadMovieRatingTotals:
    """The movie's local average (rounded to 2 decimals, as displayed) and count of ratings."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, movie_id: int) -> MovieRatingTotals:
        async with self._database.unit_of_work() as uow:
            movie = await uow.movies.get(movie_id)
        if movie is None or not movie.ratings_count:
            return MovieRatingTotals(None, 0)
        average = movie.rating_average
        rounded = None if average is None else round(average, AVERAGE_DECIMALS)
        return MovieRatingTotals(rounded, movie.ratings_count)
