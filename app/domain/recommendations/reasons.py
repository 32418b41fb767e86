"""Which reasons are true enough to show: a rated movie only when it brings a material share of
the movie's model score (at most two), a genre only when the user's taste for it is clearly above
neutral, a content match only when it is close; no reason rather than a weak one."""

from __future__ import annotations

from collections.abc import Mapping

MATERIAL_SHARE = 0.2  # of the movie's model score, for "Because you rated …"
MAX_SOURCES = 2
CLEAR_TASTE = 0.65  # genre taste (0.5 = neutral) for "You like …"
CLOSE_CONTENT = 0.35  # content history (0..0.5) for a content-based "Because you rated …"


def material_sources(contributions: Mapping[int, float]) -> list[tuple[int, float]]:
    """(rated movie, share of the model score) for the rated movies that each bring at least
    `MATERIAL_SHARE` of it, strongest first, at most `MAX_SOURCES`."""
    total = sum(contributions.values())
    if total <= 0:
        return []
    shares = [(movie, value / total) for movie, value in contributions.items()]
    material = [(movie, share) for movie, share in shares if share >= MATERIAL_SHARE]
    material.sort(key=lambda pair: (-pair[1], pair[0]))
    return material[:MAX_SOURCES]
