"""The `Cache` for unit tests: the in-process adapter, recording the keys deleted."""

from __future__ import annotations

from app.adapters.memory.cache import InMemoryCache


class RecordingCache(InMemoryCache):
    def __init__(self) -> None:
        super().__init__()
        self.deleted: list[str] = []

    async def delete(self, *keys: str) -> None:
        self.deleted.extend(keys)
        await super().delete(*keys)
