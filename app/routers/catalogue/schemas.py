"""The catalogue's response and request bodies, with the original API's field names."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from app.domain.catalogue.details import MovieDetail, MovieSummary
from app.domain.catalogue.movies import Genre, Movie
from app.domain.shared.errors import InvalidInput
from app.routers.catalogue.genre_input import GenreRefIn
from app.routers.social.rating_schemas import RatingOut, rating_out
from app.web.request_bodies import INTEGRAL_FLOAT_AS_INT, STRICT_CLOSED_BODY

# PostgreSQL text cannot hold NUL characters: the schema refuses them rather than a 500.
NO_NUL = r"^[^\x00]*$"
TITLE = r"^[^\x00]*[^\s\x00][^\x00]*$"  # and not blank
GenreId = Annotated[
    int, Field(ge=1, le=2**31 - 1, description="A known genre's id."), INTEGRAL_FLOAT_AS_INT
]
TmdbId = Annotated[int, Field(ge=1, le=2**31 - 1), INTEGRAL_FLOAT_AS_INT]
VoteCount = Annotated[int, Field(ge=0, le=2**31 - 1), INTEGRAL_FLOAT_AS_INT]
Runtime = Annotated[int, Field(ge=0, le=100_000), INTEGRAL_FLOAT_AS_INT]
POSTER_SIZE = "w500"
BACKDROP_SIZE = "w1280"


def image_url(base: str, size: str, path: str | None) -> str | None:
    """TMDb's image address: base + size + path; None when the movie has no such image."""
    if not path:
        return None
    return f"{base.rstrip('/')}/{size}/{path.lstrip('/')}"


class GenreOut(BaseModel):
    id: int
    name: str


class MovieSummaryOut(BaseModel):
    """What every list shows of a movie (the catalogue, trending, similar, recommendations);
    each list adds its own fields."""

    id: int
    tmdb_id: int | None
    title: str
    release_date: date | None
    release_year: int | None
    poster_url: str | None
    genres: list[GenreOut]
    vote_average: float
    popularity: float


class MovieBasics(BaseModel):
    """What every movie body says of a film, ours or TMDb's: titles, overview, release, images."""

    title: str
    original_title: str
    overview: str
    release_date: date | None
    release_year: int | None
    poster_path: str | None
    backdrop_path: str | None
    poster_url: str | None


class MovieOut(MovieBasics):
    id: int
    tmdb_id: int | None
    backdrop_url: str | None
    vote_average: float
    vote_count: int
    popularity: float
    runtime: int | None
    original_language: str | None
    genres: list[GenreOut]
    rating_average: float | None = Field(
        description="Average of local ratings (1-5), 2 decimals; null while unrated."
    )
    ratings_count: int = Field(description="Number of local ratings.")
    created_at: datetime | None
    updated_at: datetime | None


class MovieDetailOut(MovieOut):
    rating_distribution: dict[int, int] = Field(
        description="Local ratings by score, every score from 1 to 5."
    )
    my_rating: RatingOut | None = Field(
        description="The caller's own rating; null when anonymous or not rated."
    )


def _movie_fields(movie: Movie, genres: tuple[Genre, ...], image_base: str) -> dict[str, object]:
    return {
        "id": movie.id,
        "tmdb_id": movie.tmdb_id,
        "title": movie.title,
        "original_title": movie.original_title,
        "overview": movie.overview,
        "release_date": movie.release_date,
        "release_year": movie.release_year,
        "poster_path": movie.poster_path,
        "backdrop_path": movie.backdrop_path,
        "poster_url": image_url(image_base, POSTER_SIZE, movie.poster_path),
        "backdrop_url": image_url(image_base, BACKDROP_SIZE, movie.backdrop_path),
        "vote_average": movie.vote_average,
        "vote_count": movie.vote_count,
        "popularity": movie.popularity,
        "runtime": movie.runtime,
        "original_language": movie.original_language,
        "genres": [GenreOut(id=genre.id, name=genre.name) for genre in genres],
        "rating_average": (
            None if movie.rating_average is None else round(movie.rating_average, 2)
        ),
        "ratings_count": movie.ratings_count,
        "created_at": movie.created_at,
        "updated_at": movie.updated_at,
    }


def movie_out(summary: MovieSummary, image_base: str) -> MovieOut:
    return MovieOut.model_validate(_movie_fields(summary.movie, summary.genres, image_base))


def movie_detail_out(detail: MovieDetail, image_base: str) -> MovieDetailOut:
    fields = _movie_fields(detail.movie, detail.genres, image_base)
    fields["rating_distribution"] = detail.rating_distribution
    fields["my_rating"] = rating_out(detail.my_rating) if detail.my_rating else None
    return MovieDetailOut.model_validate(fields)


class MovieIn(BaseModel):
    """A whole movie, as staff create or replace it."""

    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    title: str = Field(min_length=1, max_length=500, pattern=TITLE)
    tmdb_id: TmdbId | None = None
    imdb_id: str | None = Field(None, max_length=16, pattern=NO_NUL)
    original_title: str = Field("", max_length=500, pattern=NO_NUL)
    overview: str = Field("", max_length=20_000, pattern=NO_NUL)
    tagline: str | None = Field(None, max_length=500, pattern=NO_NUL)
    status: str | None = Field(None, max_length=50, pattern=NO_NUL)
    release_date: date | None = Field(None, strict=False)  # a JSON string, "YYYY-MM-DD"
    genre_ids: list[GenreRefIn] = Field(default_factory=list, max_length=50)
    genres: list[GenreRefIn] | None = Field(
        None, max_length=50, description="The original API's name for `genre_ids`."
    )
    poster_path: str | None = Field(None, max_length=255, pattern=NO_NUL)
    backdrop_path: str | None = Field(None, max_length=255, pattern=NO_NUL)
    popularity: float = Field(0.0, ge=0, allow_inf_nan=False)
    vote_average: float = Field(0.0, ge=0, le=10, allow_inf_nan=False)
    vote_count: VoteCount = 0
    original_language: str | None = Field(None, max_length=16, pattern=NO_NUL)
    runtime: Runtime | None = None


class MoviePatch(BaseModel):
    """Only the fields sent change."""

    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    title: str | None = Field(None, min_length=1, max_length=500, pattern=TITLE)
    tmdb_id: TmdbId | None = None
    imdb_id: str | None = Field(None, max_length=16, pattern=NO_NUL)
    original_title: str | None = Field(None, max_length=500, pattern=NO_NUL)
    overview: str | None = Field(None, max_length=20_000, pattern=NO_NUL)
    tagline: str | None = Field(None, max_length=500, pattern=NO_NUL)
    status: str | None = Field(None, max_length=50, pattern=NO_NUL)
    release_date: date | None = Field(None, strict=False)  # a JSON string, "YYYY-MM-DD"
    genre_ids: list[GenreRefIn] | None = Field(None, max_length=50)
    genres: list[GenreRefIn] | None = Field(
        None, max_length=50, description="The original API's name for `genre_ids`."
    )
    poster_path: str | None = Field(None, max_length=255, pattern=NO_NUL)
    backdrop_path: str | None = Field(None, max_length=255, pattern=NO_NUL)
    popularity: float | None = Field(None, ge=0, allow_inf_nan=False)
    vote_average: float | None = Field(None, ge=0, le=10, allow_inf_nan=False)
    vote_count: VoteCount | None = None
    original_language: str | None = Field(None, max_length=16, pattern=NO_NUL)
    runtime: Runtime | None = None


# Fields every movie has: a PATCH may change them, never clear them.
REQUIRED_ON_PATCH = (
    "title",
    "original_title",
    "overview",
    "genre_ids",
    "genres",
    "popularity",
    "vote_average",
    "vote_count",
)


def patch_changes(body: MoviePatch) -> dict[str, object]:
    """The fields sent, as the use case takes them; null only where a movie may lack the value."""
    changes = body.model_dump(exclude_unset=True)
    for name in REQUIRED_ON_PATCH:
        if name in changes and changes[name] is None:
            raise InvalidInput(
                f"{name}: may not be null.", details=[{"field": name, "message": "may not be null"}]
            )
    return changes
