"""Business errors. Each carries a stable machine-readable `code`; the web layer maps classes to
HTTP statuses in one table (`app/web/errors.py`), so the rules never speak HTTP."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "error"
    default_message = "The request could not be completed."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: list[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.details = details or []
        self.extra = extra or {}
        super().__init__(self.message)


class NotFound(DomainError):
    code = "not_found"
    default_message = "Not found."


class Conflict(DomainError):
    code = "conflict"
    default_message = "The resource already exists."


class InvalidInput(DomainError):
    code = "validation_error"
    default_message = "The request is not valid."


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    default_message = "Authentication credentials were not provided or are not valid."


class CredentialsInvalid(NotAuthenticated):
    """A wrong login or password: the form should say so, not offer a token refresh."""

    code = "credentials_invalid"
    default_message = "No active account found with the given credentials."


class TokenInvalid(NotAuthenticated):
    """A token that is malformed, forged, revoked or of the wrong type: sign in again."""

    code = "token_invalid"
    default_message = "Token is invalid."


class TokenExpired(TokenInvalid):
    """An expired token: refresh it (an access token) or sign in again (a refresh token)."""

    code = "token_expired"
    default_message = "Token has expired."


class PermissionDenied(DomainError):
    code = "permission_denied"
    default_message = "You do not have permission to perform this action."


class LimitExceeded(DomainError):
    """A quota of the product (playlist size, playlists per user), not a rate limit."""

    code = "limit_exceeded"
    default_message = "A limit was reached."


class ServiceUnavailable(DomainError):
    code = "service_unavailable"
    default_message = "A service this request needs is unavailable."

    def __init__(
        self, message: str | None = None, *, retry_after: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class UpstreamError(DomainError):
    """An upstream service (TMDb) answered with an error we cannot hide."""

    code = "upstream_error"
    default_message = "An upstream service failed."


class UpstreamTimeout(DomainError):
    code = "upstream_timeout"
    default_message = "An upstream service did not answer in time."
