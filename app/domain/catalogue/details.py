"""What the catalogue answers: a movie with its named genres, and for the detail page the local
rating distribution and the caller's own rating."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.catalogue.movies import Genre, Movie
from app.domain.social.ratings import MAX_SCORE, MIN_SCORE, Rating


def named_genres(movie: Movie, by_id: dict[int, Genre]) -> tuple[Genre, ...]:
    """The movie's genres in its own order; ids the genre table does not know are left out."""
    return tuple(by_id[genre_id] for genre_id in movie.genre_ids if genre_id in by_id)


def full_distribution(counts: dict[int, int]) -> dict[int, int]:
    """Every score from 1 to 5, zero when nobody gave it."""
    return {score: counts.get(score, 0) for score in range(MIN_SCORE, MAX_SCORE + 1)}


@dataclass(frozen=True, slots=True)
class MovieSummary:
    movie: Movie
    genres: tuple[Genre, ...] = ()


@dataclass(frozen=True, slots=True)
class MovieDetail:
    movie: Movie
    genres: tuple[Genre, ...] = ()
    rating_distribution: dict[int, int] = field(default_factory=lambda: full_distribution({}))
    my_rating: Rating | None = None
