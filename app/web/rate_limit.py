"""Tiered rate limits for the HTTP API, in slowapi's vocabulary ("100/hour", key functions).

Every `/api/` request counts against a default tier: `authenticated` per user when it carries a
valid access token, `anonymous` per client IP otherwise. A route adds a tier of its own with
`dependencies=[Depends(RateLimit("auth"))]`. Every limited response carries `X-RateLimit-Limit`,
`-Remaining` and `-Reset` (of the tightest tier that applied); a refused request gets 429 with
`Retry-After` and the usual error body. The counters live in `app.adapters.rate_limiter`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from redis.asyncio import Redis
from slowapi.util import get_remote_address
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.adapters.rate_limiter import (
    FailoverRateLimiter,
    RateLimitDecision,
    RedisRateLimitStorage,
)
from app.adapters.redis.rate_allowance import RedisAllowanceCounter
from app.domain.shared.errors import NotAuthenticated
from app.web.errors import error_response
from app.web.rate_limit_docs import document_429
from app.web.session_key import SESSION_PATHS, session_key

DECISIONS = "rate_limit_decisions"  # request.state attribute: the decisions of this request

# tier -> how its key is chosen: per client IP, per user (the IP for anonymous callers), or per
# session (the refresh token's family; see `app.web.session_key`)
ROUTE_TIERS = {"auth": "ip", "tmdb_search": "user", "session": "session"}

Closer = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RateLimitConfig:
    """What the rate limits need to know, as plain values: the composition root fills it from
    the settings, so that this layer never reads them."""

    enabled: bool
    tiers: dict[str, str]  # tier -> slowapi's notation, "100/hour"; every tier of TIERS
    redis_url: str | None
    redis_key_prefix: str
    strategy: str
    redis_timeout: float
    redis_retry_seconds: float


# The default tiers every /api/ request counts against, then the routes' own.
TIERS = ("anonymous", "authenticated", *ROUTE_TIERS)


@dataclass(slots=True)
class RateLimitPolicy:
    """The parsed tiers and the limiter counting them; kept on `app.state.rate_limits`."""

    limiter: FailoverRateLimiter
    tiers: dict[str, RateLimitItem]

    @classmethod
    def from_config(cls, config: RateLimitConfig, limiter: FailoverRateLimiter) -> RateLimitPolicy:
        return cls(limiter=limiter, tiers={tier: parse(config.tiers[tier]) for tier in TIERS})

    async def hit(self, tier: str, key: str) -> RateLimitDecision:
        return await self.limiter.hit(self.tiers[tier], tier, key)


def client_ip(request: Request) -> str:
    """slowapi's own per-client key. Behind a proxy, run `nexus serve --proxy-headers` so that
    this is the caller's address, not the proxy's."""
    return get_remote_address(request)


def user_id_of(request: Request) -> int | None:
    """The user id of a valid access token, without a database round trip."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        return int(request.app.state.runtime.tokens.user_id_from_access(token.strip()))
    except NotAuthenticated:
        return None  # counted as anonymous; the route itself answers 401


def too_many_requests(decision: RateLimitDecision) -> JSONResponse:
    response = error_response(
        429,
        f"Rate limit exceeded: {decision.limit} requests allowed in this period; "
        f"retry in {decision.retry_after()} seconds.",
        code="rate_limited",
        headers={"Retry-After": str(decision.retry_after())},
    )
    apply_headers(response.headers, [decision])
    return response


def apply_headers(headers: MutableHeaders, decisions: list[RateLimitDecision]) -> None:
    for name, value in rate_limit_headers(decisions):
        headers[name.decode()] = value.decode()


def rate_limit_headers(decisions: list[RateLimitDecision]) -> list[tuple[bytes, bytes]]:
    if not decisions:
        return []
    tightest = min(decisions, key=lambda d: (d.allowed, d.remaining))
    return [
        (b"x-ratelimit-limit", str(tightest.limit).encode()),
        (b"x-ratelimit-remaining", str(tightest.remaining).encode()),
        (b"x-ratelimit-reset", str(int(tightest.reset_at)).encode()),
    ]


def _is_rate_limit_header(name: bytes) -> bool:
    return name[:12].lower() == b"x-ratelimit-"


class RateLimited(Exception):
    def __init__(self, decision: RateLimitDecision) -> None:
        super().__init__("rate limited")
        self.decision = decision


class RateLimit:
    """A route's own tier, as a dependency: `dependencies=[Depends(RateLimit("tmdb_search"))]`."""

    def __init__(self, tier: str) -> None:
        if tier not in ROUTE_TIERS:
            raise ValueError(f"unknown rate limit tier {tier!r}; one of {sorted(ROUTE_TIERS)}")
        self.tier = tier

    async def __call__(self, request: Request) -> None:
        policy: RateLimitPolicy | None = getattr(request.app.state, "rate_limits", None)
        if policy is None:
            return
        user_id = user_id_of(request) if ROUTE_TIERS[self.tier] == "user" else None
        key = f"user:{user_id}" if user_id is not None else f"ip:{client_ip(request)}"
        if ROUTE_TIERS[self.tier] == "session":
            key = await session_key(request, client_ip(request))
        decision = await policy.hit(self.tier, key)
        decisions = getattr(request.state, DECISIONS, None)
        if decisions is not None:
            decisions.append(decision)
        if not decision.allowed:
            raise RateLimited(decision)


class RateLimitMiddleware:
    """Counts the default tier for every `/api/` request and writes the headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = getattr(scope["app"].state, "rate_limits", None) if "app" in scope else None
        if scope["type"] != "http" or policy is None or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        decisions: list[RateLimitDecision] = []
        if scope["path"] not in SESSION_PATHS:
            user_id = user_id_of(request)
            if user_id is not None:
                decision = await policy.hit("authenticated", f"user:{user_id}")
            else:
                decision = await policy.hit("anonymous", f"ip:{client_ip(request)}")
            if not decision.allowed:
                await too_many_requests(decision)(scope, receive, send)
                return
            decisions.append(decision)
        setattr(request.state, DECISIONS, decisions)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Raw headers: a 429 of a route's own tier already carries them; replace those.
                kept = [h for h in message.get("headers", []) if not _is_rate_limit_header(h[0])]
                message["headers"] = kept + rate_limit_headers(decisions)
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _rate_limited(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    return too_many_requests(exc.decision)


def build_rate_limits(config: RateLimitConfig) -> tuple[RateLimitPolicy | None, Closer]:
    """The policy for `app.state.rate_limits` (None when disabled) and what closes it."""
    if not config.enabled:
        return None, _nothing_to_close
    shared = None
    if config.redis_url:
        shared = RedisRateLimitStorage.connect(
            config.redis_url,
            key_prefix=f"{config.redis_key_prefix}ratelimit",
            timeout=config.redis_timeout,
        )
    counter: Storage | RedisAllowanceCounter | None = shared.storage if shared else None
    if shared is not None and config.strategy == "sliding-window-batched":
        counter = RedisAllowanceCounter(Redis(connection_pool=shared.pool), shared.key_prefix)
    limiter = FailoverRateLimiter(
        counter,
        strategy=config.strategy,
        timeout=config.redis_timeout,
        retry_seconds=config.redis_retry_seconds,
    )

    async def close() -> None:
        await limiter.close()
        if shared is not None:
            await shared.close()

    return RateLimitPolicy.from_config(config, limiter), close


async def _nothing_to_close() -> None:
    return None


def install_rate_limits(app: FastAPI) -> None:
    app.add_middleware(RateLimitMiddleware)
    app.add_exception_handler(RateLimited, _rate_limited)
    document_429(app)
