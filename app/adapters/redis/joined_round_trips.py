"""Commands of concurrent callers joined into one round trip, without ever sending one before its
caller asked.

The first caller sends its command alone. Callers that ask while a round trip is in flight wait
for the next one, which starts as soon as the current one returns and carries everything queued
meanwhile. Each caller returns once a round trip sent after its call began carried its item, or
raises what that round trip raised. Under load one command serves many requests, and redis-py's
cost per command, several times that of the command itself, is paid once per batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")


class JoinedRoundTrips(Generic[Item]):
    def __init__(self, send: Callable[[list[Item]], Awaitable[None]]) -> None:
        self._send = send
        self._in_flight: asyncio.AbstractEventLoop | None = None  # the loop of the one in flight
        self._queued: list[tuple[Item, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None  # held: a task only weakly referenced may go

    async def __call__(self, item: Item) -> None:
        loop = asyncio.get_running_loop()
        if self._in_flight is not None and self._in_flight is not loop:
            # Left by a loop that is gone (a command's `asyncio.run` before this one).
            self._in_flight, self._queued, self._task = None, [], None
        if self._in_flight is not None:
            future: asyncio.Future[None] = loop.create_future()
            self._queued.append((item, future))
            await future
            return
        self._in_flight = loop
        try:
            await self._send([item])
        finally:
            if self._queued:
                self._task = loop.create_task(self._send_while_queued())
            else:
                self._in_flight = None

    async def _send_while_queued(self) -> None:
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                try:
                    await self._send([item for item, _ in batch])
                except Exception as error:  # each caller decides what a failure means
                    _fail(batch, error)
                    continue
                except BaseException:  # cancelled: the callers learn their items may be unsent
                    _fail(batch, ConnectionError("redis round trip cancelled"))
                    raise
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)
        finally:
            self._in_flight = None
            _fail(self._queued, ConnectionError("redis round trips stopped"))
            self._queued = []


def _fail(waiting: list[tuple[Item, asyncio.Future[None]]], error: Exception) -> None:
    for _, future in waiting:
        if not future.done():
            future.set_exception(error)
