"""The `nexus` command: `serve`, `migrate` and the operator's other tools.

Configuration problems end the command with one line naming the setting and exit status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.bootstrap.settings import ConfigurationError, Settings, load_settings

log = logging.getLogger("nexus.cli")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {}


def command(
    name: str,
) -> Callable[
    [Callable[[argparse.Namespace, Settings], int]], Callable[[argparse.Namespace, Settings], int]
]:
    def register(
        function: Callable[[argparse.Namespace, Settings], int],
    ) -> Callable[[argparse.Namespace, Settings], int]:
        COMMANDS[name] = function
        return function

    return register


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def prepare_database(settings: Settings) -> Settings:
    """Start the embedded PostgreSQL when no DATABASE_URL is set, and check the database answers."""
    from app.bootstrap.embedded import ensure_data_dir, use_embedded_postgres_if_unset

    ensure_data_dir(settings.nexus_data_dir)
    use_embedded_postgres_if_unset(settings.nexus_data_dir)
    settings = load_settings()
    assert settings.database_url is not None
    from app.bootstrap.batch import check_database

    asyncio.run(check_database(settings.database_url))
    return settings


def run_migrations(database_url: str, revision: str = "head", downgrade: bool = False) -> None:
    from alembic import command as alembic_command
    from alembic.config import Config

    ini = PROJECT_ROOT / "alembic.ini"
    if not ini.exists():
        raise ConfigurationError(
            f"migrations: {ini} not found; run from a checkout, or with the package importable "
            "from the directory that holds alembic.ini and migrations/ (PYTHONPATH)"
        )
    config = Config(str(ini))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    if downgrade:
        alembic_command.downgrade(config, revision)
    else:
        alembic_command.upgrade(config, revision)


@command("migrate")
def migrate(args: argparse.Namespace, settings: Settings) -> int:
    settings = prepare_database(settings)
    assert settings.database_url is not None
    run_migrations(settings.database_url, args.revision, downgrade=args.downgrade)
    log.info("database migrated to %s", args.revision)
    return 0


@command("serve")
def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    settings = prepare_database(settings)
    assert settings.database_url is not None
    if not args.no_migrate:
        run_migrations(settings.database_url)
    # Fail here, in one line, rather than in every worker's lifespan.
    from app.bootstrap.runtime import build_token_codec

    build_token_codec(settings)
    log.info("serving on http://%s:%d with %d worker(s)", args.host, args.port, args.workers)
    # uvicorn shuts down gracefully, then re-raises the signal it caught. Handled here, it ends
    # the process normally, so exit handlers run (they stop the embedded PostgreSQL).
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
        timeout_graceful_shutdown=args.graceful_timeout,
        server_header=False,
    )
    return 0


def _exit_cleanly(signum: int, frame: object) -> None:
    sys.exit(0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nexus", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    serve_parser = sub.add_parser("serve", help="run the API server")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--workers", type=int, default=1)
    serve_parser.add_argument(
        "--no-migrate", action="store_true", help="do not migrate the database before serving"
    )
    serve_parser.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-For from --forwarded-allow-ips",
    )
    serve_parser.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    serve_parser.add_argument(
        "--graceful-timeout",
        type=int,
        default=20,
        help="seconds in-flight requests get to finish on SIGTERM",
    )

    migrate_parser = sub.add_parser("migrate", help="migrate the database (to head by default)")
    migrate_parser.add_argument("revision", nargs="?", default="head")
    migrate_parser.add_argument("--downgrade", action="store_true")

    for module in COMMAND_MODULES:
        importlib.import_module(module)
    for register in EXTRA_PARSERS:
        register(sub)
    return parser


# Further commands live in their own modules: each registers its handler with `@command(name)`
# and its sub-parser by appending to EXTRA_PARSERS. List the module here.
COMMAND_MODULES: list[str] = [
    "app.cli.tmdb",
    "app.cli.movielens",
    "app.cli.model",
    "app.cli.users",
]
EXTRA_PARSERS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    from app.bootstrap.log_setup import configure_logging

    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(
            settings.log_level, "text" if sys.stderr.isatty() else settings.log_format
        )
        return COMMANDS[args.command](args, settings)
    except ConfigurationError as error:
        print(f"nexus: configuration error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
