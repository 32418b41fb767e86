"""When the served model is worth rebuilding: none exists but ratings do, or enough ratings
arrived since it was built. A pure rule over three counts the store reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RatingsSinceModel:
    model_ratings: int | None  # ratings the newest model was built from; None = no model
    ratings: int  # ratings now
    new_ratings: int  # ratings created since the newest model was built


def rebuild_reason(state: RatingsSinceModel, min_change: float | None) -> str | None:
    """Why to build now, or None. `min_change` is the share of new ratings (against the
    model's) that makes a rebuild worth it; None = refresh off (only the first model is built).
    Ratings imported with their original dates count through the difference in totals."""
    if state.ratings == 0:
        return None
    if state.model_ratings is None:
        return "no model yet"
    if min_change is None:
        return None
    changed = max(state.new_ratings, state.ratings - state.model_ratings)
    if changed >= max(1.0, min_change * state.model_ratings):
        return f"{changed} new ratings since the model was built from {state.model_ratings}"
    return None
