"""What the recommendation use cases read and return."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.domain.recommendations.history import ContentFeatures
from app.domain.recommendations.quality import Votes
from app.domain.recommendations.score import MatchScore
from app.domain.recommendations.taste import RatedMovie


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One of the user's ratings with what the score needs of its movie."""

    movie_id: int
    title: str
    score: int
    genre_ids: tuple[int, ...]
    release_year: int | None
    original_language: str | None
    rated_at: datetime

    @property
    def rated(self) -> RatedMovie:
        return RatedMovie(self.movie_id, self.title, self.score, self.genre_ids)

    @property
    def features(self) -> ContentFeatures:
        return ContentFeatures(self.genre_ids, self.release_year, self.original_language)


@dataclass(frozen=True, slots=True)
class CandidateMovie:
    movie_id: int
    title: str
    genre_ids: tuple[int, ...]
    release_year: int | None
    original_language: str | None
    poster_path: str | None
    votes: Votes
    # Shown, not scored: the summary every movie list carries.
    tmdb_id: int | None = None
    release_date: date | None = None

    @property
    def features(self) -> ContentFeatures:
        return ContentFeatures(self.genre_ids, self.release_year, self.original_language)


@dataclass(frozen=True, slots=True)
class CatalogueFacts:
    """Catalogue-wide figures the parts are relative to."""

    genre_share: dict[int, float]  # fraction of movies in each genre
    genre_names: dict[int, str]
    most_votes: float  # the largest vote count (local x weight + TMDb) of any movie


@dataclass(frozen=True, slots=True)
class Recommendation:
    movie: CandidateMovie
    match: MatchScore
    model_version: int | None = None  # the model it was ranked by; None = cold start


@dataclass(frozen=True, slots=True)
class SimilarMovie:
    movie: CandidateMovie
    similarity: float  # 0..1
    model_version: int | None = None


@dataclass(frozen=True, slots=True)
class TrendingMovie:
    movie: CandidateMovie
    activity: float  # time-decayed local activity in the window
    score: float  # 0..1, the blend the list is ordered by
    tmdb_rank: int | None = None  # in TMDb's trending list for the window, when fresh
