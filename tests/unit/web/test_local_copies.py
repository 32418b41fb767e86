"""The public cache's copies in the process are bounded by the size of their bodies: a flood of
distinct queries cannot hold a worker's memory."""

from __future__ import annotations

from unittest.mock import MagicMock

from app.adapters.redis import response_store
from app.adapters.redis.response_store import Entry, RedisResponseStore


def test_copies_past_the_byte_bound_are_dropped_and_counting_starts_again() -> None:
    store = RedisResponseStore(MagicMock(), "test:", 10.0)
    body = b"x" * (response_store.MAX_LOCAL_BYTES // 4)
    for n in range(3):
        store.keep(b"key%d" % n, Entry([], [], body, 0.0))
    assert len(store.local) == 3
    store.keep(b"key1", Entry([], [], body, 0.0))  # the same key again takes no more room
    assert sorted(store.local) == [b"key0", b"key1", b"key2"]
    store.keep(b"key3", Entry([], [], body, 0.0))  # past the bound: the others are dropped
    assert list(store.local) == [b"key3"]
    store.keep(b"key4", Entry([], [], body, 0.0))
    assert list(store.local) == [b"key3", b"key4"]
