"""A sliding-window-counter rate limit in Redis, one round trip per check, with a per-process
allowance claimed in batches for generous limits.

Each check runs one Lua script on two counters (this window's and the last one's, weighted by
how much of the last window still overlaps). A process claims up to `batch_of(limit)` hits at a
time and spends them locally until the window ends; the claim is counted in Redis before any of
it is spent, so every process together never allows more than the limit. What a claim costs is
the other way round: hits claimed by one process and not spent are unavailable to the others
until the window ends (at most `batch - 1` per process and key). Limits under `2 / BATCH_SHARE`
requests claim one hit at a time, so they hold exactly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItem
from redis.asyncio import Redis

from app.adapters.rate_limiter import RateLimitDecision

BATCH_SHARE = 0.01  # a claim is at most this share of the limit
MAX_BATCH = 100
MAX_KEYS = 10_000  # allowances kept per process; beyond that the oldest are dropped (unspent)

# KEYS[1]: the counter's key. ARGV: limit, window seconds, hits wanted.
# Returns: hits granted, remaining after them, milliseconds until a hit is allowed again (or
# until this window ends when some remain), milliseconds until this window ends, its number.
CLAIM = """
local limit, window, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window_ms = window * 1000
local index = math.floor(now_ms / window_ms)
local into = now_ms - index * window_ms
local current_key = KEYS[1] .. ':' .. index
local previous = tonumber(redis.call('GET', KEYS[1] .. ':' .. (index - 1)) or '0')
local current = tonumber(redis.call('GET', current_key) or '0')
local weighted = previous * (window_ms - into) / window_ms + current
local available = math.floor(limit - weighted)
if available < 0 then available = 0 end
local granted = math.min(want, available)
if granted > 0 then
  redis.call('INCRBY', current_key, granted)
  redis.call('PEXPIRE', current_key, 2 * window_ms)
end
local window_left = window_ms - into
local retry = window_left
if granted == 0 and previous > 0 then
  -- the weighted count falls by `previous / window` per millisecond until the window ends
  retry = math.min(window_left, math.ceil((weighted - limit + 1) * window_ms / previous))
end
return {granted, available - granted, retry, window_left, index}
"""


def _key(item: RateLimitItem, identifiers: tuple[str, ...]) -> str:
    # `limits`' own key_for, without its per-call normalisation of every identifier.
    names = "/".join(identifiers)
    return f"{item.namespace}/{names}/{item.amount}/{item.multiples}/{item.GRANULARITY.name}"


def batch_of(limit: int) -> int:
    return max(1, min(MAX_BATCH, int(limit * BATCH_SHARE)))


@dataclass(slots=True)
class Allowance:
    left: int  # claimed hits not yet spent in this process
    remaining: int  # what Redis had left for the others after the claim
    expires: float  # time.time() when the window of the claim ends
    window: int
    reset_at: float


class RedisAllowanceCounter:
    """`decide()` for `FailoverRateLimiter`: a claim from Redis when this process has no
    allowance left for the key, else a local decrement."""

    def __init__(self, redis: Redis, key_prefix: str) -> None:
        self._redis = redis
        self._prefix = key_prefix
        self._claim = redis.register_script(CLAIM)
        self._allowances: dict[str, Allowance] = {}

    def spend_claimed(
        self, item: RateLimitItem, identifiers: tuple[str, ...]
    ) -> RateLimitDecision | None:
        allowance = self._allowances.get(_key(item, identifiers))
        if allowance is None or allowance.left <= 0 or time.time() >= allowance.expires:
            return None
        allowance.left -= 1
        return RateLimitDecision(
            True, item.amount, allowance.remaining + allowance.left, allowance.reset_at
        )

    async def decide(self, item: RateLimitItem, identifiers: tuple[str, ...]) -> RateLimitDecision:
        spent = self.spend_claimed(item, identifiers)
        if spent is not None:
            return spent
        key = _key(item, identifiers)
        now = time.time()
        batch = batch_of(item.amount)
        granted, remaining, retry_ms, window_ms, window = (
            int(value)
            for value in await self._claim(
                keys=[f"{self._prefix}:{key}"],
                args=[item.amount, item.get_expiry(), batch],
            )
        )
        reset_at = now + retry_ms / 1000
        if granted == 0:
            return RateLimitDecision(False, item.amount, 0, reset_at)
        if batch > 1:
            expires = now + window_ms / 1000
            self._keep(key, Allowance(granted - 1, remaining, expires, window, reset_at))
        return RateLimitDecision(True, item.amount, remaining + granted - 1, reset_at)

    def _keep(self, key: str, allowance: Allowance) -> None:
        if len(self._allowances) >= MAX_KEYS:
            # Dropping an allowance only gives up hits already counted: never more than the limit.
            for old in list(self._allowances)[: MAX_KEYS // 2]:
                del self._allowances[old]
        earlier = self._allowances.pop(key, None)  # re-inserted last: the dict stays oldest-first
        if earlier is not None and earlier.window == allowance.window:
            allowance.left += earlier.left  # two claims raced in this window: keep both
        self._allowances[key] = allowance
