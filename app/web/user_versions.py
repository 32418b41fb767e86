"""Every write a signed-in user makes bumps their version (`cache_keys.user_version`), so the
account state cached for their requests (app.adapters.redis.active_users) is read again from the
database on every replica: an email, a profile or a password changed is seen at once. A write
that moved the cached state itself (a rating: `RedisCachedActiveUsers.taste_changed`) is left
alone, unless it failed half-way."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.adapters.redis.active_users import track_invalidated_users
from app.domain.accounts.ports import TokenCodec
from app.domain.shared import cache_keys
from app.domain.shared.errors import NotAuthenticated
from app.domain.shared.ports import Cache

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UserVersionMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        runtime = getattr(scope["app"].state, "runtime", None) if "app" in scope else None
        user_id = None
        writes = scope["type"] == "http" and scope["method"] not in SAFE_METHODS
        if writes and runtime is not None and runtime.active_users is not None:
            user_id = _user_id(scope, runtime.tokens)
        if user_id is None or runtime is None:
            await self.app(scope, receive, send)
            return
        key = cache_keys.user_version(user_id)
        cache: Cache = runtime.cache
        invalidated = track_invalidated_users()

        bumped = False

        async def bumping(message: Message) -> None:
            nonlocal bumped
            if message["type"] == "http.response.start":
                bumped = True
                if user_id not in invalidated:
                    await cache.delete(key)  # before the write is acknowledged
            await send(message)

        try:
            await self.app(scope, receive, bumping)
        finally:
            if not bumped:  # a write that failed half-way may have committed
                await cache.delete(key)


def _user_id(scope: Scope, tokens: TokenCodec) -> int | None:
    header = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
    scheme, _, token = header.decode("latin-1").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        return tokens.user_id_from_access(token.strip())
    except NotAuthenticated:
        return None
