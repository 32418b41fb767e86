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


class RenderedLists:
    """Answers (their bytes, or the bytes with their headers) by key, for `ttl_seconds`."""

    def __init__(self, ttl_seconds: float, max_entries: int = 4096) -> None:
        self.ttl, self.max_entries = ttl_seconds, max_entries
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def clear(self) -> None:
        self._entries.clear()

    def put(self, key: Hashable, body: Any) -> None:
        if self.ttl <= 0:
            return
        self._entries[key] = (time.monotonic() + self.ttl, body)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)  # the least recently used
