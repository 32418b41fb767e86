"""`SET`s of concurrent requests joined into one pipelined round trip.

Every public read the cache misses stores its answer; under load that is one command per
request, and redis-py's cost per command is several times that of the `SET` itself. A store that
finds another in flight waits for the next pipeline, which starts as soon as the current one
returns and carries every value queued meanwhile. Each caller returns once its own value was
written, or with the error its pipeline met.
"""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

Waiter = tuple[bytes | str, bytes, int, "asyncio.Future[None]"]


class BatchedWrites:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._in_flight: asyncio.AbstractEventLoop | None = None
        self._queued: list[Waiter] = []
        self._task: asyncio.Task[None] | None = None  # held: a task only weakly referenced may go

    async def set(self, key: bytes | str, value: bytes, px: int) -> None:
        """`SET key value PX px`, alone when nothing is in flight, else in the next pipeline."""
        loop = asyncio.get_running_loop()
        if self._in_flight is not None and self._in_flight is not loop:
            # Left by a loop that is gone (a command's `asyncio.run` before this one).
            self._in_flight, self._queued, self._task = None, [], None
        if self._in_flight is not None:
            future: asyncio.Future[None] = loop.create_future()
            self._queued.append((key, value, px, future))
            await future
            return
        self._in_flight = loop
        try:
            await self._redis.set(key, value, px=px)
        finally:
            if self._queued:
                self._task = loop.create_task(self._write_while_queued())
            else:
                self._in_flight = None

    async def _write_while_queued(self) -> None:
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                pipeline = self._redis.pipeline(transaction=False)
                for key, value, px, _ in batch:
                    pipeline.set(key, value, px=px)
                try:
                    await pipeline.execute()
                except asyncio.CancelledError:
                    for *_, future in batch:
                        future.cancel()
                    raise
                except Exception as error:  # each waiter decides what a failure means
                    for *_, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                for *_, future in batch:
                    if not future.done():
                        future.set_result(None)
        finally:
            self._in_flight = None
            for *_, future in self._queued:  # cancelled while these waited
                if not future.done():
                    future.set_exception(ConnectionError("redis batch writer stopped"))
            self._queued = []
