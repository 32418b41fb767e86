"""The parameters of the ranking model, apart from the fitting code: what a process that only
serves a stored model needs (no scipy)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ModelParameters:
    # Defaults: robust on both protocols (temporal and random holdout) of the MovieLens releases
    # we measured (bench/RESULTS.md); `build-model` tunes them on the live ratings.
    regularisation: float = 300.0  # lambda of EASE
    recency_scale: float = 10.0  # e-folding, in ratings, of the boost recent ratings get; 0 = off
    # Every rating keeps this share of its weight however old it is: the recency decay is a boost
    # on top of the whole history, never a window onto its last few ratings. 1 = recency off;
    # 0 = pure decay (models stored before the floor existed).
    recency_floor: float = 0.5
    like_weight: float = 0.4  # a rating r counts 1 + like_weight*(r - 3): 1 star is 0.2
    neighbours: int = 200  # strongest weights kept per rated movie
    max_items: int = 5_000  # most-rated movies in the dense solve

    def as_dict(self) -> dict[str, float]:
        return asdict(self)
