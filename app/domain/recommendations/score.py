"""The published match score: 40·genre_affinity + 30·rating_history + 30·quality_popularity."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.recommendations.taste import RatedMovie

GENRE_POINTS, HISTORY_POINTS, QUALITY_POINTS = 40, 30, 30
# Reasons are only given for signals strong enough to be worth reading.
HIGHLY_RATED_AVERAGE = 4.0
HIGHLY_RATED_MIN_VOTES = 20


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Points per part, each rounded to one decimal; the score is their sum."""

    genre_affinity: float
    rating_history: float
    quality_popularity: float

    @property
    def total(self) -> float:
        return round(self.genre_affinity + self.rating_history + self.quality_popularity, 1)


@dataclass(frozen=True, slots=True)
class MatchScore:
    score: float  # 0..100
    breakdown: Breakdown
    reasons: tuple[str, ...]


def match_score(
    genre_affinity: float,
    rating_history: float,
    quality_popularity: float,
    reasons: tuple[str, ...] = (),
) -> MatchScore:
    for name, part in (
        ("genre_affinity", genre_affinity),
        ("rating_history", rating_history),
        ("quality_popularity", quality_popularity),
    ):
        if not 0.0 <= part <= 1.0:
            raise ValueError(f"{name} must lie in [0, 1], got {part}")
    breakdown = Breakdown(
        genre_affinity=round(GENRE_POINTS * genre_affinity, 1),
        rating_history=round(HISTORY_POINTS * rating_history, 1),
        quality_popularity=round(QUALITY_POINTS * quality_popularity, 1),
    )
    return MatchScore(score=breakdown.total, breakdown=breakdown, reasons=reasons)


def stars(score: int) -> str:
    return "★" * score + "☆" * (5 - score)


def because_you_rated(source: RatedMovie, share: float | None = None) -> str:
    """`share`: the part of the model's score for the movie this rating brings."""
    text = f"Because you rated {source.title} {'★' * source.score}"
    return f"{text} ({share:.0%} of the model's score)" if share is not None else text


def you_like(genre_names: list[str]) -> str | None:
    if not genre_names:
        return None
    if len(genre_names) == 1:
        return f"You like {genre_names[0]}"
    return f"You like {', '.join(genre_names[:-1])} and {genre_names[-1]}"


def highly_rated(ratings_count: int, rating_average: float | None) -> str | None:
    if (
        rating_average is None
        or ratings_count < HIGHLY_RATED_MIN_VOTES
        or rating_average < HIGHLY_RATED_AVERAGE
    ):
        return None
    return f"Highly rated by {thousands(ratings_count)} viewers"


def thousands(number: int) -> str:
    """1204 → "1 204" (a space between thousands, as the product writes numbers)."""
    return f"{number:,}".replace(",", " ")
