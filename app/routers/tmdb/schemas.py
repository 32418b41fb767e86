"""Request and response bodies of the TMDb endpoints."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.domain.tmdb.lookup import FoundMovie
from app.routers.catalogue.schemas import POSTER_SIZE, MovieBasics, image_url
from app.web.request_bodies import STRICT_CLOSED_BODY, JsonInt


class TmdbGenreOut(BaseModel):
    id: int
    name: str


class TmdbMovieOut(MovieBasics):
    """Our movie shape for a film on TMDb, plus whether (and as what id) our catalogue has it."""

    id: int | None = Field(description="Our movie id when the film is in the catalogue.")
    tmdb_id: int
    in_catalogue: bool
    vote_average: float
    vote_count: int
    popularity: float
    original_language: str | None
    genre_ids: list[int]
    genres: list[TmdbGenreOut]
    runtime: int | None = None
    imdb_id: str | None = None
    tagline: str | None = None
    status: str | None = None

    @classmethod
    def of(cls, found: FoundMovie, image_base_url: str) -> TmdbMovieOut:
        movie = found.movie
        assert movie.tmdb_id is not None
        return cls(
            id=found.local_id,
            tmdb_id=movie.tmdb_id,
            in_catalogue=found.local_id is not None,
            title=movie.title,
            original_title=movie.original_title,
            overview=movie.overview,
            release_date=movie.release_date,
            release_year=movie.release_date.year if movie.release_date else None,
            poster_path=movie.poster_path,
            backdrop_path=movie.backdrop_path,
            poster_url=image_url(image_base_url, POSTER_SIZE, movie.poster_path),
            vote_average=movie.vote_average,
            vote_count=movie.vote_count,
            popularity=movie.popularity,
            original_language=movie.original_language,
            genre_ids=list(movie.genre_ids),
            genres=[TmdbGenreOut(id=genre.id, name=genre.name) for genre in found.genres],
            runtime=movie.runtime,
            imdb_id=movie.imdb_id,
            tagline=movie.tagline,
            status=movie.status,
        )


class TmdbSearchOut(BaseModel):
    page: int
    total_pages: int
    total_results: int
    results: list[TmdbMovieOut]


class TmdbImportIn(BaseModel):
    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    tmdb_id: JsonInt = Field(gt=0, le=2**31 - 1, description="The film's TMDb id.")


class TmdbImportOut(TmdbMovieOut):
    """The original API's `{message, movie}`; the movie's fields also stand at the top level,
    as earlier Nexus clients read them."""

    message: str
    movie: TmdbMovieOut

    @classmethod
    def of_import(cls, movie: TmdbMovieOut, created: bool) -> TmdbImportOut:
        message = "Movie imported." if created else "Movie already in the catalogue."
        return cls(**movie.model_dump(), message=message, movie=movie)
