"""Ratings as parallel arrays, indexed densely so that models can work on sparse matrices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class RatingLog:
    """Who rated what, how (1-5) and when (seconds), sorted by user then time.

    `user` and `item` are dense codes (0..n-1); `user_ids`/`item_ids` map codes back to ids."""

    user: np.ndarray
    item: np.ndarray
    score: np.ndarray
    timestamp: np.ndarray
    user_ids: np.ndarray
    item_ids: np.ndarray

    @classmethod
    def from_ids(
        cls,
        users: np.ndarray,
        items: np.ndarray,
        scores: np.ndarray,
        timestamps: np.ndarray,
        item_ids: np.ndarray | None = None,
    ) -> RatingLog:
        """Code the ids; `item_ids` may list movies nobody rated, so they are ranked too."""
        user_ids, user = np.unique(np.asarray(users), return_inverse=True)
        if item_ids is None:
            item_ids, item = np.unique(np.asarray(items), return_inverse=True)
        else:
            item_ids = np.unique(np.asarray(item_ids))
            item = np.searchsorted(item_ids, items)
        # Ties in time break by item so that every run splits the same way.
        order = np.lexsort((item, np.asarray(timestamps), user))
        return cls(
            user=user[order].astype(np.int64),
            item=item[order].astype(np.int64),
            score=np.asarray(scores)[order].astype(np.float64),
            timestamp=np.asarray(timestamps)[order].astype(np.float64),
            user_ids=user_ids,
            item_ids=item_ids,
        )

    @property
    def users_count(self) -> int:
        return len(self.user_ids)

    @property
    def items_count(self) -> int:
        return len(self.item_ids)

    def __len__(self) -> int:
        return len(self.user)

    def subset(self, mask: np.ndarray) -> RatingLog:
        """The ratings where `mask` holds, keeping the same codes."""
        return RatingLog(
            self.user[mask],
            self.item[mask],
            self.score[mask],
            self.timestamp[mask],
            self.user_ids,
            self.item_ids,
        )

    def matrix(self, values: np.ndarray | None = None) -> sp.csr_matrix:
        """users x items, 1 per rating unless `values` are given."""
        data = np.ones(len(self.user)) if values is None else values
        return sp.csr_matrix(
            (data, (self.user, self.item)), shape=(self.users_count, self.items_count)
        )

    def user_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Start and end offsets of each user's run of ratings (only users with ratings)."""
        if len(self.user) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        starts = np.flatnonzero(np.r_[True, np.diff(self.user) != 0]).astype(np.int64)
        ends = np.r_[starts[1:], len(self.user)].astype(np.int64)
        return starts, ends

    def recency_rank(self) -> np.ndarray:
        """0 for each user's latest rating, 1 for the one before, and so on."""
        rank = np.empty(len(self.user), dtype=np.float64)
        starts, ends = self.user_bounds()
        for start, end in zip(starts, ends, strict=True):
            rank[start:end] = np.arange(end - start - 1, -1, -1)
        return rank

    def popularity(self) -> np.ndarray:
        return np.bincount(self.item, minlength=self.items_count).astype(np.float64)
