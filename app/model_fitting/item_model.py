"""The ranking model: EASE item-to-item weights (Steck 2019), pruned to each movie's strongest
neighbours, applied to a user's ratings weighted by how recent and how liked each one is.

EASE solves a ridge regression of every item on all the others in closed form:
B = I - P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹, so the dense inverse is limited to the
`max_items` most-rated movies (O(n³); 5 000 items take a few seconds). Movies outside that set
get no collaborative score and are ordered by the published match score instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from app.model_fitting.parameters import ModelParameters
from app.model_fitting.rating_log import RatingLog

__all__ = [
    "ItemModel",
    "ModelParameters",
    "collaborative_scores",
    "fit_item_model",
    "interaction_weights",
]


@dataclass(frozen=True)
class ItemModel:
    """`weights[i, j]`: how much having rated item code i raises item code j's score."""

    weights: sp.csr_matrix
    parameters: ModelParameters


def fit_item_model(train: RatingLog, parameters: ModelParameters) -> ItemModel:
    """Learn the pruned EASE weights from who rated what (the fact of rating, not the score:
    a rating of any value says the movie was worth watching)."""
    n = train.items_count
    counts = train.popularity()
    rated = np.flatnonzero(counts > 0)
    core = rated[np.argsort(-counts[rated], kind="stable")[: parameters.max_items]]
    if len(core) == 0:
        return ItemModel(sp.csr_matrix((n, n)), parameters)
    column = np.full(n, -1, dtype=np.int64)
    column[core] = np.arange(len(core))
    keep = column[train.item] >= 0
    x = sp.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.float64), (train.user[keep], column[train.item[keep]])),
        shape=(train.users_count, len(core)),
    )
    gram = (x.T @ x).toarray()
    gram[np.diag_indices_from(gram)] += parameters.regularisation
    inverse = np.linalg.inv(gram)
    dense = -inverse / np.diag(inverse)
    np.fill_diagonal(dense, 0.0)
    return ItemModel(_prune(dense, core, n, parameters.neighbours), parameters)


def _prune(dense: np.ndarray, core: np.ndarray, n: int, neighbours: int) -> sp.csr_matrix:
    """Keep, for each source movie, its `neighbours` weights of largest magnitude."""
    k = min(neighbours, dense.shape[1])
    if k < dense.shape[1]:
        top = np.argpartition(-np.abs(dense), k - 1, axis=1)[:, :k]
    else:
        top = np.tile(np.arange(dense.shape[1]), (dense.shape[0], 1))
    values = np.take_along_axis(dense, top, axis=1)
    rows = np.repeat(core, top.shape[1])
    columns = core[top.ravel()]
    nonzero = values.ravel() != 0
    return sp.csr_matrix((values.ravel()[nonzero], (rows[nonzero], columns[nonzero])), shape=(n, n))


def interaction_weights(
    scores: np.ndarray, recency_rank: np.ndarray, parameters: ModelParameters
) -> np.ndarray:
    """How much each of a user's ratings speaks for their taste now: recent ones more (above a
    floor every rating keeps), liked ones more, disliked ones less (they still say what the
    user chooses to watch)."""
    like = 1.0 + parameters.like_weight * (np.asarray(scores, dtype=np.float64) - 3.0)
    if parameters.recency_scale <= 0 or parameters.recency_floor >= 1:
        return like
    decay = np.exp(-np.asarray(recency_rank, dtype=np.float64) / parameters.recency_scale)
    floor = parameters.recency_floor
    return like * (floor + (1.0 - floor) * decay)


def collaborative_scores(model: ItemModel, profile: sp.csr_matrix) -> np.ndarray:
    """users x items scores for weighted profiles (rows from `interaction_weights`)."""
    return np.asarray((profile @ model.weights).toarray())
