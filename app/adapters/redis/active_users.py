"""`ActiveUsers` with the account state cached in Redis, checked against a per-user version in
one round trip, so a signed-in request whose user has not changed needs no database.

The state is stored with the version tokens it was read under: the user's own
(`cache_keys.user_version`, deleted by any write the user makes (app.web.user_versions), staff
rights and deactivation from the CLI) and every user's (`cache_keys.users_generation`, deleted by
changes nobody signed in made: a deleted movie's ratings, an import). The next request finds a
new token and reads the database, so a deactivation, a demotion or a new taste version (the key
of cached recommendations) takes effect at once on every replica. Tokens are read before the
database, so a state read while a change ran is stored under the old token and never used. A
delete Redis did not take is retried (`PendingDeletes`), and until it is taken this process reads
the user from the database.
Inactive users are never cached, and the password hash never leaves the database (a cached user
has none: what needs it reads the database). Redis failing means reading the database.

A rating changes only the rater's taste version. Rather than the version delete every other write
makes, `taste_changed` moves it in the cached state, in one script: if the state stored under the
current tokens holds an older taste version, the user's version token is replaced by a new one
and the state, with the new taste version, stored under it (its expiry kept), so a read that
raced the write stores under a token nobody holds any more and a later account change still
deletes the new version. No state under the current tokens makes the script delete the version,
as any write does. The request's `UserVersionMiddleware` then leaves the version alone.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from contextvars import ContextVar
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.adapters.redis.batched_reads import BatchedReads
from app.adapters.redis.pending_deletes import PendingDeletes
from app.adapters.redis.version_tokens import token_of
from app.domain.accounts.ports import ActiveUsers
from app.domain.accounts.users import User
from app.domain.shared import cache_keys

log = logging.getLogger(__name__)

RETRY_AFTER_FAILURE = 1.0
DATETIMES = ("date_joined", "updated_at")

# A state is stored as `version.generation \n taste version \n the rest of the user (JSON)`, so
# this script can move the taste version without parsing JSON. KEYS: the user's version, the
# users' generation, the user's state. ARGV: the new taste version, a new version token.
MOVE_TASTE = """
local version = redis.call('GET', KEYS[1])
local generation = redis.call('GET', KEYS[2])
if version and generation then
    local state = redis.call('GET', KEYS[3])
    local token = version .. '.' .. generation .. '\\n'
    if state and string.sub(state, 1, #token) == token then
        local rest = string.sub(state, #token + 1)
        local newline = string.find(rest, '\\n', 1, true)
        local taste = newline and tonumber(string.sub(rest, 1, newline - 1))
        if taste then
            if taste >= tonumber(ARGV[1]) then
                return 1
            end
            local moved = ARGV[2] .. '.' .. generation .. '\\n'
                .. ARGV[1] .. string.sub(rest, newline)
            redis.call('SET', KEYS[1], ARGV[2])
            redis.call('SET', KEYS[3], moved, 'KEEPTTL')
            return 1
        end
    end
end
redis.call('DEL', KEYS[1])
return 0
"""

# The users whose version this write request already moved or deleted (`taste_changed`), which
# `UserVersionMiddleware` then leaves alone; None outside a write request.
_invalidated_here: ContextVar[set[int] | None] = ContextVar("nexus_invalidated_users", default=None)


def track_invalidated_users() -> set[int]:
    """Called by the write request's middleware before the route runs."""
    invalidated: set[int] = set()
    _invalidated_here.set(invalidated)
    return invalidated


class RedisCachedActiveUsers:
    def __init__(
        self,
        inner: ActiveUsers,
        redis: Redis,
        prefix: str,
        ttl_seconds: float,
        pending: PendingDeletes | None = None,
    ) -> None:
        self._inner, self._redis, self._prefix, self._ttl = inner, redis, prefix, ttl_seconds
        self._pending = pending if pending is not None else PendingDeletes(redis)
        self._reads = BatchedReads(redis)  # concurrent requests check in one round trip
        self._move_taste = redis.register_script(MOVE_TASTE)
        self._down_until = 0.0

    async def active(self, user_id: int) -> User | None:
        version_key = self._prefix + cache_keys.user_version(user_id)
        generation_key = self._prefix + cache_keys.users_generation()
        if time.monotonic() < self._down_until or self._pending.waiting(
            version_key, generation_key
        ):
            return await self._inner.active(user_id)
        state_key = self._state_key(user_id)
        try:
            version, generation, state = await self._reads.mget(
                version_key, generation_key, state_key
            )
            if isinstance(version, bytes) and isinstance(generation, bytes):
                token = version + b"." + generation
                if isinstance(state, bytes):
                    stored_token, cached = decode(state)
                    if stored_token == token:
                        return cached
            else:
                version = await token_of(self._redis, version_key, version)
                generation = await token_of(self._redis, generation_key, generation)
                token = version + b"." + generation
            user = await self._inner.active(user_id)
            if user is not None:
                ttl = max(1, int(self._ttl * 1000))
                await self._redis.set(state_key, encode(token, user), px=ttl)
            return user
        except (RedisError, OSError) as error:
            log.warning("user state cache failed, reading the database: %s", error)
            self._down_until = time.monotonic() + RETRY_AFTER_FAILURE
            return await self._inner.active(user_id)

    async def taste_changed(self, user: User, taste_version: int) -> None:
        invalidated = _invalidated_here.get()
        if invalidated is None:
            return  # no write request around it: nothing expects the version kept
        keys = [
            self._prefix + cache_keys.user_version(user.id),
            self._prefix + cache_keys.users_generation(),
            self._state_key(user.id),
        ]
        try:
            await self._move_taste(keys=keys, args=[taste_version, secrets.token_hex(8)])
        except (RedisError, OSError) as error:
            log.warning("moving a user's cached taste version failed: %s", error)
            return  # the middleware deletes the version, retried until Redis takes it
        invalidated.add(user.id)

    def _state_key(self, user_id: int) -> str:
        return self._prefix + f"user:{user_id}:account"


def encode(token: bytes, user: User) -> bytes:
    """`token \\n taste version \\n the rest as JSON`: the layout `MOVE_TASTE` relies on."""
    values: dict[str, Any] = asdict(user)
    values["password_hash"] = None
    taste_version = values.pop("taste_version")
    for name in DATETIMES:
        if values[name] is not None:
            values[name] = values[name].isoformat()
    return b"%s\n%d\n%s" % (token, taste_version, json.dumps(values).encode())


def decode(raw: bytes) -> tuple[bytes, User]:
    token, taste_version, body = raw.split(b"\n", 2)
    values = json.loads(body)
    for name in DATETIMES:
        if values.get(name) is not None:
            values[name] = datetime.fromisoformat(values[name])
    values["favorite_genres"] = tuple(values["favorite_genres"])
    values["taste_version"] = int(taste_version)
    known = {field.name for field in fields(User)}
    return token, User(**{k: v for k, v in values.items() if k in known})
