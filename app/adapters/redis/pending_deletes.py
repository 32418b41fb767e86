"""Invalidations that Redis did not take, retried until it does.

Every cache in front of PostgreSQL is invalidated by deleting a key (a version token, an entry).
A delete that times out during a Redis stall would otherwise leave the old answer served for the
key's whole TTL on every replica. Instead the key waits here: a background task retries the
delete (quickly at first, then every `MAX_BACKOFF` seconds) until Redis answers, and while a key
waits, the readers of this process that depend on it (`waiting`) go to the database. Other
replicas reach the same Redis: while it stalls for them too they read the database, and once it
answers again the retry lands within the back-off.

Deletes asked while one is in flight wait for the next `DEL` (`JoinedRoundTrips`), which carries
all of them: each caller's keys are deleted by a command sent after its call began (so a write is
acknowledged only once its invalidation is taken), and under load one command serves many writes.
A rating write invalidates from two places (the social version, the rating's own keys); joined
with the other writes in flight, redis-py's cost per command is paid once per batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.adapters.redis.joined_round_trips import JoinedRoundTrips

log = logging.getLogger(__name__)

FIRST_BACKOFF = 0.05
MAX_BACKOFF = 1.0
BATCH = 500  # keys per DEL


class PendingDeletes:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._keys: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self._joined = JoinedRoundTrips(self._delete_batch)

    def __len__(self) -> int:
        return len(self._keys)

    def waiting(self, *keys: str) -> bool:
        """Whether any of these (full Redis) keys has a delete not yet taken."""
        return bool(self._keys) and any(key in self._keys for key in keys)

    def add(self, *keys: str) -> None:
        """Keeps `keys` until Redis deletes them; starts the retry task if none runs."""
        if not keys:
            return
        self._keys.update(keys)
        log.error("redis delete failed for %d key(s); retrying until it succeeds", len(keys))
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._task = loop.create_task(self._retry())

    async def delete(self, *keys: str) -> bool:
        """Deletes `keys` now, or keeps them for the retry task; True when Redis took them."""
        if not keys:
            return True
        try:
            await self._joined(keys)
        except (RedisError, OSError):
            self.add(*keys)
            return False
        return True

    async def _delete_batch(self, batch: list[tuple[str, ...]]) -> None:
        keys = list(dict.fromkeys(key for wanted in batch for key in wanted))
        for start in range(0, len(keys), BATCH):
            await self._redis.delete(*keys[start : start + BATCH])

    async def _retry(self) -> None:
        backoff = FIRST_BACKOFF
        while self._keys:
            await asyncio.sleep(backoff)
            batch = list(self._keys)[:BATCH]
            try:
                await self._redis.delete(*batch)
            except (RedisError, OSError):
                backoff = min(MAX_BACKOFF, backoff * 2)
                continue
            self._keys.difference_update(batch)
            backoff = FIRST_BACKOFF
        log.warning("redis deletes that had failed are now taken")

    async def close(self, grace_seconds: float = 2.0) -> None:
        """Gives waiting deletes a last chance (a command about to exit), then stops."""
        if self._keys and self._task is not None and not self._task.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), grace_seconds)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._keys:
            log.error("%d redis delete(s) never taken: stale until their TTL", len(self._keys))
