"""`MGET`s of concurrent requests joined into one round trip, without reading anything older than
the request.

A cached answer costs little CPU once its bytes are in the process; what is left per request is
checking its version tokens in Redis, and redis-py's cost per command is several times that of
serving the bytes. Requests that ask while a read is in flight wait for the next one, which
starts as soon as the current one returns and carries every key they asked for. A request's
keys are therefore always read by a command sent after the request arrived: a version deleted
before then is never missed (what makes a change visible at once on every replica), and under
load one command answers many requests.
"""

from __future__ import annotations

import asyncio
from typing import Any

from redis.asyncio import Redis

Waiter = tuple[list[str | bytes], "asyncio.Future[list[Any]]"]


class BatchedReads:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._queued: list[Waiter] = []
        self._reading = False
        self._task: asyncio.Task[None] | None = None  # held: a task only weakly referenced may go

    async def mget(self, *keys: str | bytes) -> list[Any]:
        """The values of `keys` (None where missing), as Redis held them after this call began."""
        loop = asyncio.get_running_loop()
        if self._task is not None and self._task.get_loop() is not loop:
            # The reader ran on a loop that is gone (a command's `asyncio.run` before this one).
            self._queued, self._reading, self._task = [], False, None
        future: asyncio.Future[list[Any]] = loop.create_future()
        self._queued.append((list(keys), future))
        if not self._reading:
            self._reading = True
            self._task = loop.create_task(self._read_while_queued())
        return await future

    async def _read_while_queued(self) -> None:
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                keys = list(dict.fromkeys(key for wanted, _ in batch for key in wanted))
                try:
                    values = await self._redis.mget(*keys)
                except asyncio.CancelledError:
                    for _, future in batch:
                        future.cancel()
                    raise
                except Exception as error:  # each waiter decides what a failure means
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                found = dict(zip(keys, values, strict=True))
                for wanted, future in batch:
                    if not future.done():
                        future.set_result([found[key] for key in wanted])
        finally:
            self._reading = False
            for _, future in self._queued:  # cancelled while queued ones waited
                if not future.done():
                    future.set_exception(ConnectionError("redis batch reader stopped"))
            self._queued = []
