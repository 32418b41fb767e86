"""Movies and genres as the core sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Genre:
    id: int  # TMDb's genre id
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MovieData:
    """A movie as a source describes it (TMDb, MovieLens, a staff edit), before it has our id."""

    title: str
    tmdb_id: int | None = None
    movielens_id: int | None = None
    imdb_id: str | None = None
    original_title: str = ""
    overview: str = ""
    tagline: str | None = None
    status: str | None = None
    release_date: date | None = None
    genre_ids: tuple[int, ...] = field(default_factory=tuple)
    poster_path: str | None = None
    backdrop_path: str | None = None
    popularity: float = 0.0
    vote_average: float = 0.0
    vote_count: int = 0
    original_language: str | None = None
    runtime: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Movie(MovieData):
    """A movie of the catalogue: what its source says, with our id, the local rating aggregates
    and when the row was created and last changed."""

    id: int
    ratings_count: int = 0
    rating_average: float | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def release_year(self) -> int | None:
        return self.release_date.year if self.release_date else None
