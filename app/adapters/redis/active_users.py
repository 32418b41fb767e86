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
"""

from __future__ import annotations

import json
import logging
import time
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
