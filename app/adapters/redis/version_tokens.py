"""Version tokens: a random value under a key that a change deletes. Whoever reads a missing
token makes a new one; concurrent readers must agree on a single one."""

from __future__ import annotations

import secrets
from typing import Any

from redis.asyncio import Redis


async def token_of(redis: Redis, key: str, found: Any) -> bytes:
    """`found` (what a read of `key` gave) if it is a token, else a new one set in Redis: SET NX
    GET keeps ours if none was set meanwhile, else answers the one that was."""
    if isinstance(found, bytes):
        return found
    fresh = secrets.token_hex(8).encode()
    previous = await redis.set(key, fresh, nx=True, get=True)
    return previous if isinstance(previous, bytes) else fresh
