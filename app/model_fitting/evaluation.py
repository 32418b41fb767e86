"""`nexus evaluate`: the protocol end to end on a MovieLens directory, ours beside most-popular."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.model_fitting.holdout import Metrics, evaluate, temporal_split
from app.model_fitting.item_model import ModelParameters, fit_item_model
from app.model_fitting.rating_log import RatingLog
from app.model_fitting.scorers import Tuning, model_scorer, most_popular, tune


@dataclass(frozen=True)
class Report:
    k: int
    holdout: float
    ratings: int
    users: int
    items: int
    tuning: Tuning
    ours: Metrics
    popular: Metrics

    def lines(self) -> list[str]:
        k = self.k
        best = self.tuning.best
        head = f"{'ranking':<16}{'NDCG@' + str(k):>10}{'Recall@' + str(k):>11}"
        head += f"{'HR@' + str(k):>9}{'coverage':>10}"
        rows = [
            f"{self.ratings} ratings, {self.users} users, {self.items} movies; "
            f"latest {self.holdout:.0%} of each user's ratings held out; "
            f"{self.ours.users} users with a relevant held-out movie",
            f"chosen on validation: λ={best.regularisation:g}, recency={best.recency_scale:g}, "
            f"like={best.like_weight:g}, neighbours={best.neighbours} "
            f"(validation NDCG@{k} {self.tuning.validation.ndcg:.4f})",
            head,
        ]
        for name, metrics in (("nexus", self.ours), ("most-popular", self.popular)):
            rows.append(
                f"{name:<16}{metrics.ndcg:>10.4f}{metrics.recall:>11.4f}"
                f"{metrics.hit_rate:>9.4f}{metrics.coverage:>10.4f}"
            )
        return rows


def run_protocol(
    log: RatingLog,
    holdout: float = 0.2,
    k: int = 10,
    base: ModelParameters | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    train, test = temporal_split(log, holdout)
    tuning = tune(train, holdout, k, base=base, progress=progress)
    model = fit_item_model(train, tuning.best)
    return Report(
        k=k,
        holdout=holdout,
        ratings=len(log),
        users=log.users_count,
        items=log.items_count,
        tuning=tuning,
        ours=evaluate(train, test, model_scorer(train, model), k),
        popular=evaluate(train, test, most_popular(train), k),
    )
