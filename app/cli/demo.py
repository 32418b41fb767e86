"""`nexus demo` (what `make demo` runs): Nexus with real data and no TMDb key. Downloads a
MovieLens release, imports it, builds the model, creates a demo account with a clear taste, prints
where to sign in, and serves. A second run reuses what the first left: no second download, no
second import, the same account."""

from __future__ import annotations

import argparse
import asyncio

from app.bootstrap.settings import Settings
from app.cli import EXTRA_PARSERS, command, prepare_database
from app.cli.movielens_download import DEFAULT_RELEASE, RELEASES, fetch_release
from app.cli.movielens_source import downloads_dir
from app.cli.progress import ProgressBar


def add_parser(sub: argparse._SubParsersAction) -> None:
    demo_parser = sub.add_parser(
        "demo",
        help="download MovieLens, import it, build the model, create a demo account, serve",
        description=__doc__,
        epilog="example: nexus demo --dataset ml-100k --port 8080",
    )
    demo_parser.add_argument("--dataset", choices=RELEASES, default=DEFAULT_RELEASE)
    demo_parser.add_argument("--host", default="127.0.0.1")
    demo_parser.add_argument("--port", type=int, default=8000)
    demo_parser.add_argument(
        "--no-serve", action="store_true", help="prepare everything, print how to sign in, stop"
    )


EXTRA_PARSERS.append(add_parser)


async def imported_movies(url: str) -> int:
    from sqlalchemy import text

    from app.bootstrap.batch import probe_connection

    async with probe_connection(url) as connection:
        count = await connection.scalar(
            text("SELECT count(*) FROM movies WHERE movielens_id IS NOT NULL")
        )
    return int(count or 0)


def prepare(args: argparse.Namespace, settings: Settings) -> list[str]:
    """Everything but serving; the lines to show the person at the end."""
    from app.cli.model import build_model_now
    from app.cli.movielens import read_release, run_import
    from app.cli.status import latest_model

    folder = fetch_release(
        args.dataset, str(settings.movielens_base_url), downloads_dir(settings, None), ProgressBar()
    )
    ready = prepare_database(settings, migrate=args.migrate)
    assert ready.database_url is not None
    url = ready.database_url
    changed = False
    movies = asyncio.run(imported_movies(url))
    if movies:
        print(f"catalogue: {movies} MovieLens movies, imported before")
    else:
        counts = asyncio.run(run_import(ready, read_release(folder), None, ProgressBar()))
        print(f"imported {counts.movies} movies, {counts.users} users, {counts.ratings} ratings")
        changed = True
    from app.cli.demo_account import demo_password, ensure_demo_account

    account = asyncio.run(ensure_demo_account(ready, demo_password(settings.nexus_data_dir)))
    if changed or asyncio.run(latest_model(url)) is None:
        print(asyncio.run(build_model_now(ready)))
    base = f"http://{args.host}:{args.port}"
    return [
        f"Swagger UI: {base}/swagger/  (Authorize, then try GET /api/movies/recommendations/)",
        f"demo account: {account.username} / {account.password}  "
        f"(loves {account.taste}: {account.loved} movies at 5 stars, "
        f"{account.disliked} popular others at 1)",
    ]


@command("demo")
def demo(args: argparse.Namespace, settings: Settings) -> int:
    from app.cli import build_parser, serve
    from app.cli.serving import check_port_free

    if not args.no_serve:
        check_port_free(args.host, args.port)  # before the long part, not after it
    lines = prepare(args, settings)
    print("\n".join(lines))
    if args.no_serve:
        return 0
    serve_args = build_parser().parse_args(["serve", "--host", args.host, "--port", str(args.port)])
    return serve(serve_args, settings)
