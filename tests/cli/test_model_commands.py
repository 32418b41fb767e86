"""`nexus import-movielens`, `nexus evaluate` and `nexus build-model` on small generated releases
in each layout, against a real PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.postgres.recommender_models import PostgresModelStore
from app.adapters.security.passwords import Argon2PasswordHasher
from app.bootstrap.settings import Settings
from app.cli.movielens import run_import
from app.cli.progress import ProgressBar
from app.model_fitting.building import build_and_store
from app.model_fitting.movielens import read_movielens
from tests.conftest import TEST_JWT_SECRET
from tests.support.movielens_files import (
    rating_total,
    write_csv_release,
    write_grouplens_100k,
    write_recbole,
)

NEXUS = str(Path(sys.executable).with_name("nexus"))


async def rows(url: str, sql: str) -> list[tuple]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(text(sql))]
    finally:
        await engine.dispose()


def nexus(*args: str, database: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(JWT_SECRET=TEST_JWT_SECRET, NEXUS_ENV="test", LOG_FORMAT="text")
    if database:
        env["DATABASE_URL"] = database
    return subprocess.run([NEXUS, *args], env=env, capture_output=True, text=True, timeout=120)


async def test_grouplens_100k_imports_once_and_keeps_aggregates(
    settings: Settings, tmp_path: Path
) -> None:
    directory = write_grouplens_100k(tmp_path / "ml-100k")
    data = read_movielens(directory)
    url = settings.database_url
    assert url is not None
    counts = await run_import(settings, data, None, ProgressBar())
    assert (counts.users, counts.ratings) == (len(set(data.users.tolist())), len(data.users))
    before = await rows(url, "SELECT id, movielens_id FROM movies ORDER BY id")
    again = await run_import(settings, data, None, ProgressBar())
    assert again == counts
    assert await rows(url, "SELECT id, movielens_id FROM movies ORDER BY id") == before
    [(ratings, score_sum)] = await rows(url, "SELECT count(*), sum(score) FROM ratings")
    assert (ratings, score_sum) == (len(data.users), rating_total(directory))
    [(count, total)] = await rows(url, "SELECT sum(ratings_count), sum(ratings_sum) FROM movies")
    assert (count, total) == (ratings, score_sum)
    [(title, genres, year)] = await rows(
        url,
        "SELECT title, genre_ids, extract(year FROM release_date) FROM movies "
        "WHERE movielens_id = 1",
    )
    assert title == "The Usual Suspects"
    assert set(genres) == {80, 9648}  # Film-Noir
    assert year is not None
    users = await rows(url, "SELECT username, password_hash FROM users ORDER BY id LIMIT 2")
    assert [name for name, _ in users] == ["movielens-1", "movielens-2"]
    assert all(password is None for _, password in users)
    assert len(await rows(url, "SELECT id FROM genres")) == 19


async def test_csv_release_maps_half_stars_links_tmdb_and_sets_one_password(
    settings: Settings, tmp_path: Path
) -> None:
    url = settings.database_url
    assert url is not None
    # Toy Story is already in the catalogue from TMDb: it is linked, not duplicated.
    await rows(url, "SELECT 1")
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO movies (tmdb_id, title, overview) VALUES (862, 'Toy Story', 'x')")
        )
    await engine.dispose()
    data = read_movielens(write_csv_release(tmp_path / "ml-latest-small"))
    await run_import(settings, data, "demo-password-1", ProgressBar())
    movies = await rows(
        url, "SELECT movielens_id, tmdb_id, imdb_id, title, genre_ids FROM movies ORDER BY 1"
    )
    assert movies == [
        (1, 862, "tt0114709", "Toy Story", []),  # TMDb's own description is kept
        (2, 9087, "tt0112346", "The American President", [35, 18, 10749]),
        (3, 78, "tt0083658", "Blade Runner", [878, 53]),
        (4, None, "tt0000001", "Untitled", []),
    ]
    scores = await rows(
        url,
        "SELECT u.username, m.movielens_id, r.score FROM ratings r "
        "JOIN users u ON u.id = r.user_id JOIN movies m ON m.id = r.movie_id ORDER BY 1, 2",
    )
    assert [score for *_, score in scores] == [5, 1, 4, 5, 2, 2]
    hashes = {h for (h,) in await rows(url, "SELECT password_hash FROM users")}
    assert len(hashes) == 1
    hasher = Argon2PasswordHasher(time_cost=1, memory_kib=8, parallelism=1)
    assert (await hasher.verify("demo-password-1", hashes.pop()))[0]


async def test_recbole_files_import_and_a_model_is_built_and_stored(
    settings: Settings, tmp_path: Path
) -> None:
    url = settings.database_url
    assert url is not None
    data = read_movielens(write_recbole(tmp_path / "recbole"))
    await run_import(settings, data, None, ProgressBar())
    [(genres,)] = await rows(url, "SELECT genre_ids FROM movies WHERE movielens_id = 2")
    assert genres == [80, 878]
    database = PostgresDatabase(create_engine(url))
    try:
        first = await build_and_store(database, lambda uow: PostgresModelStore(uow.connection))
        second = await build_and_store(database, lambda uow: PostgresModelStore(uow.connection))
    finally:
        await database.dispose()
    assert second.model_id > first.model_id
    assert first.ratings == len(data.users) and first.weights > 0
    [(stored,)] = await rows(
        url, f"SELECT count(*) FROM item_neighbours WHERE model_id = {second.model_id}"
    )
    assert stored == second.weights
    [(parameters,)] = await rows(url, "SELECT parameters FROM recommender_models LIMIT 1")
    assert parameters["regularisation"] > 0


def test_evaluate_prints_ours_beside_the_baselines_on_both_protocols(tmp_path: Path) -> None:
    directory = write_grouplens_100k(tmp_path / "ml")
    result = nexus("evaluate", str(directory), "--holdout", "0.2", "--k", "5")
    assert result.returncode == 0, result.stderr
    assert "NDCG@5" in result.stdout and "Recall@5" in result.stdout
    for name in ("nexus", "EASE (tuned λ)", "item-kNN", "most-popular", "100-250"):
        assert name in result.stdout
    assert "temporal protocol" in result.stdout and "random protocol" in result.stdout


def test_commands_refuse_what_they_cannot_read(tmp_path: Path) -> None:
    result = nexus("evaluate", str(tmp_path / "missing"))
    assert result.returncode == 2
    assert "not a directory" in result.stderr and "Traceback" not in result.stderr
    (tmp_path / "empty").mkdir()
    result = nexus("import-movielens", str(tmp_path / "empty"))
    assert result.returncode == 2 and "no MovieLens files" in result.stderr
    result = nexus("evaluate", str(tmp_path), "--holdout", "1.5")
    assert result.returncode == 2 and "between 0 and 1" in result.stderr


def test_import_and_build_model_commands(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    url = make_settings().database_url
    directory = write_grouplens_100k(tmp_path / "ml")
    result = nexus("import-movielens", str(directory), "--no-build", database=url)
    assert result.returncode == 0, result.stderr
    assert "imported 40 movies, 60 users" in result.stdout and "model" not in result.stdout
    # Tuned on validation splits of the live ratings, and the choice stored with the model.
    result = nexus("build-model", database=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("model 1: ")
    assert "random validation" in result.stderr and "temporal validation" in result.stderr
    # Importing again (nothing new) still leaves a model built before exit.
    result = nexus("import-movielens", str(directory), database=url)
    assert result.returncode == 0, result.stderr
    assert "model 2: 40 movies" in result.stdout


def test_evaluate_saves_parameters_that_build_model_uses(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    url = make_settings().database_url
    assert url is not None
    directory = write_grouplens_100k(tmp_path / "ml")
    params = tmp_path / "params.json"
    result = nexus("evaluate", str(directory), "--protocol", "random", "--save-params", str(params))
    assert result.returncode == 0, result.stderr
    assert "random protocol" in result.stdout and "temporal protocol" not in result.stdout
    chosen = json.loads(params.read_text())
    assert nexus("import-movielens", str(directory), "--no-build", database=url).returncode == 0
    result = nexus("build-model", "--params", str(params), database=url)
    assert result.returncode == 0, result.stderr
    assert "validation" not in result.stderr  # no tuning: the given parameters
    [(stored, seconds)] = asyncio.run(
        rows(url, "SELECT parameters, build_seconds FROM recommender_models")
    )
    assert stored == chosen
    assert f"in {seconds:.1f}s" in result.stdout  # the stored time is the reported whole time


def test_build_model_refuses_unreadable_parameters(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"lambda": 3}')
    for path in (bad, tmp_path / "missing.json"):
        result = nexus("build-model", "--params", str(path))
        assert result.returncode == 2, result.stderr
        assert str(path) in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("flag", ["--movies", "--users", "--ratings"])
def test_seed_synthetic_refuses_non_positive_sizes(flag: str) -> None:
    result = nexus("seed-synthetic", flag, "0")
    assert result.returncode == 2 and "at least 1" in result.stderr


def test_seed_synthetic_generates_a_reproducible_catalogue(
    make_settings: Callable[..., Settings],
) -> None:
    url = make_settings().database_url
    args = ("seed-synthetic", "--movies", "50", "--users", "30", "--ratings", "400")
    result = nexus(*args, database=url)
    assert result.returncode == 0, result.stderr
    assert "seeded 50 movies, 30 users" in result.stdout


def test_import_keeps_good_rows_and_names_bad_ones(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    from tests.unit.model_fitting.test_movielens_rows import write_bad_100k

    url = make_settings().database_url
    result = nexus("import-movielens", str(write_bad_100k(tmp_path / "ml")), database=url)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "imported 2 movies, 2 users and 2 ratings" in result.stdout
    assert "skipped 5 malformed rows" in result.stderr
    assert "u.data line 3: timestamp 'yesterday' is not a number of seconds" in result.stderr
    missing = nexus("import-movielens", str(tmp_path / "nowhere"), database=url)
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines()[-1].endswith("nowhere: not a directory")
    assert "Traceback" not in missing.stderr
