"""A rating as every endpoint shows it: the ratings list and detail, and a movie's `my_rating`."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.domain.social.ratings import Rating


class RatingOut(BaseModel):
    id: int
    username: str
    movie: int
    movie_title: str
    score: int
    review: str
    created_at: datetime
    updated_at: datetime
    poster_url: str | None = Field(None, description="The movie's poster, in lists.")


def rating_out(rating: Rating, poster_url: str | None = None) -> RatingOut:
    return RatingOut(
        id=rating.id,
        username=rating.username,
        movie=rating.movie_id,
        movie_title=rating.movie_title,
        score=rating.score,
        review=rating.review or "",
        created_at=rating.created_at,
        updated_at=rating.updated_at,
        poster_url=poster_url,
    )


class MovieTotalsOut(BaseModel):
    movie_rating_average: float | None = Field(
        description="The movie's new average of local ratings (2 decimals); null when unrated."
    )
    movie_ratings_count: int = Field(
        description="The movie's new number of local ratings, from the write's own transaction."
    )


class RatingChangeOut(RatingOut, MovieTotalsOut):
    """The rating, with its movie's totals as they stand after the change."""


class RatingDeletedOut(MovieTotalsOut):
    id: int
    movie: int
