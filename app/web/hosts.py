"""The Host header: refused outside the allowed hosts, and replaced by the public base URL.

Absolute links (pagination's `next`/`previous`, trailing-slash redirects) are built from the
request's URL, that is from its Host header, which any client writes. So: a host outside the
allowed list is a 400 (Starlette's `TrustedHostMiddleware` rule, with our JSON error body); and
when `PUBLIC_BASE_URL` is set, the scheme and host of every request are replaced by it before
routing, so every link the app builds points at the public address whatever the client sent.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from app.web.errors import error_response


def host_name(host_header: str) -> str:
    """The name in a Host header, without its port: `[::1]:8000` is `::1`."""
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0].lower()
    return host_header.rpartition(":")[0].lower() if ":" in host_header else host_header.lower()


def host_allowed(name: str, allowed: list[str]) -> bool:
    """Starlette's patterns: an exact name, `*.example.com` for its subdomains, or `*`."""
    for pattern in allowed:
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


class HostMiddleware:
    def __init__(self, app: ASGIApp, allowed_hosts: list[str], public_base_url: str | None) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.public: tuple[str, bytes] | None = None
        if public_base_url:
            parts = urlsplit(public_base_url)
            self.public = (parts.scheme, parts.netloc.encode("latin-1"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = list(scope.get("headers", []))
        given = next((value for key, value in headers if key == b"host"), b"")
        if not host_allowed(host_name(given.decode("latin-1")), self.allowed_hosts):
            response = error_response(400, "The Host header names a host this API does not serve.")
            await response(scope, receive, send)
            return
        if self.public is not None:
            scheme, netloc = self.public
            headers = [(key, value) for key, value in headers if key != b"host"]
            headers.append((b"host", netloc))
            scope = {**scope, "scheme": scheme, "headers": headers}
        await self.app(scope, receive, send)
