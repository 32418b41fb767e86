"""Rating history: how strongly a movie relates to what the user rated highly. Learnt from
co-ratings (the model's item-to-item weights); content similarity stands in for movies the
model does not know (nobody, or too few people, rated them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ERA_YEARS = 20.0  # release years this far apart share no era at all
GENRE_SHARE, ERA_SHARE, LANGUAGE_SHARE = 0.6, 0.25, 0.15


@dataclass(frozen=True, slots=True)
class ContentFeatures:
    genre_ids: tuple[int, ...] = ()
    release_year: int | None = None
    original_language: str | None = None


def content_similarity(a: ContentFeatures, b: ContentFeatures) -> float:
    """Genres (Jaccard), era (closeness of release years) and language, in [0, 1]."""
    genres_a, genres_b = set(a.genre_ids), set(b.genre_ids)
    union = genres_a | genres_b
    genres = len(genres_a & genres_b) / len(union) if union else 0.0
    era = 0.0
    if a.release_year is not None and b.release_year is not None:
        era = max(0.0, 1 - abs(a.release_year - b.release_year) / ERA_YEARS)
    language = float(a.original_language is not None and a.original_language == b.original_language)
    return GENRE_SHARE * genres + ERA_SHARE * era + LANGUAGE_SHARE * language


# The model's relative score is raised to this power, so that its differences, not genre or
# popularity, decide the order of the summed match score (measured on MovieLens: bench/).
CALIBRATION_POWER = 2.0


def collaborative_history(score: float, best_score: float) -> float:
    """The model's score relative to the best score among this user's candidates, calibrated
    (`CALIBRATION_POWER`), so that the user's top recommendation reads 1.0 and movies the model
    counts against read 0."""
    if best_score <= 0 or score <= 0:
        return 0.0
    return float(min(1.0, score / best_score) ** CALIBRATION_POWER)


# Shared genres, era and language are weaker evidence than co-ratings: a content match reads at
# most this much of the rating-history part, so it never outranks the model's own picks.
CONTENT_HISTORY_SHARE = 0.5


def content_history(movie: ContentFeatures, liked: Iterable[tuple[ContentFeatures, int]]) -> float:
    """The best similarity to a movie the user rated, scaled by how much they liked it
    (★★★★★ counts fully, ★★★ not at all), at most `CONTENT_HISTORY_SHARE`."""
    best = 0.0
    for features, score in liked:
        if score > 3:
            best = max(best, content_similarity(movie, features) * (score - 3) / 2)
    return CONTENT_HISTORY_SHARE * best


def strongest_source(contributions: Mapping[int, float]) -> int | None:
    """The rated movie that raised this movie's score most, for "Because you rated …"."""
    positive = {movie: value for movie, value in contributions.items() if value > 0}
    if not positive:
        return None
    return max(positive, key=lambda movie: (positive[movie], -movie))
