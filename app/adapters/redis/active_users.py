"""`ActiveUsers` with the account state cached in Redis, checked against a per-user version in
one round trip, so a signed-in request whose user has not changed needs no database.

The state is stored with the version token it was read under. Every change to the user deletes
the token (`cache_keys.user_version`): any write the user makes (app.web.user_versions), staff
rights and deactivation from the CLI. The next request finds a new token and reads the database,
so a deactivation or a demotion takes effect at once on every replica. The token is read before
the database, so a state read while a change ran is stored under the old token and never used.
Inactive users are never cached, and the password hash never leaves the database (a cached user
has none: what needs it reads the database). Redis failing means reading the database.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.domain.accounts.ports import ActiveUsers
from app.domain.accounts.users import User
from app.domain.shared import cache_keys

log = logging.getLogger(__name__)

RETRY_AFTER_FAILURE = 1.0
DATETIMES = ("date_joined", "updated_at")


class RedisCachedActiveUsers:
    def __init__(self, inner: ActiveUsers, redis: Redis, prefix: str, ttl_seconds: float) -> None:
        self._inner, self._redis, self._prefix, self._ttl = inner, redis, prefix, ttl_seconds
        self._down_until = 0.0

    async def active(self, user_id: int) -> User | None:
        if time.monotonic() < self._down_until:
            return await self._inner.active(user_id)
        version_key = self._prefix + cache_keys.user_version(user_id)
        state_key = self._prefix + f"user:{user_id}:state"
        try:
            token, state = await self._redis.mget(version_key, state_key)
            if isinstance(token, bytes) and isinstance(state, bytes):
                stored_token, cached = decode(state)
                if stored_token == token:
                    return cached
            if not isinstance(token, bytes):
                fresh = secrets.token_hex(8).encode()
                previous = await self._redis.set(version_key, fresh, nx=True, get=True)
                token = previous if isinstance(previous, bytes) else fresh
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
