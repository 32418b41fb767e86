"""Response bodies of the recommendation routes (the original API's movie field names)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.domain.recommendations.entities import CandidateMovie, CatalogueFacts
from app.domain.recommendations.score import MatchScore
from app.routers.catalogue.schemas import POSTER_SIZE, GenreOut, MovieSummaryOut, image_url


class BreakdownOut(BaseModel):
    """Points per part; they sum to `match_score`."""

    genre_affinity: float = Field(ge=0, le=40, description="40 x genre affinity")
    rating_history: float = Field(ge=0, le=30, description="30 x rating history")
    quality_popularity: float = Field(ge=0, le=30, description="30 x quality and popularity")


class RecommendedMovieOut(MovieSummaryOut):
    poster_path: str | None
    vote_count: int
    rating_average: float | None = Field(description="Average of local ratings (1-5).")
    ratings_count: int
    match_score: float = Field(ge=0, le=100)
    breakdown: BreakdownOut
    reasons: list[str]
    model_version: int | None = Field(
        None, description="The model version in service when ranked; null = no model yet."
    )


class MatchScoreOut(BaseModel):
    movie_id: int
    title: str
    match_score: float = Field(ge=0, le=100)
    breakdown: BreakdownOut
    reasons: list[str]
    model_version: int | None = Field(
        None, description="The model version in service when ranked; null = no model yet."
    )


class SimilarMovieOut(MovieSummaryOut):
    rating_average: float | None
    ratings_count: int
    similarity: float = Field(ge=0, le=1)
    model_version: int | None = Field(
        None, description="The model version in service when ranked; null = no model yet."
    )


class TrendingMovieOut(MovieSummaryOut):
    ratings_count: int
    activity: float = Field(
        ge=0,
        le=1,
        description="Time-decayed local activity in the window, relative to the most active "
        "movie (1), 3 decimals.",
    )
    tmdb_rank: int | None = Field(
        None, ge=1, description="Rank in TMDb's trending list for the window, when recently synced."
    )
    trending_score: float = Field(ge=0, le=1)


def genres_out(movie: CandidateMovie, names: dict[int, str]) -> list[GenreOut]:
    return [GenreOut(id=g, name=names.get(g, str(g))) for g in movie.genre_ids]


def breakdown_out(match: MatchScore) -> BreakdownOut:
    return BreakdownOut(
        genre_affinity=match.breakdown.genre_affinity,
        rating_history=match.breakdown.rating_history,
        quality_popularity=match.breakdown.quality_popularity,
    )


def movie_fields(movie: CandidateMovie, facts: CatalogueFacts, base: str) -> dict[str, object]:
    return {
        "id": movie.movie_id,
        "tmdb_id": movie.tmdb_id,
        "title": movie.title,
        "release_date": movie.release_date,
        "release_year": movie.release_year,
        "poster_url": image_url(base, POSTER_SIZE, movie.poster_path),
        "genres": genres_out(movie, facts.genre_names),
        "vote_average": movie.votes.tmdb_vote_average,
        "popularity": movie.votes.tmdb_popularity,
        "ratings_count": movie.votes.ratings_count,
    }


def rounded_average(movie: CandidateMovie) -> float | None:
    """The local average as displayed everywhere: 2 decimals."""
    average = movie.votes.rating_average
    return None if average is None else round(average, 2)
