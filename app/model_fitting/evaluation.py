"""`nexus evaluate`: a protocol end to end on a MovieLens directory: ours beside EASE with its λ
tuned on validation, item-kNN and most-popular, overall and by length of history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.model_fitting.holdout import Metrics, evaluate, split
from app.model_fitting.item_model import ModelParameters, fit_item_model
from app.model_fitting.rating_log import RatingLog
from app.model_fitting.scorers import item_knn, model_scorer, most_popular
from app.model_fitting.tuning import Grid, Tuning, plain_ease, tune

# Users by the number of training ratings they have: (label, at least, below).
BANDS = (("<20", 0, 20), ("20-100", 20, 100), ("100-250", 100, 250), (">250", 250, None))
HOLDOUT_WORDS = {
    "temporal": "latest {share} of each user's ratings held out",
    "random": "a random {share} of each user's ratings held out",
}


@dataclass(frozen=True)
class Report:
    protocol: str
    k: int
    holdout: float
    ratings: int
    users: int
    items: int
    tuning: Tuning
    rankings: dict[str, Metrics]  # nexus, EASE, item-kNN, most-popular
    history: np.ndarray  # training ratings per user code

    @property
    def ours(self) -> Metrics:
        return self.rankings["nexus"]

    @property
    def popular(self) -> Metrics:
        return self.rankings["most-popular"]

    def band_ndcg(self, name: str) -> list[tuple[int, float]]:
        """(users, mean NDCG@k) per band of `BANDS` for one ranking."""
        metrics = self.rankings[name]
        lengths = self.history[metrics.user_codes]
        rows = []
        for _, low, high in BANDS:
            inside = (lengths >= low) & (lengths < (high if high is not None else np.inf))
            count = int(inside.sum())
            rows.append((count, float(metrics.user_ndcg[inside].mean()) if count else 0.0))
        return rows

    def lines(self) -> list[str]:
        k, best = self.k, self.tuning.best
        words = HOLDOUT_WORDS[self.protocol].format(share=f"{self.holdout:.0%}")
        rows = [
            f"{self.protocol} protocol: {self.ratings} ratings, {self.users} users, "
            f"{self.items} movies; {words}; {self.ours.users} users with a relevant held-out movie",
            f"nexus chosen on validation (both protocols): λ={best.regularisation:g}, "
            f"recency floor={best.recency_floor:g} scale={best.recency_scale:g}, "
            f"like={best.like_weight:g}; EASE's λ chosen on {self.protocol} validation: "
            f"{self.tuning.ease_regularisation[self.protocol]:g}",
            f"{'ranking':<16}{'NDCG@' + str(k):>10}{'Recall@' + str(k):>11}"
            f"{'HR@' + str(k):>9}{'coverage':>10}",
        ]
        for name, metrics in self.rankings.items():
            rows.append(
                f"{name:<16}{metrics.ndcg:>10.4f}{metrics.recall:>11.4f}"
                f"{metrics.hit_rate:>9.4f}{metrics.coverage:>10.4f}"
            )
        counts = [count for count, _ in self.band_ndcg("nexus")]
        rows.append(
            f"{'NDCG@' + str(k) + ' by history':<16}"
            + "".join(
                f"{f'{label} ({n})':>16}" for (label, _, _), n in zip(BANDS, counts, strict=True)
            )
        )
        for name in self.rankings:
            rows.append(
                f"{name:<16}" + "".join(f"{ndcg:>16.4f}" for _, ndcg in self.band_ndcg(name))
            )
        return rows


def run_protocol(
    log: RatingLog,
    protocol: str = "temporal",
    holdout: float = 0.2,
    k: int = 10,
    base: ModelParameters | None = None,
    grid: Grid | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    train, test = split(log, protocol, holdout)
    tuning = tune(train, holdout, k, base=base, grid=grid, progress=progress)
    model = fit_item_model(train, tuning.best)
    ease = plain_ease(ModelParameters(regularisation=tuning.ease_regularisation[protocol]))
    ease_model = fit_item_model(train, ease)
    return Report(
        protocol=protocol,
        k=k,
        holdout=holdout,
        ratings=len(log),
        users=log.users_count,
        items=log.items_count,
        tuning=tuning,
        rankings={
            "nexus": evaluate(train, test, model_scorer(train, model), k),
            "EASE (tuned λ)": evaluate(train, test, model_scorer(train, ease_model), k),
            "item-kNN": evaluate(train, test, item_knn(train), k),
            "most-popular": evaluate(train, test, most_popular(train), k),
        },
        history=np.bincount(train.user, minlength=train.users_count),
    )
