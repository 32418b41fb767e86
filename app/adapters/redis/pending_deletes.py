"""Invalidations that Redis did not take, retried until it does.

Every cache in front of PostgreSQL is invalidated by deleting a key (a version token, an entry).
A delete that times out during a Redis stall would otherwise leave the old answer served for the
key's whole TTL on every replica. Instead the key waits here: a background task retries the
delete (quickly at first, then every `MAX_BACKOFF` seconds) until Redis answers, and while a key
waits, the readers of this process that depend on it (`waiting`) go to the database. Other
replicas reach the same Redis: while it stalls for them too they read the database, and once it
answers again the retry lands within the back-off.

Deletes asked while one is in flight wait for the next `DEL`, which carries all of them: each
caller's keys are deleted by a command sent after its call began (so a write is acknowledged only
once its invalidation is taken), and under load one command serves many writes. A rating write
invalidates from two places (the social version, the rating's own keys); joined with the other
writes in flight, redis-py's cost per command is paid once per batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

FIRST_BACKOFF = 0.05
MAX_BACKOFF = 1.0
BATCH = 500  # keys per DEL


Waiter = tuple[tuple[str, ...], "asyncio.Future[bool]"]


class PendingDeletes:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._keys: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        # The DEL in flight (its loop), the deletes waiting for the next one, and its task.
        self._in_flight: asyncio.AbstractEventLoop | None = None
        self._queued: list[Waiter] = []
        self._batcher: asyncio.Task[None] | None = None

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
        loop = asyncio.get_running_loop()
        if self._in_flight is not None and self._in_flight is not loop:
            # Left by a loop that is gone (a command's `asyncio.run` before this one).
            self._in_flight, self._queued, self._batcher = None, [], None
        if self._in_flight is not None:
            future: asyncio.Future[bool] = loop.create_future()
            self._queued.append((keys, future))
            return await future
        self._in_flight = loop
        try:
            return await self._delete_now(keys)
        finally:
            self._next_batch(loop)

    async def _delete_now(self, keys: tuple[str, ...] | list[str]) -> bool:
        try:
            await self._redis.delete(*keys)
        except (RedisError, OSError):
            self.add(*keys)
            return False
        return True

    def _next_batch(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._queued:
            self._batcher = loop.create_task(self._delete_while_queued())
        else:
            self._in_flight = None

    async def _delete_while_queued(self) -> None:
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                keys = list(dict.fromkeys(key for wanted, _ in batch for key in wanted))
                taken = False
                try:
                    taken = await self._delete_in_chunks(keys)
                except asyncio.CancelledError:
                    self.add(*keys)  # perhaps not taken: retried
                    raise
                finally:
                    for _, future in batch:
                        if not future.done():
                            future.set_result(taken)
        finally:
            self._in_flight = None
            for wanted, future in self._queued:  # cancelled before their turn: retried
                self.add(*wanted)
                if not future.done():
                    future.set_result(False)
            self._queued = []

    async def _delete_in_chunks(self, keys: list[str]) -> bool:
        for start in range(0, len(keys), BATCH):
            if not await self._delete_now(keys[start : start + BATCH]):
                self.add(*keys[start + BATCH :])
                return False
        return True

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
