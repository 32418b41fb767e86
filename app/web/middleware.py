"""Pure ASGI middleware (no BaseHTTPMiddleware: it costs a task per request and breaks streaming).

- request ids: echo a client's `X-Request-ID` when it is sane, else make one; logs carry it;
- body limit: refuse bodies over the configured size with 413 before reading them whole;
- security headers on every response (HSTS when served over HTTPS), and `no-store` on
  tokens and account data.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.errors import error_response
from app.web.request_ids import request_id_var
from app.web.sending import WatchedSend

access_log = logging.getLogger("nexus.access")

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    # Our docs pages load only our own scripts; Swagger UI and ReDoc set inline styles and
    # ReDoc starts a worker from a blob.
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data: https://image.tmdb.org; worker-src 'self' blob:; "
        b"connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; "
        b"frame-ancestors 'none'; form-action 'self'",
    ),
]


# Tokens and account data must not be kept by a browser or a proxy (RFC 6749 section 5.1).
NO_STORE_PATHS = ("/api/auth/", "/api/profiles/me/")
NO_STORE_HEADERS = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
# Sent only when a setting says clients reach the service over HTTPS: over plain HTTP a browser
# ignores it, and on a development machine it would pin localhost to HTTPS for a year.
HSTS_HEADER = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return None


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.security_headers = [*SECURITY_HEADERS, HSTS_HEADER] if hsts else SECURITY_HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = (_header(scope, b"x-request-id") or b"").decode("latin-1")
        request_id = given if _SANE_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        no_store = scope["path"].startswith(NO_STORE_PATHS)

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.extend(self.security_headers)
                if no_store:
                    headers = [h for h in headers if h[0].lower() != b"cache-control"]
                    headers.extend(NO_STORE_HEADERS)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "%s %s %d",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)


class _BodyTooLarge(StarletteHTTPException):
    """Raised while the app reads the body; FastAPI passes HTTP exceptions through untouched."""


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self._message = f"The request body is larger than {max_body_bytes} bytes."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.max_body_bytes
            except ValueError:
                too_large = False
            if too_large:
                await self._reject(scope, receive, send)
                return

        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge(413, self._message)
            return message

        watched = WatchedSend(send)
        try:
            await self.app(scope, counting_receive, watched)
        except _BodyTooLarge:
            if watched.started:
                raise
            await self._reject(scope, receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, self._message, headers={"Connection": "close"})
        await response(scope, receive, send)
