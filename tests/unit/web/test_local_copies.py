"""The public cache's copies in the process are bounded by what they hold in memory: a flood of
distinct queries cannot hold a worker's memory."""

from __future__ import annotations

from unittest.mock import MagicMock

from app.adapters.redis import response_store
from app.adapters.redis.response_store import Entry, RedisResponseStore


def test_copies_past_the_byte_bound_are_dropped_and_counting_starts_again() -> None:
    store = RedisResponseStore(MagicMock(), "test:", 10.0)
    body = b"x" * (response_store.MAX_LOCAL_BYTES // 4 - 200)
    for n in range(3):
        store.keep(b"key%d" % n, Entry([], [], body, 0.0))
    assert len(store.local) == 3
    store.keep(b"key1", Entry([], [], body, 0.0))  # the same key again takes no more room
    assert sorted(store.local) == [b"key0", b"key1", b"key2"]
    store.keep(b"key3", Entry([], [], body, 0.0))  # past the bound: the others are dropped
    assert list(store.local) == [b"key3"]
    store.keep(b"key4", Entry([], [], body, 0.0))
    assert list(store.local) == [b"key3", b"key4"]


def test_small_answers_are_counted_with_their_keys_headers_and_objects() -> None:
    # A flood of empty pages: 52-byte bodies, each with its own key and headers.
    store = RedisResponseStore(MagicMock(), "test:", 10.0)
    headers = [(b"content-length", b"52"), (b"content-type", b"application/json")]
    for n in range(20_000):
        key = b"test:responses:entry:%032x" % n
        store.keep(key, Entry([b"7cdf2f2c8ee31faa"], list(headers), b"{" + b"x" * 50 + b"}", 0.0))
    held = len(store.local)
    assert 0 < held < response_store.MAX_LOCAL_BYTES // 500
    entry = next(iter(store.local.values()))
    assert entry.footprint(next(iter(store.local))) > 10 * len(entry.body)
