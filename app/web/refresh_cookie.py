"""The optional refresh-token cookie (`REFRESH_COOKIE_ENABLED`) and its CSRF check.

The refresh token travels in an HttpOnly, `SameSite=Strict` cookie scoped to `/api/auth/`, so
page scripts never read it. A request that relies on the cookie (a refresh or sign-out without a
token in the body) must also send `X-CSRF-Token` equal to a second cookie's value: the token is
handed to the app in the response body when the cookie is set (double submit); a page on another
site can neither read it nor make the browser send the cookies.
"""

from __future__ import annotations

import secrets

from fastapi import Request, Response

from app.domain.shared.errors import NotAuthenticated, PermissionDenied

REFRESH_COOKIE = "nexus_refresh"
CSRF_COOKIE = "nexus_csrf"
CSRF_HEADER = "X-CSRF-Token"
COOKIE_PATH = "/api/auth/"


class CsrfFailed(PermissionDenied):
    code = "csrf_failed"
    default_message = f"Send the {CSRF_HEADER} header given with the refresh cookie."


def cookies_enabled(request: Request) -> bool:
    return bool(request.app.state.settings.refresh_cookie_enabled)


def set_refresh_cookie(request: Request, response: Response, refresh_token: str) -> str | None:
    """Set the cookies when enabled; the CSRF token the app must send back, or None."""
    if not cookies_enabled(request):
        return None
    settings = request.app.state.settings
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    for name, value in ((REFRESH_COOKIE, refresh_token), (CSRF_COOKIE, csrf)):
        response.set_cookie(
            name,
            value,
            max_age=int(settings.refresh_token_days * 86400),
            path=COOKIE_PATH,
            secure=settings.refresh_cookie_secure,
            httponly=True,
            samesite="strict",
        )
    return csrf


def clear_refresh_cookie(request: Request, response: Response) -> None:
    if cookies_enabled(request):
        for name in (REFRESH_COOKIE, CSRF_COOKIE):
            response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="strict")


def refresh_token_of(request: Request, from_body: str | None) -> str:
    """The body's token; else, when enabled, the cookie's, once the CSRF header matches."""
    if from_body:
        return from_body
    cookie = request.cookies.get(REFRESH_COOKIE) if cookies_enabled(request) else None
    if not cookie:
        # No credentials at all: a 401 like any request without them.
        raise NotAuthenticated("No refresh token: send it as `refresh` (or the refresh cookie).")
    expected = request.cookies.get(CSRF_COOKIE, "")
    given = request.headers.get(CSRF_HEADER, "")
    if not expected or not secrets.compare_digest(expected, given):
        raise CsrfFailed()
    return cookie
