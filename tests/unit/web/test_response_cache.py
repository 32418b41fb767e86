"""The in-process cache of serialized answers: TTL, bounded size, writes forget everything,
and an answer computed while a write ran is never stored."""

from __future__ import annotations

import time

from starlette.types import Message, Receive, Scope, Send

from app.web.response_cache import ResponseBytesCache, ResponseCacheMiddleware

KEY = ("/hot/", b"")
JSON = [(b"content-type", b"application/json")]


def test_an_entry_lives_for_its_ttl_only() -> None:
    cache = ResponseBytesCache(ttl_seconds=0.05)
    cache.put(KEY, b"[1]", JSON, None, cache.generation)
    assert cache.get(KEY) is not None
    time.sleep(0.06)
    assert cache.get(KEY) is None


def test_a_zero_ttl_turns_it_off() -> None:
    cache = ResponseBytesCache(ttl_seconds=0)
    cache.put(KEY, b"[1]", JSON, None, cache.generation)
    assert cache.get(KEY) is None


def test_an_answer_computed_before_a_write_is_not_stored() -> None:
    cache = ResponseBytesCache(ttl_seconds=60)
    started = cache.generation
    cache.forget_all()  # a write landed while the answer was being computed
    cache.put(KEY, b"stale", JSON, None, started)
    assert cache.get(KEY) is None


def test_entries_are_bounded() -> None:
    cache = ResponseBytesCache(ttl_seconds=60, max_entries=3)
    for n in range(10):
        cache.put(("/hot/", str(n).encode()), b"x", JSON, None, cache.generation)
    assert sum(cache.get(("/hot/", str(n).encode())) is not None for n in range(10)) <= 3


class CountingApp:
    """Answers `status` with the number of calls so far as the body."""

    def __init__(self, status: int = 200) -> None:
        self.calls, self.status = 0, status

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": self.status, "headers": JSON})
        await send({"type": "http.response.body", "body": str(self.calls).encode()})


async def call(app: ResponseCacheMiddleware, method: str, path: str, query: bytes = b"") -> bytes:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": query}
    await app(scope, receive, send)
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


async def test_hot_reads_are_answered_from_bytes_until_a_write() -> None:
    inner = CountingApp()
    app = ResponseCacheMiddleware(inner, ResponseBytesCache(60), frozenset({"/hot/"}))

    assert await call(app, "GET", "/hot/", b"limit=5") == b"1"
    assert await call(app, "GET", "/hot/", b"limit=5") == b"1"  # from the cache
    assert await call(app, "GET", "/hot/", b"limit=6") == b"2"  # another query string
    assert await call(app, "GET", "/cold/") == b"3"
    assert await call(app, "GET", "/cold/") == b"4"  # not a cached path
    assert await call(app, "POST", "/anything/") == b"5"
    assert await call(app, "GET", "/hot/", b"limit=5") == b"6"  # the write emptied it


async def test_only_successful_answers_are_kept() -> None:
    inner = CountingApp(status=422)
    app = ResponseCacheMiddleware(inner, ResponseBytesCache(60), frozenset({"/hot/"}))
    await call(app, "GET", "/hot/", b"limit=0")
    await call(app, "GET", "/hot/", b"limit=0")
    assert inner.calls == 2
