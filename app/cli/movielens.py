"""`nexus import-movielens DIR` and `nexus evaluate DIR`: MovieLens data into the catalogue, and
the offline quality protocol on it."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from app.bootstrap.settings import ConfigurationError, Settings
from app.cli import EXTRA_PARSERS, command, positive_int, prepare_database
from app.cli.model import build_model_now, save_parameters
from app.cli.movielens_source import add_download_options, release_directory
from app.cli.progress import ProgressBar

if TYPE_CHECKING:  # loaded where a command reads or imports data: `nexus serve` never does
    from app.adapters.postgres.movielens_import import ImportCounts
    from app.model_fitting.movielens import MovieLensData

log = logging.getLogger("nexus.cli.movielens")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    load = sub.add_parser("import-movielens", help="import a MovieLens release")
    load.add_argument("directory", type=Path, nargs="?", help="an unpacked release")
    add_download_options(load)
    load.add_argument(
        "--no-build", action="store_true", help="skip building the recommendation model"
    )
    load.add_argument(
        "--users-password",
        default=None,
        help="let every imported user sign in with this password (demos and evaluation only)",
    )
    evaluate = sub.add_parser(
        "evaluate", help="offline evaluation of the ranking on a MovieLens release"
    )
    evaluate.add_argument("directory", type=Path)
    evaluate.add_argument("--holdout", type=_fraction, default=0.2)
    evaluate.add_argument("--k", type=positive_int, default=10)
    evaluate.add_argument(
        "--protocol",
        choices=["temporal", "random", "both"],
        default="both",
        help="hold out each user's latest ratings, a random share of them, or both in turn",
    )
    evaluate.add_argument(
        "--save-params",
        type=Path,
        default=None,
        help="write the parameters chosen on validation (first protocol) for build-model",
    )


def _fraction(value: str) -> float:
    number = float(value)
    if not 0 < number < 1:
        raise argparse.ArgumentTypeError("must lie strictly between 0 and 1")
    return number


EXTRA_PARSERS.append(add_parsers)


SHOWN_BAD_ROWS = 20


def read_release(directory: Path) -> MovieLensData:
    """The release's good rows; the malformed ones are counted and named on stderr."""
    from app.model_fitting.movielens import MovieLensFormatError, read_movielens

    if not directory.is_dir():
        raise ConfigurationError(f"{directory}: not a directory")
    try:
        data = read_movielens(directory)
    except MovieLensFormatError as error:
        raise ConfigurationError(str(error)) from None
    except OSError as error:
        raise ConfigurationError(f"{directory}: {error.strerror or error}") from None
    if data.bad_rows:
        print(f"skipped {len(data.bad_rows)} malformed rows:", file=sys.stderr)
        for bad in data.bad_rows[:SHOWN_BAD_ROWS]:
            print(f"  {bad}", file=sys.stderr)
        if len(data.bad_rows) > SHOWN_BAD_ROWS:
            print(f"  and {len(data.bad_rows) - SHOWN_BAD_ROWS} more", file=sys.stderr)
    return data


@command("import-movielens")
def import_movielens(args: argparse.Namespace, settings: Settings) -> int:
    data = read_release(release_directory(args, settings))
    settings = prepare_database(settings, migrate=args.migrate)
    started = time.perf_counter()
    counts = asyncio.run(run_import(settings, data, args.users_password, ProgressBar()))
    print(
        f"imported {counts.movies} movies, {counts.users} users and {counts.ratings} ratings "
        f"({data.release}) in {time.perf_counter() - started:.1f}s"
    )
    if not args.no_build:
        print(asyncio.run(build_model_now(settings)))
    return 0


async def run_import(
    settings: Settings,
    data: MovieLensData,
    password: str | None,
    progress: ProgressBar,
    username_prefix: str = "movielens-",
) -> ImportCounts:
    """One transaction: either the whole release is in, or nothing of it."""
    from app.adapters.postgres.movielens_import import PostgresMovieLensImporter
    from app.bootstrap.batch import batch_database, build_password_hasher

    password_hash = None
    if password:
        # Once, shared by every imported user.
        password_hash = await build_password_hasher(settings).hash(password)
    async with batch_database(settings) as database, database.unit_of_work() as uow:
        importer = PostgresMovieLensImporter(uow.connection)
        counts = await importer.load(data, password_hash, progress, username_prefix)
        await uow.commit()
    await announce_import(settings)
    return counts


async def announce_import(settings: Settings) -> None:
    """Bumps the versions of the service's cached public answers and of every signed-in user's
    cached state (an import may change the ratings of accounts it made before): every replica
    serves the imported data at once."""
    from app.bootstrap.batch import batch_cache
    from app.domain.shared import cache_keys

    async with batch_cache(settings) as cache:
        if cache is not None:
            await cache.delete(
                cache_keys.catalogue_version(),
                cache_keys.social_version(),
                cache_keys.users_generation(),
            )


@command("evaluate")
def evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from app.model_fitting.evaluation import run_protocol

    data = read_release(args.directory)
    protocols = ["temporal", "random"] if args.protocol == "both" else [args.protocol]
    for index, protocol in enumerate(protocols):
        report = run_protocol(
            data.rating_log(),
            protocol=protocol,
            holdout=args.holdout,
            k=args.k,
            progress=lambda line: log.info(line),
        )
        if index:
            print()
        print("\n".join(report.lines()))
        if args.save_params is not None and index == 0:
            save_parameters(args.save_params, report.tuning.best)
    return 0
