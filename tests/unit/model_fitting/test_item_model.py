"""The protocol's split and metrics, the model, and the evaluation end to end on generated data."""

from __future__ import annotations

import numpy as np
import pytest

from app.model_fitting.evaluation import run_protocol
from app.model_fitting.holdout import evaluate, random_split, temporal_split, top_k
from app.model_fitting.item_model import ModelParameters, fit_item_model, interaction_weights
from app.model_fitting.rating_log import RatingLog
from app.model_fitting.scorers import item_knn, model_scorer, most_popular
from app.model_fitting.synthetic import generate
from app.model_fitting.tuning import Grid


def log_of(rows: list[tuple[int, int, int, int]], items: list[int] | None = None) -> RatingLog:
    table = np.array(rows, dtype=np.int64)
    return RatingLog.from_ids(
        table[:, 0],
        table[:, 1],
        table[:, 2],
        table[:, 3].astype(float),
        np.array(items) if items else None,
    )


def test_the_latest_fifth_of_each_user_is_held_out() -> None:
    rows = [(1, item, 4, 100 - item) for item in range(10)]  # item 9 is the oldest
    rows += [(2, item, 3, item) for item in range(3)]
    train, test = temporal_split(log_of(rows), 0.2)
    held = {
        (int(test.user_ids[u]), int(test.item_ids[i]))
        for u, i in zip(test.user, test.item, strict=True)
    }
    assert held == {(1, 0), (1, 1), (2, 2)}  # round(0.2 * 10) = 2 and round(0.2 * 3) = 1
    assert len(train) == 10


def test_metrics_on_a_hand_checked_ranking() -> None:
    # One user, items 0..4; trained on item 0; holds out 1 (liked) and 2 (disliked).
    log = log_of([(1, 0, 5, 1), (1, 1, 5, 2), (1, 2, 1, 3)], items=[0, 1, 2, 3, 4])
    train, test = (
        log.subset(np.array([True, False, False])),
        log.subset(np.array([False, True, True])),
    )
    perfect = evaluate(train, test, lambda users: np.array([[0, 9, 1, 0, 0]], float), k=2)
    assert (perfect.ndcg, perfect.recall, perfect.hit_rate, perfect.users) == (1.0, 1.0, 1.0, 1)
    second = evaluate(train, test, lambda users: np.array([[0, 1, 9, 0, 0]], float), k=2)
    assert second.ndcg == pytest.approx(1 / np.log2(3))
    miss = evaluate(train, test, lambda users: np.array([[0, 0, 9, 8, 7]], float), k=2)
    assert (miss.ndcg, miss.hit_rate) == (0.0, 0.0)
    assert miss.coverage == pytest.approx(2 / 5)
    # The training item itself is never recommended, however high it scores.
    seen = evaluate(train, test, lambda users: np.array([[99, 9, 1, 0, 0]], float), k=1)
    assert seen.ndcg == 1.0


def test_top_k_orders_best_first() -> None:
    assert top_k(np.array([[0.1, 0.9, 0.5, 0.7]]), 3).tolist() == [[1, 3, 2]]


def test_the_model_learns_which_movies_go_together() -> None:
    # Users who rated 0 also rated 1; users who rated 2 also rated 3.
    rows = []
    for user in range(20):
        pair = (0, 1) if user % 2 else (2, 3)
        rows += [(user, pair[0], 5, 1), (user, pair[1], 5, 2)]
    log = log_of([*rows, (99, 0, 5, 1)])
    model = fit_item_model(log, ModelParameters(regularisation=1.0, recency_scale=0))
    scores = model_scorer(log, model)(np.array([log.users_count - 1]))[0]
    assert int(np.argmax(np.where(np.arange(4) == 0, -np.inf, scores))) == 1


def test_the_model_keeps_only_the_strongest_neighbours() -> None:
    log = generate(movies=30, users=50, ratings=600).rating_log()
    model = fit_item_model(log, ModelParameters(neighbours=5))
    assert np.diff(model.weights.indptr).max() <= 5
    capped = fit_item_model(log, ModelParameters(max_items=10))
    assert len(np.unique(capped.weights.nonzero()[0])) <= 10


def test_recent_and_liked_ratings_weigh_more() -> None:
    weights = interaction_weights(
        np.array([5, 1, 5]),
        np.array([0, 0, 10]),
        ModelParameters(recency_scale=10, recency_floor=0.0, like_weight=0.2),
    )
    assert weights[0] > weights[1] > 0
    assert weights[2] == pytest.approx(weights[0] / np.e)


def test_recency_is_a_boost_above_a_floor_every_rating_keeps() -> None:
    parameters = ModelParameters(recency_scale=10, recency_floor=0.5, like_weight=0.0)
    weights = interaction_weights(np.array([4, 4, 4]), np.array([0, 10, 1000]), parameters)
    assert weights[0] == pytest.approx(1.0)
    assert weights[1] == pytest.approx(0.5 + 0.5 / np.e)
    assert weights[2] == pytest.approx(0.5)  # a long history still counts, at half weight
    off = interaction_weights(
        np.array([4, 4]), np.array([0, 1000]), ModelParameters(recency_floor=1, like_weight=0)
    )
    assert off.tolist() == [1.0, 1.0]


def test_the_random_split_holds_out_a_share_of_every_user() -> None:
    rows = [(user, item, 4, item) for user in range(3) for item in range(10)]
    train, test = random_split(log_of(rows), 0.2, seed=1)
    assert np.bincount(test.user).tolist() == [2, 2, 2]
    assert len(train) == 24
    # Not the latest ones: over three users, some held-out rating is older than a kept one.
    assert any(
        test.timestamp[test.user == u].min() < train.timestamp[train.user == u].max()
        for u in range(3)
    )
    again, _ = random_split(log_of(rows), 0.2, seed=1)
    assert again.item.tolist() == train.item.tolist()


SMALL_GRID = Grid(regularisations=(100.0, 300.0), recency_floors=(0.5, 1.0), like_weights=(0.4,))


@pytest.mark.parametrize("protocol", ["temporal", "random"])
def test_on_clustered_data_our_ranking_beats_most_popular(protocol: str) -> None:
    log = generate(movies=200, users=400, ratings=12_000, seed=3).rating_log()
    report = run_protocol(log, protocol=protocol, holdout=0.2, k=10, grid=SMALL_GRID)
    assert report.ours.ndcg > report.popular.ndcg
    assert report.rankings["EASE (tuned λ)"].ndcg > report.popular.ndcg
    assert report.rankings["item-kNN"].ndcg > 0
    assert report.ours.users == report.popular.users > 0
    assert 0 < report.popular.coverage < report.ours.coverage <= 1
    text = "\n".join(report.lines())
    for name in ("nexus", "EASE (tuned λ)", "item-kNN", "most-popular", "<20", ">250", protocol):
        assert name in text
    bands = report.band_ndcg("nexus")
    assert sum(count for count, _ in bands) == report.ours.users
    assert report.tuning.best.regularisation in SMALL_GRID.regularisations
    train, _ = temporal_split(log, 0.2)
    assert most_popular(train)(np.array([0, 1])).shape == (2, log.items_count)
    assert item_knn(train)(np.array([0, 1])).shape == (2, log.items_count)
