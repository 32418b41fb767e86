"""The exception handlers that give every 4xx and 5xx the one error body (`error_body`).

Domain errors map to statuses in one table; validation, HTTP and database failures are turned into
the same shape, so a client parses every error the same way.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.domain.shared import errors as domain
from app.web.database_faults import is_outage
from app.web.error_body import error_response, error_responses

# Routers and middleware import the body's helpers from here, beside the handlers.
__all__ = ["STATUS_BY_ERROR", "error_response", "error_responses", "install_error_handlers"]

log = logging.getLogger(__name__)

STATUS_BY_ERROR: dict[type[domain.DomainError], int] = {
    domain.InvalidInput: 422,
    domain.NotAuthenticated: 401,
    domain.PermissionDenied: 403,
    domain.NotFound: 404,
    domain.Conflict: 409,
    domain.LimitExceeded: 409,
    domain.UpstreamError: 502,
    domain.ServiceUnavailable: 503,
    domain.UpstreamTimeout: 504,
}


def status_for(error: domain.DomainError) -> int:
    for error_class in type(error).__mro__:
        if error_class in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[error_class]
    return 400


# Pydantic names the member of a union (`int | str`) that failed in the location; a form knows
# the field only.
_UNION_MEMBER = re.compile(r"^(constrained-)?(int|str|float|bool)$|^function-|^lax-or-strict\[")


def _field_of(location: tuple[Any, ...] | list[Any]) -> str | None:
    parts = [
        str(part)
        for part in location
        if part not in ("body", "query", "path", "header") and not _UNION_MEMBER.match(str(part))
    ]
    return ".".join(parts) or (str(location[-1]) if location else None)


def www_authenticate(exc: domain.DomainError) -> str:
    """RFC 6750's challenge: `invalid_token` names a token that was sent but refused; without
    credentials (or with a wrong password) the challenge carries no error."""
    if not isinstance(exc, domain.TokenInvalid):
        return "Bearer"
    description = exc.message.replace("\\", "").replace('"', "'")
    return f'Bearer error="invalid_token", error_description="{description}"'


def domain_error_response(exc: domain.DomainError) -> JSONResponse:
    status = status_for(exc)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = www_authenticate(exc)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return error_response(
        status, exc.message, code=exc.code, details=exc.details, headers=headers, extra=exc.extra
    )


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, domain.DomainError)
    return domain_error_response(exc)


# Pydantic's own words in front of a validator's message; a form shows the message alone.
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def validation_message(message: str) -> str:
    for prefix in _PYDANTIC_PREFIXES:
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def validation_details(errors: Any) -> list[dict[str, Any]]:
    """Pydantic's errors as error details: the field by name, the message without prefixes."""
    return [
        _unparsable_json(item)
        if item.get("type") == "json_invalid"
        else {
            "field": _field_of(item.get("loc", ())),
            "message": validation_message(item.get("msg", "Invalid value.")),
            "type": item.get("type"),
        }
        for item in errors
    ]


def _unparsable_json(item: dict[str, Any]) -> dict[str, Any]:
    # FastAPI puts the character where decoding stopped where a field goes: ("body", 21).
    where = [part for part in item.get("loc", ()) if isinstance(part, int)]
    reason = (item.get("ctx") or {}).get("error") or item.get("msg") or "JSON decode error"
    at = f" at character {where[0]}" if where else ""
    return {"field": "body", "message": f"Not valid JSON{at}: {reason}.", "type": "json_invalid"}


def validation_error_response(details: list[dict[str, Any]]) -> JSONResponse:
    fields = ", ".join(sorted({d["field"] for d in details if d["field"]}))
    message = f"Invalid request: {fields}." if fields else "Invalid request."
    return error_response(422, message, details=details)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return validation_error_response(validation_details(exc.errors()))


# FastAPI's words when a body cannot be decoded at all (not UTF-8, say): a 422 like any other
# invalid body, which every operation with a body documents, rather than an undocumented 400.
_UNPARSABLE_BODY = "There was an error parsing the body"


def _allowed_methods(request: Request) -> str:
    """Every method served on the path template that routing picked: Starlette names only the
    first route's methods, though GET and PATCH on one path are often two routes."""
    # Included routers are lazy: their routes are reached through the route contexts.
    routes = [context.route for context in iter_route_contexts(request.app.routes)]
    template: str | None = None
    methods: set[str] = set()
    for route in routes:
        route_methods = getattr(route, "methods", None)
        if not route_methods:
            continue
        path_format = getattr(route, "path_format", None)
        if template is None:
            probe = {**request.scope, "method": next(iter(route_methods))}
            if route.matches(probe)[0] == Match.FULL:
                template = path_format
        if template is not None and path_format == template:
            methods |= set(route_methods)
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "Request failed."
    headers = dict(exc.headers or {})
    if exc.status_code == 400 and message == _UNPARSABLE_BODY:
        return error_response(
            422,
            "Invalid request: the body is not valid JSON text.",
            details=[{"field": "body", "message": message, "type": "json_invalid"}],
        )
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request) or headers.get("Allow", "")
    return error_response(exc.status_code, message, headers=headers)


def _is_out_of_range(exc: DBAPIError) -> bool:
    """A value PostgreSQL cannot hold (an id past 64 bits, say): the client's input, not an
    outage. SQLSTATE class 22 is "data exception"; asyncpg refuses some values before sending."""
    original = getattr(exc.orig, "__cause__", None) or exc.orig
    sqlstate = str(getattr(original, "sqlstate", "") or getattr(exc.orig, "sqlstate", "") or "")
    return sqlstate.startswith("22") or "out of int64 range" in str(exc.orig)


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, DBAPIError) and _is_out_of_range(exc):
        return error_response(422, "Invalid request: a value is out of range.")
    if not isinstance(exc, PoolTimeoutError) and not is_outage(exc):
        return await _unexpected_error(request, exc)
    log.warning("database unavailable: %s", type(exc).__name__)
    return error_response(
        503, "The database is unavailable; try again shortly.", headers={"Retry-After": "5"}
    )


async def _connection_error(request: Request, exc: Exception) -> JSONResponse:
    log.warning("a backing service is unreachable: %s", type(exc).__name__)
    return error_response(
        503, "A backing service is unavailable; try again shortly.", headers={"Retry-After": "5"}
    )


async def _recursion_error(request: Request, exc: Exception) -> JSONResponse:
    """The JSON decoder gives up on bodies nested thousands deep: the client's doing."""
    if "JSON" not in str(exc):
        return await _unexpected_error(request, exc)
    return error_response(
        422,
        "Invalid request: the body is nested too deeply.",
        details=[{"field": "body", "message": "nested too deeply", "type": "json_invalid"}],
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "Internal server error.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(domain.DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_unavailable)
    app.add_exception_handler(PoolTimeoutError, _database_unavailable)
    # The driver's own errors, from the COPY paths that use the raw asyncpg connection.
    app.add_exception_handler(asyncpg.PostgresError, _database_unavailable)
    app.add_exception_handler(asyncpg.InterfaceError, _database_unavailable)
    app.add_exception_handler(OSError, _connection_error)
    app.add_exception_handler(RecursionError, _recursion_error)
    app.add_exception_handler(Exception, _unexpected_error)
