"""The embedded default: a real PostgreSQL 16 from the `pgserver` wheel, kept under the data dir.

Used when no DATABASE_URL is configured, so that `make run` works on a fresh machine. The server
is stopped when the process that started it exits; its data stays for the next start.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from urllib.parse import quote

from app.bootstrap.settings import ConfigurationError

log = logging.getLogger(__name__)

DATABASE_NAME = "nexus"


def ensure_data_dir(path: Path) -> Path:
    """Create the data dir, or stop with one line naming NEXUS_DATA_DIR."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ConfigurationError(
            f"NEXUS_DATA_DIR: {path} is not a writable directory ({exc.strerror})"
        ) from None
    return path.resolve()


class FailedCommands(logging.Filter):
    """Keeps the last stderr line of a failed PostgreSQL tool for our one-line error, instead of
    pgserver's twenty-line record of it (still shown with LOG_LEVEL=DEBUG)."""

    reason: str | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR or not isinstance(record.args, tuple):
            return True
        lines = [line for line in str(record.args[-1]).splitlines() if line.strip()]
        if lines:
            self.reason = lines[-1].strip()
        return logging.getLogger().isEnabledFor(logging.DEBUG)


def start_embedded_postgres(data_dir: Path) -> str:
    """Start (or join) the embedded server and return an asyncpg URL for the `nexus` database."""
    pgdata = ensure_data_dir(data_dir) / "postgres"
    log.info("starting embedded PostgreSQL in %s", pgdata)
    failures = FailedCommands()
    pgserver_log = logging.getLogger("pgserver")
    pgserver_log.addFilter(failures)
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, ssh); pgserver copes.
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
            import pgserver

            server = pgserver.get_server(pgdata, cleanup_mode="stop")
    except Exception as exc:  # pgserver raises plain exceptions; the reason went to its log
        raise ConfigurationError(
            f"NEXUS_DATA_DIR: the embedded PostgreSQL could not start in {pgdata}: "
            f"{failures.reason or exc}"
        ) from None
    finally:
        pgserver_log.removeFilter(failures)
    # DATABASE_NAME is a constant of ours, not input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    info = server.get_postmaster_info()
    if info.socket_dir is not None:
        return f"postgresql+asyncpg://postgres@/{DATABASE_NAME}?host={quote(str(info.socket_dir))}"
    return f"postgresql+asyncpg://postgres@{info.hostname}:{info.port}/{DATABASE_NAME}"


def use_embedded_postgres_if_unset(data_dir: Path) -> None:
    """Point DATABASE_URL at the embedded server when the operator gave none. Child processes
    (uvicorn workers, Alembic) inherit it through the environment."""
    if os.environ.get("DATABASE_URL"):
        return
    os.environ["DATABASE_URL"] = start_embedded_postgres(data_dir)
