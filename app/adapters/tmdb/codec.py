"""TMDb answers as cacheable JSON bytes and back."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date
from typing import Any

from app.domain.catalogue.movies import Genre, MovieData
from app.domain.tmdb.ports import TmdbMovieDetails, TmdbPage

_MOVIE_FIELDS = {field.name for field in fields(MovieData)}


def dump(value: TmdbPage | TmdbMovieDetails | tuple[Genre, ...]) -> Any:
    if isinstance(value, TmdbPage):
        return {
            "page": value.page,
            "total_pages": value.total_pages,
            "total_results": value.total_results,
            "movies": [_movie(movie) for movie in value.movies],
        }
    if isinstance(value, TmdbMovieDetails):
        return {"movie": _movie(value.movie), "genres": [asdict(g) for g in value.genres]}
    return [asdict(genre) for genre in value]


def load_page(data: Any) -> TmdbPage:
    return TmdbPage(
        page=data["page"],
        total_pages=data["total_pages"],
        total_results=data["total_results"],
        movies=tuple(_load_movie(item) for item in data["movies"]),
    )


def load_details(data: Any) -> TmdbMovieDetails:
    return TmdbMovieDetails(
        movie=_load_movie(data["movie"]), genres=tuple(Genre(**g) for g in data["genres"])
    )


def load_genres(data: Any) -> tuple[Genre, ...]:
    return tuple(Genre(**genre) for genre in data)


def _movie(movie: MovieData) -> dict[str, Any]:
    data = asdict(movie)
    data["release_date"] = movie.release_date.isoformat() if movie.release_date else None
    return data


def _load_movie(data: dict[str, Any]) -> MovieData:
    values = {key: value for key, value in data.items() if key in _MOVIE_FIELDS}
    if values.get("release_date"):
        values["release_date"] = date.fromisoformat(values["release_date"])
    values["genre_ids"] = tuple(values.get("genre_ids") or ())
    return MovieData(**values)


def encode(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope, separators=(",", ":")).encode()


def decode(raw: bytes) -> dict[str, Any] | None:
    try:
        envelope = json.loads(raw)
    except ValueError:
        return None
    return envelope if isinstance(envelope, dict) else None
