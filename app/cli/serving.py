"""Before `nexus serve` hands over to uvicorn: refuse a port already taken (in one line, before the
embedded PostgreSQL starts), and greet a person at a terminal with five lines of what is running."""

from __future__ import annotations

import asyncio
import socket
import sys
from typing import TextIO

from app.bootstrap.settings import Settings
from app.cli.failures import CommandError
from app.cli.status import describe_database, describe_model, describe_redis, latest_model


def check_port_free(host: str, port: int) -> None:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as error:
        raise CommandError(
            f"--host {host}: not an address to listen on ({error.strerror})"
        ) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise CommandError(
                f"cannot listen on {host}:{port} ({error.strerror}): stop what uses it, "
                "or choose another port with --port"
            ) from None


def banner_lines(settings: Settings, host: str, port: int, embedded: bool) -> list[str]:
    assert settings.database_url is not None
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else shown}:{port}"
    model = asyncio.run(latest_model(settings.database_url))
    database = describe_database(settings.database_url, embedded, settings.nexus_data_dir)
    return [
        f"Nexus API   {base}/api/",
        f"Swagger UI  {base}/swagger/    ReDoc  {base}/redoc/",
        f"Database    {database}",
        f"Redis       {describe_redis(settings)}",
        f"Model       {describe_model(model)}",
    ]


def print_banner(
    settings: Settings, host: str, port: int, embedded: bool, stream: TextIO = sys.stdout
) -> bool:
    """Only for a person (True when printed); a log collector gets one log record instead."""
    if not stream.isatty():
        return False
    stream.write("\n".join(banner_lines(settings, host, port, embedded)) + "\n")
    stream.flush()
    return True
