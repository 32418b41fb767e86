"""The rate-limit key of a token refresh or a sign-out: the session (the refresh token's family)
rather than the caller's IP, so that an office behind one NAT address does not share one
anonymous budget and log everyone out. An unreadable token counts against the IP."""

from __future__ import annotations

import json

from fastapi import Request

from app.domain.shared.errors import NotAuthenticated
from app.web.refresh_cookie import REFRESH_COOKIE

# Counted per session by their route, not per IP by the default tier.
SESSION_PATHS = frozenset({"/api/auth/token/refresh/", "/api/auth/logout/"})


async def session_key(request: Request, ip: str) -> str:
    token = await _refresh_token(request)
    if token:
        try:
            claims = request.app.state.tokens.read_refresh(token)
        except NotAuthenticated:
            return f"ip:{ip}"
        return f"session:{claims.family_id}"
    return f"ip:{ip}"


async def _refresh_token(request: Request) -> str | None:
    try:
        body = json.loads(await request.body() or b"null")
    except ValueError:
        return request.cookies.get(REFRESH_COOKIE)
    token = body.get("refresh") if isinstance(body, dict) else None
    return token if isinstance(token, str) else request.cookies.get(REFRESH_COOKIE)
