"""Profile and statistics responses, with the original API's field names."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.domain.accounts.users import User
from app.domain.catalogue.movies import Genre
from app.domain.social.profiles import (
    AVATAR_URL_PATTERN,
    MAX_AVATAR_URL_LENGTH,
    MAX_BIO_LENGTH,
    MAX_FAVORITE_GENRES,
)
from app.domain.social.stats import GenreFacts, RatedMovie, UserStats
from app.routers.catalogue.genre_input import GenreRefIn
from app.routers.catalogue.schemas import NO_NUL, GenreOut
from app.web.request_bodies import STRICT_CLOSED_BODY


class ProfileIn(BaseModel):
    """Fields left out keep their value; id, username and email are never taken from here."""

    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    favorite_genres: list[GenreRefIn] | None = Field(
        None,
        max_length=MAX_FAVORITE_GENRES,
        description='Genre ids or names, e.g. `[28, "Sci-Fi"]` (see /api/genres/).',
    )
    bio: str | None = Field(None, max_length=MAX_BIO_LENGTH, pattern=NO_NUL)
    avatar_url: str | None = Field(
        None,
        max_length=MAX_AVATAR_URL_LENGTH,
        pattern=AVATAR_URL_PATTERN,
        description="An http or https URL; `null` removes the avatar.",
    )


class ProfileOut(BaseModel):
    id: int
    username: str
    email: str
    favorite_genres: list[GenreOut] = Field(
        description="`{id, name}`, as everywhere; send ids or names to change them."
    )
    bio: str
    avatar_url: str | None
    created_at: datetime | None = Field(description="The original API's name for `date_joined`.")
    date_joined: datetime | None = Field(description="When the account was created.")
    updated_at: datetime | None


class PublicPlaylistOut(BaseModel):
    id: int
    name: str
    description: str
    slug: str
    movie_count: int
    created_at: datetime


class PublicProfileOut(BaseModel):
    username: str
    date_joined: datetime
    ratings_count: int
    reviews_count: int
    public_playlists_count: int
    public_playlists: list[PublicPlaylistOut]


class RatedMovieOut(BaseModel):
    movie: int
    movie_title: str
    score: int


class FavoriteGenreOut(BaseModel):
    id: int
    name: str
    count: int = Field(description="Ratings of 4 or 5 stars in this genre.")


class GenreAverageOut(BaseModel):
    id: int
    name: str
    ratings: int
    average: float


class CommunityComparisonOut(BaseModel):
    movies_compared: int
    your_average: float = Field(description="0 when no movie is compared.")
    community_average: float = Field(description="Other users' ratings of those movies.")
    difference: float


class MonthCountOut(BaseModel):
    month: str = Field(description="YYYY-MM")
    count: int


class StatsOut(BaseModel):
    total_ratings: int
    average_rating: float = Field(description="0 without ratings (see `total_ratings`).")
    highest_rated: RatedMovieOut | None
    lowest_rated: RatedMovieOut | None
    favorite_genres: list[FavoriteGenreOut]
    total_watch_time: int = Field(description="Minutes of the rated movies.")
    total_watch_time_hours: float
    score_distribution: dict[str, int] = Field(description="Ratings by score, '1' to '5'.")
    reviews_count: int
    genre_averages: list[GenreAverageOut]
    community_comparison: CommunityComparisonOut
    favorite_decade: int | None
    ratings_per_month: list[MonthCountOut]
    playlists_count: int


def profile_out(user: User, genres: list[Genre]) -> ProfileOut:
    """`genres`: the user's favourite genres, named."""
    return ProfileOut(
        id=user.id,
        username=user.username,
        email=user.email,
        favorite_genres=[GenreOut(id=genre.id, name=genre.name) for genre in genres],
        bio=user.bio,
        avatar_url=user.avatar_url,
        created_at=user.date_joined,
        date_joined=user.date_joined,
        updated_at=user.updated_at,
    )


def _rated(movie: RatedMovie | None) -> RatedMovieOut | None:
    if movie is None:
        return None
    return RatedMovieOut(movie=movie.movie_id, movie_title=movie.title, score=movie.score)


def _average(genre: GenreFacts) -> GenreAverageOut:
    return GenreAverageOut(
        id=genre.genre_id, name=genre.name, ratings=genre.ratings, average=round(genre.average, 2)
    )


def stats_out(stats: UserStats) -> StatsOut:
    comparison = stats.community_comparison
    return StatsOut(
        total_ratings=stats.total_ratings,
        average_rating=stats.average_rating,
        highest_rated=_rated(stats.highest_rated),
        lowest_rated=_rated(stats.lowest_rated),
        favorite_genres=[
            FavoriteGenreOut(id=genre.genre_id, name=genre.name, count=genre.liked)
            for genre in stats.favorite_genres
        ],
        total_watch_time=stats.total_watch_time,
        total_watch_time_hours=stats.total_watch_time_hours,
        score_distribution={str(score): n for score, n in stats.score_distribution.items()},
        reviews_count=stats.reviews_count,
        genre_averages=[_average(genre) for genre in stats.genre_averages],
        community_comparison=CommunityComparisonOut(
            movies_compared=comparison.movies_compared,
            your_average=comparison.your_average,
            community_average=comparison.community_average,
            difference=comparison.difference,
        ),
        favorite_decade=stats.favorite_decade,
        ratings_per_month=[
            MonthCountOut(month=month.strftime("%Y-%m"), count=count)
            for month, count in stats.ratings_per_month
        ],
        playlists_count=stats.playlists_count,
    )
