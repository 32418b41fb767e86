"""Scorers for the protocol: ours, most-popular and item-kNN (EASE is ours with plain profiles)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from app.model_fitting.holdout import Scorer
from app.model_fitting.item_model import (
    ItemModel,
    ModelParameters,
    collaborative_scores,
    interaction_weights,
)
from app.model_fitting.rating_log import RatingLog

KNN_NEIGHBOURS = 100
# Popularity only breaks ties (users with no collaborative signal, movies outside the model).
POPULARITY_TIE_BREAK = 1e-6


def most_popular(train: RatingLog) -> Scorer:
    popularity = train.popularity()
    return lambda users: np.tile(popularity, (len(users), 1))


def item_knn(train: RatingLog, neighbours: int = KNN_NEIGHBOURS) -> Scorer:
    """Item-based kNN: cosine similarity of who rated what, each movie's strongest
    `neighbours` kept, summed over the user's rated movies."""
    x = train.matrix().tocsc()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=0)).ravel())
    norms[norms == 0] = 1.0
    normalised = x @ sp.diags(1.0 / norms)
    similarity = (normalised.T @ normalised).toarray()
    np.fill_diagonal(similarity, 0.0)
    k = min(neighbours, similarity.shape[1])
    if k < similarity.shape[1]:
        weakest = np.argpartition(-similarity, k - 1, axis=1)[:, k:]
        np.put_along_axis(similarity, weakest, 0.0, axis=1)
    weights = sp.csr_matrix(similarity)
    profiles = train.matrix().tocsr()
    return lambda users: np.asarray((profiles[users] @ weights).toarray())


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
