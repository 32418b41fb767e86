"""Recommendations as a user meets them, on MovieLens 100K: the training ratings imported with
`nexus import-movielens`, `nexus serve` started with default settings, and every evaluated
user's list fetched over HTTP. NDCG@10 must reach EASE's with its λ tuned on validation (the
test tunes it) on both protocols, and most-popular's in every band of history length."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np
import pytest

from app.bootstrap.runtime import build_token_codec
from app.bootstrap.settings import Settings
from app.model_fitting.evaluation import BANDS
from app.model_fitting.holdout import RELEVANT_SCORE, Metrics, evaluate, split
from app.model_fitting.item_model import ModelParameters, fit_item_model
from app.model_fitting.movielens import read_movielens
from app.model_fitting.rating_log import RatingLog
from app.model_fitting.scorers import model_scorer, most_popular
from app.model_fitting.tuning import plain_ease
from tests.cli.test_model_commands import nexus, rows
from tests.conftest import TEST_JWT_SECRET
from tests.support.ml_100k import ml_100k_or_skip, write_training_release
from tests.support.server_process import NEXUS, clean_env, free_port, wait_until_serving

pytestmark = pytest.mark.slow
K = 10
EASE_LAMBDAS = (100.0, 300.0, 1000.0, 3000.0)
SAMPLE_USERS = 500


def tuned_ease(train: RatingLog, test: RatingLog, protocol: str) -> Metrics:
    """EASE with the λ its own validation split (cut from `train`) prefers, on the test."""
    fit_part, validation = split(train, protocol, 0.2)

    def metrics(on: RatingLog, held: RatingLog, regularisation: float) -> Metrics:
        parameters = plain_ease(ModelParameters(regularisation=regularisation))
        return evaluate(on, held, model_scorer(on, fit_item_model(on, parameters)), K)

    best = max(EASE_LAMBDAS, key=lambda value: metrics(fit_part, validation, value).ndcg)
    return metrics(train, test, best)


def on_users(metrics: Metrics, user_codes: list[int]) -> float:
    return float(metrics.user_ndcg[np.isin(metrics.user_codes, user_codes)].mean())


@contextmanager
def serving_quietly(env: dict[str, str], cwd: Path) -> Iterator[str]:
    """`nexus serve` logging to a file: a thousand access-log lines would fill a pipe nobody
    reads while the test runs, and the server would block writing them."""
    port = free_port()
    with (cwd / "serve.log").open("w") as log:
        process = subprocess.Popen(
            [NEXUS, "serve", "--port", str(port)], env=env, cwd=cwd, stdout=log, stderr=log
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(base, process)
            yield base
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0, (cwd / "serve.log").read_text()[-2000:]


def ndcg_of(lists: dict[int, list[int]], relevant: dict[int, set[int]]) -> dict[int, float]:
    discounts = 1.0 / np.log2(np.arange(2, K + 2))
    result = {}
    for user, wanted in relevant.items():
        hits = np.array([movie in wanted for movie in lists.get(user, [])[:K]], dtype=float)
        ideal = discounts[: min(K, len(wanted))].sum()
        result[user] = float(hits @ discounts[: len(hits)]) / ideal
    return result


async def fetch_lists(
    base: str, tokens: dict[int, str], movielens_of: dict[int, int]
) -> dict[int, list[int]]:
    limits = httpx.Limits(max_connections=8)
    lists: dict[int, list[int]] = {}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        semaphore = asyncio.Semaphore(8)

        async def one(user: int, token: str) -> None:
            async with semaphore:
                response = await client.get(
                    "/api/movies/recommendations/",
                    params={"limit": K},
                    headers={"Authorization": f"Bearer {token}"},
                )
            assert response.status_code == 200, response.text
            body = response.json()
            assert all(item["model_version"] is not None for item in body)
            lists[user] = [movielens_of[item["id"]] for item in body]

        await asyncio.gather(*(one(user, token) for user, token in tokens.items()))
    return lists


@pytest.mark.parametrize("protocol", ["temporal", "random"])
def test_served_recommendations_reach_tuned_ease(
    protocol: str, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    source = ml_100k_or_skip()
    log = read_movielens(source).rating_log()
    train, test = split(log, protocol, 0.2)
    keep = {
        (int(log.user_ids[u]), int(log.item_ids[i]))
        for u, i in zip(train.user, train.item, strict=True)
    }
    release = write_training_release(source, tmp_path / "train", keep)
    settings = make_settings()
    url = settings.database_url
    assert url is not None
    imported = nexus("import-movielens", str(release), database=url)
    assert imported.returncode == 0, imported.stderr
    assert "model 1:" in imported.stdout  # built before the import exits

    # A seeded sample of the evaluated users keeps the test short; the baselines are averaged
    # over the same users.
    sample = set(np.random.default_rng(1).permutation(log.users_count)[:SAMPLE_USERS].tolist())
    relevant: dict[int, set[int]] = {}
    for u, i, score in zip(test.user, test.item, test.score, strict=True):
        if score >= RELEVANT_SCORE and int(u) in sample:
            relevant.setdefault(int(log.user_ids[u]), set()).add(int(log.item_ids[i]))
    users = dict(asyncio.run(rows(url, "SELECT username, id FROM users")))
    movielens_of = dict(asyncio.run(rows(url, "SELECT id, movielens_id FROM movies")))
    codec = build_token_codec(settings)
    tokens = {user: codec.issue_access(users[f"movielens-{user}"]) for user in relevant}
    env = clean_env(DATABASE_URL=url, JWT_SECRET=TEST_JWT_SECRET, NEXUS_ENV="test")
    with serving_quietly(env, tmp_path) as base:
        lists = asyncio.run(fetch_lists(base, tokens, movielens_of))
    served = ndcg_of(lists, relevant)

    evaluated = [code for code in sorted(sample) if int(log.user_ids[code]) in relevant]
    ease = on_users(tuned_ease(train, test, protocol), evaluated)
    ours = float(np.mean([served[int(log.user_ids[code])] for code in evaluated]))
    print(f"{protocol}: {len(evaluated)} users, served NDCG@10 {ours:.4f}, tuned EASE {ease:.4f}")
    assert ours >= ease, f"{protocol}: served NDCG@10 {ours:.4f} < tuned EASE {ease:.4f}"
    popular = evaluate(train, test, most_popular(train), K)
    history = np.bincount(train.user, minlength=train.users_count)
    for label, low, high in BANDS:
        inside = [
            c for c in evaluated if low <= history[c] < (high if high is not None else np.inf)
        ]
        if not inside:
            continue
        band_popular = on_users(popular, inside)
        band_ours = float(np.mean([served[int(log.user_ids[code])] for code in inside]))
        print(
            f"  {label} ({len(inside)} users): served {band_ours:.4f}, popular {band_popular:.4f}"
        )
        assert band_ours >= band_popular, (
            f"{protocol} {label}: {band_ours:.4f} < {band_popular:.4f}"
        )
