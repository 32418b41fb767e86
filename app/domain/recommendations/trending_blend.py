"""The trending score: local activity blended with TMDb's view of what is hot. Pure functions.

score = 0.7 · activity / top activity + 0.3 · tmdb, where tmdb is
- with a fresh TMDb trending list for the window: 10 / (9 + rank) (rank 1 → 1, 10 → 0.53,
  20 → 0.34, 100 → 0.09), and 0 for a movie the list does not hold;
- without one (never synced, or older than the staleness bound): log(1 + popularity) /
  log(1 + top popularity), TMDb's slower-moving measure of interest.
Local activity leads, so what our users do now outranks what TMDb ranks first; the rank orders
the movies nobody here touched yet and separates those with similar activity.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

LOCAL_SHARE = 0.7
RANK_DAMPING = 10  # how slowly the rank's weight falls: rank 10 still counts half of rank 1


def rank_signal(rank: int) -> float:
    """A smoothed reciprocal rank in (0, 1], 1 for TMDb's first."""
    return RANK_DAMPING / (RANK_DAMPING - 1 + rank)


def popularity_signal(popularity: float, top_popularity: float) -> float:
    if top_popularity <= 0:
        return 0.0
    return math.log1p(max(popularity, 0.0)) / math.log1p(top_popularity)


def trending_scores(
    movie_ids: Collection[int],
    activity: Mapping[int, float],
    ranks: Mapping[int, int],
    popularity: Mapping[int, float],
) -> dict[int, float]:
    """Each movie's score in [0, 1] (rounded to 4 places); `ranks` empty means no fresh list."""
    top_activity = max(activity.values(), default=0.0)
    top_popularity = max((popularity.get(i, 0.0) for i in movie_ids), default=0.0)
    scores = {}
    for movie_id in movie_ids:
        local = activity.get(movie_id, 0.0) / top_activity if top_activity > 0 else 0.0
        if ranks:
            rank = ranks.get(movie_id)
            tmdb = rank_signal(rank) if rank is not None else 0.0
        else:
            tmdb = popularity_signal(popularity.get(movie_id, 0.0), top_popularity)
        scores[movie_id] = round(LOCAL_SHARE * local + (1 - LOCAL_SHARE) * tmdb, 4)
    return scores
