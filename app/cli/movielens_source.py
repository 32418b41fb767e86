"""Where `nexus import-movielens` reads a release from: a folder the operator names, or
`--download NAME`, fetched from GroupLens into the data dir (or `--dest`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.bootstrap.settings import Settings
from app.cli.failures import UsageError
from app.cli.movielens_download import DEFAULT_RELEASE, RELEASES, fetch_release
from app.cli.progress import ProgressBar


def add_download_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--download",
        choices=RELEASES,
        metavar="NAME",
        help=f"fetch a release from GroupLens first: {', '.join(RELEASES)}",
    )
    parser.add_argument(
        "--dest", type=Path, default=None, help="where downloads go (default: DATA_DIR/movielens)"
    )
    parser.epilog = (
        "examples: nexus import-movielens ./ml-latest-small | "
        f"nexus import-movielens --download {DEFAULT_RELEASE}"
    )


def downloads_dir(settings: Settings, dest: Path | None) -> Path:
    return dest if dest is not None else settings.nexus_data_dir / "movielens"


def release_directory(args: argparse.Namespace, settings: Settings) -> Path:
    if args.download and args.directory:
        raise UsageError("give a folder or --download NAME, not both")
    if args.download:
        return fetch_release(
            args.download,
            str(settings.movielens_base_url),
            downloads_dir(settings, args.dest),
            ProgressBar(),
        )
    if args.directory is None:
        raise UsageError(f"give the release's folder, or --download NAME ({', '.join(RELEASES)})")
    return Path(args.directory)
