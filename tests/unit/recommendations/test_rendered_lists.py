"""`RenderedLists`: bytes kept until their TTL, the least recently used dropped first."""

from __future__ import annotations

import pytest

from app.web import rendered_lists
from app.web.rendered_lists import RenderedLists


def test_entries_expire_and_the_least_recently_used_goes_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [100.0]
    monkeypatch.setattr(rendered_lists.time, "monotonic", lambda: now[0])
    cache = RenderedLists(ttl_seconds=30, max_entries=2)
    cache.put("a", b"A")
    cache.put("b", b"B")
    assert cache.get("a") == b"A"  # now the most recently used
    cache.put("c", b"C")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"A", None, b"C")
    now[0] += 31
    assert cache.get("a") is None


def test_a_ttl_of_zero_keeps_nothing() -> None:
    cache = RenderedLists(ttl_seconds=0)
    cache.put("a", b"A")
    assert cache.get("a") is None


def test_bodies_past_the_byte_bound_drop_the_least_recently_used() -> None:
    cache = RenderedLists(ttl_seconds=30, max_bytes=10)
    cache.put("a", b"1234")
    cache.put("b", (b"1234", [(b"content-type", b"application/json")], None))
    assert cache.get("a") == b"1234"  # now the most recently used
    cache.put("c", b"1234")  # 12 bytes: "b" goes
    assert cache.get("b") is None and cache.get("a") == b"1234" and cache.get("c") == b"1234"
    cache.put("c", b"123456")  # replaced: counted once
    assert cache.get("a") == b"1234" and cache.get("c") == b"123456"
