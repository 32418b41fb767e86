"""Quality and popularity: a Bayesian average of local and TMDb votes, and popularity on a log
scale, both in [0, 1]."""

from __future__ import annotations

import math
from dataclasses import dataclass

QUALITY_SHARE = 0.7  # of the part; popularity is the rest
PRIOR_VOTES = 25.0  # the Bayesian average starts as this many votes at the prior mean
PRIOR_MEAN_OUT_OF_10 = 6.0
# Local votes are on 1-5; one local vote counts as much as this many TMDb votes, since ours
# come from this service's own viewers while TMDb's counts run into the thousands.
LOCAL_VOTE_WEIGHT = 10.0


@dataclass(frozen=True, slots=True)
class Votes:
    ratings_count: int = 0
    rating_average: float | None = None  # local, 1..5
    tmdb_vote_average: float = 0.0  # 0..10
    tmdb_vote_count: int = 0
    tmdb_popularity: float = 0.0


def bayesian_quality(votes: Votes) -> float:
    """The Bayesian average of every vote on a 0-10 scale, over 10."""
    weight = PRIOR_VOTES
    total = PRIOR_VOTES * PRIOR_MEAN_OUT_OF_10
    if votes.ratings_count > 0 and votes.rating_average is not None:
        local_weight = LOCAL_VOTE_WEIGHT * votes.ratings_count
        weight += local_weight
        total += local_weight * (votes.rating_average - 1) * 2.5  # 1..5 → 0..10
    if votes.tmdb_vote_count > 0:
        weight += votes.tmdb_vote_count
        total += votes.tmdb_vote_count * votes.tmdb_vote_average
    return min(1.0, max(0.0, total / weight / 10))


def log_popularity(votes: Votes, most_votes: float) -> float:
    """log(1 + votes) relative to the catalogue's most voted movie."""
    count = LOCAL_VOTE_WEIGHT * votes.ratings_count + votes.tmdb_vote_count
    if most_votes <= 0:
        return 0.0
    return min(1.0, math.log1p(count) / math.log1p(most_votes))


def quality_popularity(votes: Votes, most_votes: float) -> float:
    quality = bayesian_quality(votes)
    return QUALITY_SHARE * quality + (1 - QUALITY_SHARE) * log_popularity(votes, most_votes)
