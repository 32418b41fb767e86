"""The one error body of every 4xx and 5xx, and its OpenAPI declaration:

{"error": {"code": "not_found", "message": "Movie not found.", "details": [...]}}
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

CODE_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    502: "upstream_error",
    503: "service_unavailable",
    504: "upstream_timeout",
}


class ErrorDetail(BaseModel):
    field: str | None = None
    message: str
    type: str | None = None


class ErrorInfo(BaseModel):
    """`code` is stable and machine-readable; the optional fields below appear only on the
    errors named in their descriptions."""

    code: str = Field(
        description="`validation_error`, `not_found`, `conflict`, `rate_limited`, ...; on a 401: "
        "`not_authenticated` (no credentials), `credentials_invalid` (wrong login or password), "
        "`token_expired` (refresh the access token) or `token_invalid` (sign in again)."
    )
    message: str
    details: list[ErrorDetail] = []
    existing_rating_id: int | None = Field(
        None, description="On the 409 of a second rating of one movie: the rating to change."
    )
    unknown_movie_ids: list[int] | None = Field(
        None, description="On the 404 of a playlist write: the movie ids not in the catalogue."
    )
    constraint: str | None = Field(
        None, description="On a 409 or 422 refused by the database: the constraint's name."
    )
    checks: dict[str, Any] | None = Field(
        None, description="On the 503 of `/readyz`: the state of each backing service."
    )


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorInfo


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    error: dict[str, Any] = {
        "code": code or CODE_BY_STATUS.get(status, "error"),
        "message": message,
        "details": details or [],
    }
    if extra:
        error.update(extra)
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the given statuses, all with the error body."""
    descriptions = {
        400: "Bad request",
        401: "Not authenticated",
        403: "Not allowed",
        404: "Not found",
        409: "Conflict",
        413: "Body too large",
        422: "Validation error",
        429: "Too many requests",
        502: "Upstream error",
        503: "Service unavailable",
        504: "Upstream time-out",
    }
    return {
        status: {"model": ErrorBody, "description": descriptions.get(status, "Error")}
        for status in statuses
    }
