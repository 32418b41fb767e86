"""Signed-in answers kept as their final JSON bytes in the process, under a key naming everything
they were computed from.

A user's recommendation list is cached by the use case (per user and taste version, in Redis),
yet a hit still paid a cache round trip for the catalogue facts and building, validating and
encoding twenty nested items. Here the rendered bytes are kept under (user, taste version, model
version, query, image base). The taste version comes from the account state every request
checks, so the user's own rating makes a new key at once, on every replica; a new model makes a
new key too. What no key names (a movie edited or deleted by staff, a genre renamed) shows
within `ttl_seconds`, the same bound the use case's own cache has for it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

MAX_BYTES = 8 * 1024 * 1024  # a worker's rendered lists, by the size of their bodies


class RenderedLists:
    """Answers (their bytes, or the bytes with their headers) by key, for `ttl_seconds`, the
    least recently used dropped past `max_entries` or `max_bytes` of bodies: a list is 10 to
    20 KB, so many users' lists must not hold a worker's memory."""

    def __init__(
        self, ttl_seconds: float, max_entries: int = 4096, max_bytes: int = MAX_BYTES
    ) -> None:
        self.ttl, self.max_entries, self.max_bytes = ttl_seconds, max_entries, max_bytes
        self._entries: OrderedDict[Hashable, tuple[float, Any, int]] = OrderedDict()
        self._bytes = 0

    def get(self, key: Hashable) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def put(self, key: Hashable, body: Any) -> None:
        """`body`: the answer's bytes, or a tuple whose first item they are."""
        if self.ttl <= 0:
            return
        if key in self._entries:
            self._drop(key)
        size = len(body if isinstance(body, bytes) else body[0])
        self._entries[key] = (time.monotonic() + self.ttl, body, size)
        self._bytes += size
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))  # the least recently used

    def _drop(self, key: Hashable) -> None:
        self._bytes -= self._entries.pop(key)[2]
