"""The served model's compressed rows give what the dense matrix gives."""

from __future__ import annotations

import numpy as np

from app.adapters.served_model import Compressed, InMemoryServedModel
from app.model_fitting.parameters import ModelParameters


def test_weighted_sums_lines_and_columns_match_the_dense_matrix() -> None:
    generator = np.random.default_rng(7)
    n = 40
    dense = np.where(generator.random((n, n)) < 0.15, generator.random((n, n)), 0.0)
    lines, others = np.nonzero(dense)
    rows = Compressed.of(n, lines.astype(np.int64), others.astype(np.int64), dense[lines, others])
    chosen = np.array([3, 17, 3, 39, 0], dtype=np.int64)  # a line twice, the last, the first
    weights = np.array([1.0, 0.5, 2.0, -1.0, 0.25])
    assert np.allclose(rows.weighted_sum(chosen, weights), weights @ dense[chosen])
    for k in (0, 17, 39):
        codes, values = rows.line(k)
        assert np.array_equal(codes, np.flatnonzero(dense[k]))
        assert np.allclose(values, dense[k][codes])
    # The model over the same weights (movie ids 1 to n): what one movie owes to each rated one.
    model = InMemoryServedModel.from_edges(
        1,
        lines.astype(np.int64) + 1,
        others.astype(np.int64) + 1,
        dense[lines, others],
        ModelParameters(),
    )
    profile = {int(i) + 1: float(w) for i, w in zip(chosen, weights, strict=True)}
    for k in (0, 17, 39):
        expected = {m: dense[m - 1, k] * w for m, w in profile.items() if dense[m - 1, k] != 0}
        found = model.contributions(profile, k + 1)
        assert found.keys() == expected.keys()
        assert all(np.isclose(found[m], expected[m]) for m in expected)


def test_scores_exclusions_neighbours_and_contributions_use_movie_ids() -> None:
    model = InMemoryServedModel.from_edges(
        3,
        np.array([10, 10, 20, 30], dtype=np.int64),
        np.array([20, 30, 30, 10], dtype=np.int64),
        np.array([0.5, 0.25, 1.0, 0.1]),
        ModelParameters(),
    )
    assert model.score({10: 2.0, 20: 1.0}, exclude={10, 20}, limit=5) == [(30, 1.5)]
    assert model.neighbours(10, limit=5) == [(20, 0.5), (30, 0.25)]
    assert model.contributions({10: 2.0, 20: 1.0}, 30) == {10: 0.5, 20: 1.0}
    assert model.score({99: 1.0}, exclude=set(), limit=5) == []
