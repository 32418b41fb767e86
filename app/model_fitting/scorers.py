"""Scorers for the protocol (ours and most-popular) and the choice of hyper-parameters on a
validation split cut from the training ratings only."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from app.model_fitting.holdout import Metrics, Scorer, evaluate, temporal_split
from app.model_fitting.item_model import (
    ItemModel,
    ModelParameters,
    collaborative_scores,
    fit_item_model,
    interaction_weights,
)
from app.model_fitting.rating_log import RatingLog

REGULARISATIONS = (30.0, 100.0, 300.0, 1000.0, 3000.0)
RECENCY_SCALES = (0.0, 10.0, 20.0, 50.0)
LIKE_WEIGHTS = (0.0, 0.2, 0.4, 0.6)
# Popularity only breaks ties (users with no collaborative signal, movies outside the model).
POPULARITY_TIE_BREAK = 1e-6


def most_popular(train: RatingLog) -> Scorer:
    popularity = train.popularity()
    return lambda users: np.tile(popularity, (len(users), 1))


def weighted_profiles(train: RatingLog, parameters: ModelParameters) -> sp.csr_matrix:
    weights = interaction_weights(train.score, train.recency_rank(), parameters)
    return train.matrix(weights).tocsr()


def model_scorer(train: RatingLog, model: ItemModel) -> Scorer:
    profiles = weighted_profiles(train, model.parameters)
    popularity = train.popularity()
    tie_break = POPULARITY_TIE_BREAK * popularity / max(popularity.max(initial=0.0), 1.0)

    def score(users: np.ndarray) -> np.ndarray:
        return collaborative_scores(model, profiles[users]) + tie_break

    return score


@dataclass(frozen=True)
class Tuning:
    best: ModelParameters
    validation: Metrics
    tried: list[tuple[ModelParameters, Metrics]]


def tune(
    train: RatingLog,
    holdout: float,
    k: int,
    base: ModelParameters | None = None,
    regularisations: Sequence[float] = REGULARISATIONS,
    recency_scales: Sequence[float] = RECENCY_SCALES,
    like_weights: Sequence[float] = LIKE_WEIGHTS,
    progress: Callable[[str], None] | None = None,
) -> Tuning:
    """Grid search by NDCG@k on the latest ratings of the training set, held out the same way
    as the test set; the test ratings are never seen here."""
    base = base or ModelParameters()
    fit_part, validation = temporal_split(train, holdout)
    tried: list[tuple[ModelParameters, Metrics]] = []
    for regularisation in regularisations:
        model = fit_item_model(fit_part, replace(base, regularisation=regularisation))
        for recency, like in itertools.product(recency_scales, like_weights):
            parameters = replace(
                base, regularisation=regularisation, recency_scale=recency, like_weight=like
            )
            scorer = model_scorer(fit_part, replace(model, parameters=parameters))
            metrics = evaluate(fit_part, validation, scorer, k)
            tried.append((parameters, metrics))
            if progress:
                progress(
                    f"λ={regularisation:g} recency={recency:g} like={like:g}: "
                    f"NDCG@{k} {metrics.ndcg:.4f}"
                )
    best, metrics = max(tried, key=lambda pair: pair[1].ndcg)
    return Tuning(best, metrics, tried)
