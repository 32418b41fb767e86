"""Which database failures are outages (503 + `Retry-After`) rather than bugs (500).

A restart shows up in many shapes: asyncpg's `CannotConnectNowError` ("the database system is
shutting down / starting up"), `AdminShutdownError`, a closed connection, a refused socket;
SQLAlchemy wraps each as `DBAPIError`, `InterfaceError` or `OperationalError` and keeps the
original in `orig` and `__cause__`. They are recognised here by SQLSTATE class, not by wrapper.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

# 08: connection exception; 57: operator intervention (shutdown, crash, "cannot connect now",
# a cancelled statement); 53: insufficient resources (too many connections, disk full).
OUTAGE_SQLSTATE_CLASSES = ("08", "57", "53")


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, what it wraps (`orig`) and what caused it, each once."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending += [
            orig if isinstance(orig, BaseException) else None,
            current.__cause__,
            current.__context__,
        ]


def sqlstate_of(error: BaseException) -> str:
    for link in _chain(error):
        code = getattr(link, "sqlstate", None) or getattr(link, "pgcode", None)
        if isinstance(code, str) and code:
            return code
    return ""


def is_outage(error: BaseException) -> bool:
    """A failure of the connection or of the server, not of the statement: retrying later may
    succeed, so the client gets 503."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, OperationalError | InterfaceError):
        return True
    if sqlstate_of(error)[:2] in OUTAGE_SQLSTATE_CLASSES:
        return True
    return any(isinstance(link, OSError) for link in _chain(error))
