"""`MemoryJobLock`: the advisory lock's fake, held by one holder at a time within the process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class MemoryJobLock:
    def __init__(self) -> None:
        self.held: set[str] = set()

    @asynccontextmanager
    async def try_hold(self, name: str) -> AsyncIterator[bool]:
        if name in self.held:
            yield False
            return
        self.held.add(name)
        try:
            yield True
        finally:
            self.held.discard(name)
