"""Offline quality on MovieLens 100K: `python -m bench.recommendations_quality`.

The protocols of `nexus evaluate` on both holdouts (each user's latest 20 % of ratings, and a
random 20 % of them; relevant = held-out rating >= 4, every movie the user did not rate in
training ranked): ours beside EASE with its λ tuned on validation, item-kNN and most-popular,
overall and by length of history. Hyper-parameters are chosen on validation splits cut from the
training ratings only; the defaults served without tuning are shown too."""

from __future__ import annotations

import platform
import time

from app.model_fitting.evaluation import Report, run_protocol
from app.model_fitting.holdout import evaluate, split
from app.model_fitting.item_model import ModelParameters, fit_item_model
from app.model_fitting.movielens import read_movielens
from app.model_fitting.rating_log import RatingLog
from app.model_fitting.scorers import model_scorer
from bench.movielens_data import ml_100k
from bench.results import record


def defaults_line(log: RatingLog, report: Report) -> str:
    train, test = split(log, report.protocol, report.holdout)
    metrics = evaluate(train, test, model_scorer(train, fit_item_model(train, ModelParameters())))
    return (
        f"{'nexus, defaults':<16}{metrics.ndcg:>10.4f}{metrics.recall:>11.4f}"
        f"{metrics.hit_rate:>9.4f}{metrics.coverage:>10.4f}"
    )


def main() -> None:
    log = read_movielens(ml_100k()).rating_log()
    started = time.perf_counter()
    blocks, verdicts = [], []
    for protocol in ("temporal", "random"):
        report = run_protocol(log, protocol=protocol, holdout=0.2, k=10)
        lines = report.lines()
        lines.insert(3 + len(report.rankings), defaults_line(log, report))
        blocks.append("\n".join(lines))
        ease = report.rankings["EASE (tuned λ)"].ndcg
        verdicts.append(
            f"{protocol}: nexus {report.ours.ndcg:.4f} against tuned EASE {ease:.4f} "
            f"({report.ours.ndcg / ease:.2f} times)"
        )
    seconds = time.perf_counter() - started
    print("\n\n".join(blocks))
    print("\n".join(verdicts))
    record(
        "Recommendation quality on MovieLens 100K",
        "`python -m bench.recommendations_quality` (data from the RecBole 1.2.1 wheel; "
        f"{seconds:.0f} s including the validation grids, Python {platform.python_version()})"
        "\n\n```\n" + "\n\n".join(blocks) + "\n```\n\n" + "; ".join(verdicts) + ". "
        "`nexus, defaults` is the model `import-movielens` and `serve` build without tuning "
        "(λ=300, recency floor 0.5 with scale 10, like 0.4). The bands count each user's "
        "training ratings.",
    )


if __name__ == "__main__":
    main()
