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
makes, `taste_changed` moves the cached state to the new taste version in one script, and only if
the state is still the one this request was served under (its version and generation tokens
unchanged): the user's version token is replaced by a new one and the state stored under it, so a
read that raced the write stores under a token nobody holds any more. Anything else, a change of
the account meanwhile above all, makes the script delete the version, as any write does. The
request's `UserVersionMiddleware` then leaves the version alone (`RequestAccountState`).
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, fields, replace
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

# KEYS: the user's version, the users' generation, the user's state. ARGV: the version and the
# generation the state was served under, the new version, the new state, its TTL in ms.
MOVE_STATE = """
local version = redis.call('GET', KEYS[1])
if version == ARGV[1] and redis.call('GET', KEYS[2]) == ARGV[2] then
    local state = redis.call('GET', KEYS[3])
    local token = ARGV[1] .. '.' .. ARGV[2] .. '\\n'
    if state and string.sub(state, 1, #token) == token then
        redis.call('SET', KEYS[1], ARGV[3])
        redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
        return 1
    end
end
redis.call('DEL', KEYS[1])
return 0
"""


@dataclass(slots=True)
class RequestAccountState:
    """What one write request knows of its user's cached state: the tokens it was served under
    (`served`), and the users whose version the request already moved or deleted
    (`invalidated`), which `UserVersionMiddleware` then leaves alone."""

    served: dict[int, tuple[bytes, bytes]] = field(default_factory=dict)
    invalidated: set[int] = field(default_factory=set)


_request_state: ContextVar[RequestAccountState | None] = ContextVar(
    "nexus_request_account_state", default=None
)


def track_request_account_state() -> RequestAccountState:
    """Called by the write request's middleware before the route runs."""
    state = RequestAccountState()
    _request_state.set(state)
    return state


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
        self._move_state = redis.register_script(MOVE_STATE)
        self._down_until = 0.0

    async def active(self, user_id: int) -> User | None:
        version_key = self._prefix + cache_keys.user_version(user_id)
        generation_key = self._prefix + cache_keys.users_generation()
        if time.monotonic() < self._down_until or self._pending.waiting(
            version_key, generation_key
        ):
            return await self._inner.active(user_id)
        state_key = self._prefix + f"user:{user_id}:state"
        try:
            version, generation, state = await self._reads.mget(
                version_key, generation_key, state_key
            )
            if isinstance(version, bytes) and isinstance(generation, bytes):
                token = version + b"." + generation
                if isinstance(state, bytes):
                    stored_token, cached = decode(state)
                    if stored_token == token:
                        request = _request_state.get()
                        if request is not None:
                            request.served[user_id] = (version, generation)
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
        request = _request_state.get()
        served = request.served.get(user.id) if request is not None else None
        if request is None or served is None:
            return  # not served from here: the middleware's version delete covers it
        version, generation = served
        fresh = secrets.token_hex(8).encode()
        moved = encode(fresh + b"." + generation, replace(user, taste_version=taste_version))
        keys = [
            self._prefix + cache_keys.user_version(user.id),
            self._prefix + cache_keys.users_generation(),
            self._prefix + f"user:{user.id}:state",
        ]
        ttl = max(1, int(self._ttl * 1000))
        try:
            await self._move_state(keys=keys, args=[version, generation, fresh, moved, ttl])
        except (RedisError, OSError) as error:
            log.warning("moving a user's cached state failed: %s", error)
            return  # the middleware deletes the version, retried until Redis takes it
        request.invalidated.add(user.id)


def encode(token: bytes, user: User) -> bytes:
    values: dict[str, Any] = asdict(user)
    values["password_hash"] = None
    for name in DATETIMES:
        if values[name] is not None:
            values[name] = values[name].isoformat()
    return token + b"\n" + json.dumps(values).encode()


def decode(raw: bytes) -> tuple[bytes, User]:
    token, _, body = raw.partition(b"\n")
    values = json.loads(body)
    for name in DATETIMES:
        if values.get(name) is not None:
            values[name] = datetime.fromisoformat(values[name])
    values["favorite_genres"] = tuple(values["favorite_genres"])
    known = {field.name for field in fields(User)}
    return token, User(**{k: v for k, v in values.items() if k in known})
