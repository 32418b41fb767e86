"""The offline protocols: each user's latest ratings (temporal) or a random share of them (random)
are held out; relevant = held-out rating ≥ 4; every movie the user did not rate in training is
ranked; metrics average over users with at least one relevant held-out movie."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from app.model_fitting.rating_log import RatingLog

RELEVANT_SCORE = 4
BATCH_USERS = 1_024

# Given the training ratings, a function from user codes to their scores over every item code.
Scorer = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Metrics:
    ndcg: float
    recall: float
    hit_rate: float
    coverage: float  # share of the catalogue appearing in someone's top k
    users: int
    # Per evaluated user (codes, and their NDCG), for the table by length of history.
    user_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    user_ndcg: np.ndarray = field(default_factory=lambda: np.zeros(0))


def temporal_split(log: RatingLog, holdout: float) -> tuple[RatingLog, RatingLog]:
    """Hold out the latest round(holdout · n) ratings of each user (ties broken by item id)."""
    train = np.ones(len(log), dtype=bool)
    starts, ends = log.user_bounds()
    held = np.rint(holdout * (ends - starts)).astype(np.int64)
    for end, count in zip(ends, held, strict=True):
        if count > 0:
            train[end - count : end] = False
    return log.subset(train), log.subset(~train)


def random_split(log: RatingLog, holdout: float, seed: int = 0) -> tuple[RatingLog, RatingLog]:
    """Hold out round(holdout · n) ratings of each user, drawn at random (seeded)."""
    rng = np.random.default_rng(seed)
    train = np.ones(len(log), dtype=bool)
    starts, ends = log.user_bounds()
    held = np.rint(holdout * (ends - starts)).astype(np.int64)
    for start, end, count in zip(starts, ends, held, strict=True):
        if count > 0:
            train[start + rng.choice(end - start, size=count, replace=False)] = False
    return log.subset(train), log.subset(~train)


SPLITS = {"temporal": temporal_split, "random": random_split}
PROTOCOLS = tuple(SPLITS)


def split(log: RatingLog, protocol: str, holdout: float) -> tuple[RatingLog, RatingLog]:
    return SPLITS[protocol](log, holdout)


def evaluate(train: RatingLog, test: RatingLog, scorer: Scorer, k: int = 10) -> Metrics:
    relevant = test.subset(test.score >= RELEVANT_SCORE).matrix().tocsr()
    seen = train.matrix().tocsr()
    users = np.flatnonzero(np.diff(relevant.indptr) > 0)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    recall = hits = 0.0
    per_user = np.zeros(len(users))
    shown = np.zeros(train.items_count, dtype=bool)
    for start in range(0, len(users), BATCH_USERS):
        batch = users[start : start + BATCH_USERS]
        scores = np.array(scorer(batch), dtype=np.float64)
        scores[seen[batch].nonzero()] = -np.inf
        top = top_k(scores, k)
        shown[top.ravel()] = True
        truth = relevant[batch]
        for row in range(len(batch)):
            wanted = truth.indices[truth.indptr[row] : truth.indptr[row + 1]]
            hit = np.isin(top[row], wanted)
            ideal = min(k, len(wanted))
            per_user[start + row] = float(hit @ discounts) / float(discounts[:ideal].sum())
            recall += hit.sum() / ideal
            hits += float(hit.any())
    n = max(len(users), 1)
    coverage = shown.sum() / train.items_count
    return Metrics(per_user.sum() / n, recall / n, hits / n, coverage, len(users), users, per_user)


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best scores per row, best first (ties: lower index first)."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part.sort(axis=1)
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)
