"""`nexus build-model` (the ranking model from every rating) and `nexus seed-synthetic` (a
generated catalogue to reproduce the speed figures)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import time
from dataclasses import fields
from pathlib import Path

from app.bootstrap.settings import ConfigurationError, Settings
from app.cli import EXTRA_PARSERS, command, positive_int, prepare_database
from app.cli.progress import ProgressBar
from app.model_fitting.parameters import ModelParameters

log = logging.getLogger("nexus.cli.model")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    build = sub.add_parser(
        "build-model",
        help="build the recommendation model from every rating, with parameters chosen on "
        "validation splits of those ratings",
    )
    build.add_argument(
        "--params",
        type=Path,
        default=None,
        help="use these parameters (a JSON file from `evaluate --save-params`) instead of tuning",
    )
    seed = sub.add_parser(
        "seed-synthetic", help="generate movies, users and ratings (power-law, taste clusters)"
    )
    seed.add_argument("--movies", type=positive_int, default=20_000)
    seed.add_argument("--users", type=positive_int, default=10_000)
    seed.add_argument("--ratings", type=positive_int, default=1_000_000)
    seed.add_argument("--seed", type=int, default=7)
    seed.add_argument(
        "--no-build", action="store_true", help="skip building the recommendation model"
    )


EXTRA_PARSERS.append(add_parsers)


def save_parameters(path: Path, parameters: ModelParameters) -> None:
    path.write_text(json.dumps(parameters.as_dict(), indent=2) + "\n", encoding="utf-8")


def load_parameters(path: Path) -> ModelParameters:
    """Parameters from `evaluate --save-params`; a clear error for anything else."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigurationError(f"{path}: {error.strerror or error}") from None
    except ValueError:
        raise ConfigurationError(f"{path}: not a JSON file") from None
    known = {field.name for field in fields(ModelParameters)}
    if not isinstance(raw, dict) or not raw or set(raw) - known:
        raise ConfigurationError(f"{path}: expected an object with keys among {sorted(known)}")
    try:
        return ModelParameters(**raw)
    except TypeError as error:
        raise ConfigurationError(f"{path}: {error}") from None


async def build_model_now(
    settings: Settings, parameters: ModelParameters | None = None, tuned: bool = False
) -> str:
    """Build and store a model; the line to print (its whole time, storing included)."""
    from app.adapters.postgres.recommender_models import PostgresModelStore
    from app.bootstrap.batch import batch_database
    from app.model_fitting.building import build_and_store
    from app.model_fitting.tuning import Grid

    log.info("building the recommendation model%s", " (tuning on validation)" if tuned else "")
    async with batch_database(settings) as database:
        built = await build_and_store(
            database,
            lambda uow: PostgresModelStore(uow.connection),
            parameters,
            grid=Grid() if tuned else None,
            progress=lambda line: log.info(line),
        )
    chosen = built.parameters
    return (
        f"model {built.model_id}: {built.items} movies, {built.ratings} ratings, "
        f"{built.weights} weights in {built.seconds:.1f}s (λ={chosen.regularisation:g}, "
        f"recency floor={chosen.recency_floor:g} scale={chosen.recency_scale:g}, "
        f"like={chosen.like_weight:g})"
    )


@command("build-model")
def build_model(args: argparse.Namespace, settings: Settings) -> int:
    parameters = load_parameters(args.params) if args.params is not None else None
    settings = prepare_database(settings, migrate=args.migrate)
    print(asyncio.run(build_model_now(settings, parameters, tuned=parameters is None)))
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
    settings = prepare_database(settings, migrate=args.migrate)
    counts = asyncio.run(
        run_import(settings, data, None, ProgressBar(), username_prefix="synthetic-")
    )
    print(
        f"seeded {counts.movies} movies, {counts.users} users and {counts.ratings} ratings "
        f"in {time.perf_counter() - started:.1f}s"
    )
    if not args.no_build:
        print(asyncio.run(build_model_now(settings)))
    return 0
