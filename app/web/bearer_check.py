"""A bearer token that was sent is checked on every `/api/` request, public routes included: an
expired or forged token is a 401 everywhere, so a client learns to refresh on its first request
instead of reading anonymous answers on some routes and 401s on others.

Only the token itself is checked here (signature, expiry, type), without a database round trip;
the routes that need the user still look the account up.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from app.domain.shared.errors import TokenInvalid
from app.web.errors import domain_error_response, error_responses

# The schemes `app.routers.deps` declares; `{}` first: anonymous is fine too.
OPTIONAL_BEARER: list[dict[str, list[str]]] = [{}, {"HTTPBearer": []}, {"OAuth2PasswordBearer": []}]


def _authorization(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"authorization":
            return bytes(value).decode("latin-1")
    return None


class BearerTokenCheckMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        api = scope["type"] == "http" and scope["path"].startswith("/api/")
        header = _authorization(scope) if api else None
        scheme, _, token = (header or "").partition(" ")
        # Other schemes are not ours to judge; routes that need a bearer token answer 401.
        if header is None or scheme.lower() != "bearer" or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        tokens = getattr(scope["app"].state, "tokens", None)
        try:
            if not token.strip():
                raise TokenInvalid("Malformed Authorization header.")
            if tokens is not None:
                tokens.user_id_from_access(token.strip())
        except TokenInvalid as error:
            await domain_error_response(error)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def document_bearer_check(app: FastAPI) -> None:
    """Every `/api/` operation reads a token that was sent: each declares the bearer schemes
    (optional where it needs none) and its 401."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        response: dict[str, Any] = {
            "description": error_responses(401)[401]["description"],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
        }
        for path, operations in schema.get("paths", {}).items():
            if not path.startswith("/api/"):
                continue
            for operation in operations.values():
                operation.setdefault("security", OPTIONAL_BEARER)
                operation.setdefault("responses", {}).setdefault("401", response)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
