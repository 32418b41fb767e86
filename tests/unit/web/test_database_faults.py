"""Outages are told from bugs by SQLSTATE class, whatever SQLAlchemy wrapped them in."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from app.web.database_faults import is_outage, sqlstate_of


def wrapped(original: BaseException, wrapper: type[DBAPIError] = DBAPIError) -> DBAPIError:
    """What SQLAlchemy's asyncpg dialect raises: a DB-API error caused by asyncpg's, wrapped."""
    try:
        try:
            raise original
        except BaseException as cause:
            raise RuntimeError(str(cause)) from cause
    except RuntimeError as adapted:
        return wrapper("SELECT 1", {}, adapted)


@pytest.mark.parametrize(
    "original",
    [
        asyncpg.exceptions.CannotConnectNowError("the database system is shutting down"),
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator"),
        asyncpg.exceptions.CrashShutdownError("terminating connection due to crash"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"),
        asyncpg.exceptions.ConnectionFailureError("connection failure"),
        asyncpg.exceptions.TooManyConnectionsError("too many clients"),
        ConnectionResetError("reset by peer"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_connection_and_server_failures_are_outages(original: BaseException) -> None:
    # The plain DBAPIError is the shape the restart produced: not Operational, not Interface.
    assert is_outage(wrapped(original))


def test_statement_errors_are_not_outages() -> None:
    unique = asyncpg.exceptions.UniqueViolationError("duplicate key")
    assert sqlstate_of(wrapped(unique, IntegrityError)) == "23505"
    assert not is_outage(wrapped(unique, IntegrityError))
    assert not is_outage(wrapped(asyncpg.exceptions.UndefinedColumnError("no column")))
    assert not is_outage(wrapped(ValueError("a bug")))
    assert is_outage(wrapped(ValueError("whatever it says"), OperationalError))
