"""Outages are told from bugs by SQLSTATE class, whatever SQLAlchemy wrapped them in."""

from __future__ import annotations

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from app.web.database_faults import is_outage, sqlstate_of
from app.web.errors import install_error_handlers


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


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (wrapped(asyncpg.exceptions.CannotConnectNowError("shutting down")), 503),
        (wrapped(asyncpg.exceptions.AdminShutdownError("terminating connection")), 503),
        (asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"), 503),
        (asyncpg.exceptions.CannotConnectNowError("starting up"), 503),
        (wrapped(asyncpg.exceptions.UndefinedColumnError("no column")), 500),
        (asyncpg.exceptions.UndefinedColumnError("no column"), 500),
    ],
    ids=[
        "wrapped shutdown",
        "wrapped admin",
        "raw closed",
        "raw start-up",
        "wrapped bug",
        "raw bug",
    ],
)
async def test_outages_answer_503_with_retry_after_and_bugs_500(
    error: Exception, status: int
) -> None:
    app = FastAPI()
    install_error_handlers(app)

    async def failing() -> None:
        raise error

    app.add_api_route("/failing", failing)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/failing")
    assert response.status_code == status
    assert ("retry-after" in response.headers) == (status == 503)
