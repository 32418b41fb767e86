"""Serialized answers kept in the process for a second or two, for hot anonymous reads
(`/api/movies/trending/`) that every visitor asks for with the same query string.

A hit is answered by this middleware, inside the request id, metrics, security headers and rate
limits but before routing: no dependency solving, no cache round trip, no connection, no
validation, no JSON encoding. Freshness: any write (POST, PUT, PATCH, DELETE) served by this
process empties it, so a client never reads its own write stale; a write served by another
process shows here within the TTL. An answer computed while a write ran is never stored.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.sending import RecordedSend

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Entry = tuple[float, bytes, list[tuple[bytes, bytes]], Any]  # expiry, body, headers, route


class ResponseBytesCache:
    def __init__(self, ttl_seconds: float, max_entries: int = 256) -> None:
        self.ttl, self.max_entries = ttl_seconds, max_entries
        self._entries: dict[tuple[str, bytes], Entry] = {}
        self.generation = 0

    def get(self, key: tuple[str, bytes]) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry

    def put(
        self,
        key: tuple[str, bytes],
        body: bytes,
        headers: list[tuple[bytes, bytes]],
        route: Any,
        generation: int,
    ) -> None:
        """Store an answer computed while `generation` was current; dropped if a write came
        since."""
        if self.ttl <= 0 or generation != self.generation:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()  # a flood of odd query strings must not grow memory
        self._entries[key] = (time.monotonic() + self.ttl, body, headers, route)

    def forget_all(self) -> None:
        self.generation += 1
        self._entries.clear()


class ResponseCacheMiddleware:
    """Answers GETs of `paths` from the cache; stores their 200s; forgets on any write."""

    def __init__(self, app: ASGIApp, cache: ResponseBytesCache, paths: frozenset[str]) -> None:
        self.app, self.cache, self.paths = app, cache, paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        elif scope["method"] not in SAFE_METHODS:
            await self._write(scope, receive, send)
        elif scope["method"] == "GET" and scope["path"] in self.paths:
            await self._cached_read(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _write(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def forgetting(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.cache.forget_all()  # before the client can see the write acknowledged
            await send(message)

        try:
            await self.app(scope, receive, forgetting)
        finally:
            self.cache.forget_all()  # a write that failed half-way may still have committed

    async def _cached_read(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = (scope["path"], scope["query_string"])
        entry = self.cache.get(key)
        if entry is not None:
            _, body, headers, route = entry
            scope["route"] = route  # the metrics label the route as if it had run
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        generation, recorded = self.cache.generation, RecordedSend(send)
        await self.app(scope, receive, recorded)
        if recorded.status == 200:
            self.cache.put(key, recorded.body, recorded.headers, scope.get("route"), generation)
