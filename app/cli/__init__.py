"""The `nexus` command: `serve`, `migrate` and the operator's other tools.

Configuration problems end the command with one line naming the setting and exit status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import multiprocessing
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.bootstrap.settings import ConfigurationError, Settings, load_settings
from app.cli.failures import CommandError, UsageError

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


def prepare_database(
    settings: Settings, *, migrate: bool = False, check_schema: bool = True
) -> Settings:
    """Start the embedded PostgreSQL when no DATABASE_URL is set, check the database answers, and
    bring its schema to this code's: always for the embedded one, for another only when `migrate`
    (else one line saying to run `nexus migrate`)."""
    from app.bootstrap.batch import check_database
    from app.bootstrap.embedded import ensure_data_dir, use_embedded_postgres_if_unset
    from app.cli.schema import bring_schema_up_to_date, schema_state

    ensure_data_dir(settings.nexus_data_dir)
    embedded = settings.database_url is None
    if embedded:
        use_embedded_postgres_if_unset(settings.nexus_data_dir)
        settings = load_settings()
    assert settings.database_url is not None
    asyncio.run(check_database(settings.database_url))
    if check_schema:
        state = asyncio.run(schema_state(settings.database_url))
        bring_schema_up_to_date(settings.database_url, state, migrate=migrate or embedded)
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
    settings = prepare_database(settings, check_schema=False)
    assert settings.database_url is not None
    run_migrations(settings.database_url, args.revision, downgrade=args.downgrade)
    log.info("database migrated to %s", args.revision)
    return 0


def prepare_to_serve(
    command_name: str, host: str, port: int, args: argparse.Namespace, embedded: bool
) -> None:
    """In a child process of `serve`: the database answers and is migrated (--no-migrate, for
    containers that migrate in their own step, still refuses a schema behind), the token keys
    are usable (one line here rather than a failure in every worker), then the banner."""
    from app.bootstrap.log_setup import configure_logging
    from app.bootstrap.runtime import build_token_codec
    from app.cli.serving import print_banner

    settings = load_settings()
    configure_logging(settings.log_level, log_format(command_name, settings))
    settings = prepare_database(settings, migrate=embedded or not args.no_migrate)
    build_token_codec(settings)
    if not print_banner(settings, host, port, embedded):
        log.info("serving on http://%s:%d with %d worker(s)", host, port, args.workers)


@command("serve")
def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from app.bootstrap.allocator import tune_allocator
    from app.cli.serving import check_port_free

    check_port_free(args.host, args.port)
    embedded = settings.database_url is None
    if embedded:  # started by this process, which outlives the workers and stops it at exit
        from app.bootstrap.embedded import ensure_data_dir, use_embedded_postgres_if_unset

        ensure_data_dir(settings.nexus_data_dir)
        use_embedded_postgres_if_unset(settings.nexus_data_dir)
    # Checking the database and the keys, migrating and the banner load the database, migration
    # and security code: done in a child process, so this one, which only supervises the
    # workers, stays small.
    with multiprocessing.get_context("spawn").Pool(1) as child:
        child.apply(prepare_to_serve, (args.command, args.host, args.port, args, embedded))
    # uvicorn shuts down gracefully, then re-raises the signal it caught. Handled here, it ends
    # the process normally, so exit handlers run (they stop the embedded PostgreSQL).
    signal.signal(signal.SIGTERM, _exit_cleanly)
    tune_allocator()  # this process, which serves when alone, and the workers it starts
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        # httptools with bounds on the request head (app/web/header_limits.py).
        http="app.web.header_limits:BoundedHttpToolsProtocol",
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips or settings.forwarded_allow_ips,
        timeout_graceful_shutdown=args.graceful_timeout,
        server_header=False,
    )
    return 0


def _exit_cleanly(signum: int, frame: object) -> None:
    sys.exit(0)


def build_parser() -> argparse.ArgumentParser:
    from app.cli.usage import EXAMPLES, FIRST_STEPS, CommandLineParser, add_migrate_option

    parser = CommandLineParser(
        prog="nexus",
        description=__doc__.splitlines()[0],
        epilog=FIRST_STEPS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
        help="trust X-Forwarded-For and -Proto from --forwarded-allow-ips",
    )
    serve_parser.add_argument(
        "--forwarded-allow-ips",
        default=None,
        help="the proxies' addresses or networks (default: the FORWARDED_ALLOW_IPS setting)",
    )
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
    for name in DATABASE_COMMANDS:
        add_migrate_option(sub.choices[name])
    for name, example in EXAMPLES.items():
        if name in sub.choices and not sub.choices[name].epilog:
            sub.choices[name].epilog = f"example: {example}"
    return parser


# Further commands live in their own modules: each registers its handler with `@command(name)`
# and its sub-parser by appending to EXTRA_PARSERS. List the module here.
COMMAND_MODULES: list[str] = [
    "app.cli.tmdb",
    "app.cli.movielens",
    "app.cli.model",
    "app.cli.users",
    "app.cli.doctor",
    "app.cli.demo",
]
EXTRA_PARSERS: list[Callable[[argparse._SubParsersAction], None]] = []
# Commands that use the database other than serve and migrate: they take `--migrate`.
DATABASE_COMMANDS = (
    "sync-tmdb",
    "import-movielens",
    "build-model",
    "seed-synthetic",
    "users",
    "demo",
)


def log_format(command_name: str, settings: Settings) -> str:
    """JSON only when asked, or for a server whose output goes to a collector, not a person."""
    if settings.log_format is not None:
        return settings.log_format
    if command_name in {"serve", "demo"}:
        return "text" if sys.stderr.isatty() else "json"
    return "plain"


def main(argv: Sequence[str] | None = None) -> int:
    from app.bootstrap.log_setup import configure_logging

    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.log_level, log_format(args.command, settings))
        return COMMANDS[args.command](args, settings)
    except ConfigurationError as error:
        print(f"nexus: configuration error: {error}", file=sys.stderr)
        return 2
    except CommandError as error:
        print(f"nexus: {error}", file=sys.stderr)
        return 1
    except UsageError as error:
        print(f"nexus: {error} (see `nexus {args.command} --help`)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Exit handlers still run: the embedded PostgreSQL this process started is stopped.
        print("nexus: interrupted", file=sys.stderr)
        return 130
