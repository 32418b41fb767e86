"""The choice of hyper-parameters on validation splits cut from the training ratings only."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from app.model_fitting.holdout import PROTOCOLS, Metrics, evaluate, split
from app.model_fitting.item_model import ModelParameters, fit_item_model
from app.model_fitting.rating_log import RatingLog
from app.model_fitting.scorers import model_scorer, most_popular


@dataclass(frozen=True)
class Grid:
    """The candidates tuning tries (the defaults of `ModelParameters` are among them)."""

    regularisations: tuple[float, ...] = (100.0, 300.0, 1000.0)
    recency_floors: tuple[float, ...] = (0.3, 0.5, 1.0)
    recency_scales: tuple[float, ...] = (10.0,)
    like_weights: tuple[float, ...] = (0.2, 0.4, 0.6)


@dataclass(frozen=True)
class Tuning:
    """Ours chosen for both protocols at once; plain EASE's λ per protocol (the baseline)."""

    best: ModelParameters
    validation: dict[str, Metrics]  # ours at `best`, per validation protocol
    ease_regularisation: dict[str, float]
    tried: list[tuple[ModelParameters, float]]  # each candidate and its objective


def plain_ease(parameters: ModelParameters) -> ModelParameters:
    """EASE as published: every rating counts 1, whatever its score and age."""
    return replace(parameters, recency_floor=1.0, like_weight=0.0)


def tune(
    train: RatingLog,
    holdout: float,
    k: int,
    base: ModelParameters | None = None,
    grid: Grid | None = None,
    max_users: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Tuning:
    """Grid search on validation splits cut from the training ratings only, one per protocol
    (each user's latest ratings, and a random share of them). Ours maximises the mean over the
    protocols of NDCG@k relative to most-popular's, so no protocol dominates by its scale: a
    ranking good on one and poor on the other loses. `max_users` caps the users each
    validation scores (a sample, for large live rating sets)."""
    base = base or ModelParameters()
    grid = grid or Grid()
    objective: dict[ModelParameters, float] = {}
    found: dict[tuple[ModelParameters, str], Metrics] = {}
    ease: dict[str, tuple[float, float]] = {}
    for protocol in PROTOCOLS:
        fit_part, validation = split(train, protocol, holdout)
        validation = _sample_users(validation, max_users)
        popular = max(evaluate(fit_part, validation, most_popular(fit_part), k).ndcg, 1e-9)
        for regularisation in grid.regularisations:
            model = fit_item_model(fit_part, replace(base, regularisation=regularisation))
            plain = plain_ease(replace(base, regularisation=regularisation))
            ndcg = evaluate(
                fit_part, validation, model_scorer(fit_part, replace(model, parameters=plain)), k
            ).ndcg
            if ndcg > ease.get(protocol, (0.0, -1.0))[1]:
                ease[protocol] = (regularisation, ndcg)
            for floor, scale, like in itertools.product(
                grid.recency_floors, grid.recency_scales, grid.like_weights
            ):
                parameters = replace(
                    base,
                    regularisation=regularisation,
                    recency_floor=floor,
                    recency_scale=scale,
                    like_weight=like,
                )
                scorer = model_scorer(fit_part, replace(model, parameters=parameters))
                metrics = evaluate(fit_part, validation, scorer, k)
                found[parameters, protocol] = metrics
                objective[parameters] = objective.get(
                    parameters, 0.0
                ) + metrics.ndcg / popular / len(PROTOCOLS)
                if progress:
                    progress(
                        f"{protocol} validation: λ={regularisation:g} floor={floor:g} "
                        f"recency={scale:g} like={like:g}: NDCG@{k} {metrics.ndcg:.4f}"
                    )
    best = max(objective, key=lambda parameters: objective[parameters])
    return Tuning(
        best,
        {protocol: found[best, protocol] for protocol in PROTOCOLS},
        {protocol: ease[protocol][0] for protocol in PROTOCOLS},
        list(objective.items()),
    )


def _sample_users(log: RatingLog, max_users: int | None) -> RatingLog:
    users = np.unique(log.user)
    if max_users is None or len(users) <= max_users:
        return log
    chosen = np.random.default_rng(0).choice(users, size=max_users, replace=False)
    return log.subset(np.isin(log.user, chosen))
