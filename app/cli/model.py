"""`nexus build-model` (the ranking model from every rating) and `nexus seed-synthetic` (a
generated catalogue to reproduce the speed figures)."""

from __future__ import annotations

import argparse
import asyncio
import time

from app.bootstrap.settings import Settings
from app.cli import EXTRA_PARSERS, command, positive_int, prepare_database
from app.cli.progress import ProgressBar


def add_parsers(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("build-model", help="build the recommendation model from every rating")
    seed = sub.add_parser(
        "seed-synthetic", help="generate movies, users and ratings (power-law, taste clusters)"
    )
    seed.add_argument("--movies", type=positive_int, default=20_000)
    seed.add_argument("--users", type=positive_int, default=10_000)
    seed.add_argument("--ratings", type=positive_int, default=1_000_000)
    seed.add_argument("--seed", type=int, default=7)


EXTRA_PARSERS.append(add_parsers)


@command("build-model")
def build_model(args: argparse.Namespace, settings: Settings) -> int:
    from app.adapters.postgres.recommender_models import PostgresModelStore
    from app.bootstrap.batch import batch_database
    from app.model_fitting.building import build_and_store

    settings = prepare_database(settings)
    assert settings.database_url is not None

    async def run() -> str:
        async with batch_database(settings) as database:
            built = await build_and_store(database, lambda uow: PostgresModelStore(uow.connection))
        return (
            f"model {built.model_id}: {built.items} movies, {built.ratings} ratings, "
            f"{built.weights} weights in {built.seconds:.1f}s"
        )

    print(asyncio.run(run()))
    return 0


@command("seed-synthetic")
def seed_synthetic(args: argparse.Namespace, settings: Settings) -> int:
    from app.cli.movielens import run_import
    from app.model_fitting.synthetic import generate

    if args.ratings > args.movies * args.users:
        print("nexus: --ratings cannot exceed --movies x --users")
        return 2
    started = time.perf_counter()
    data = generate(args.movies, args.users, args.ratings, seed=args.seed)
    settings = prepare_database(settings)
    counts = asyncio.run(
        run_import(settings, data, None, ProgressBar(), username_prefix="synthetic-")
    )
    print(
        f"seeded {counts.movies} movies, {counts.users} users and {counts.ratings} ratings "
        f"in {time.perf_counter() - started:.1f}s"
    )
    return 0
