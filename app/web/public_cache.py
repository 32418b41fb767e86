"""Anonymous answers of the public read paths, as the final bytes, in Redis with a copy in each
process, invalidated by version.

Every entry records the version tokens it was computed under: the catalogue's (movies, genres,
shelves), or the social one (public profiles and playlists), plus the movie's own for a movie's
detail. A write deletes the tokens it makes stale, so on every replica the next read finds a new
token and recomputes: no key scan, no waiting for a TTL. Tokens are read (one MGET, with the
entry when this process has no copy) before the answer is computed, so an answer computed while
a write ran is stored under the old token and never served. Requests with an Authorization
header are never answered or stored here: cached bytes are only ever anonymous answers.
What lags: figures a write elsewhere changes without bumping a version (a list's
`rating_average` after a rating, top rated), by at most the TTL.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from typing import Any

from redis.exceptions import RedisError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.adapters.redis.response_store import VERSIONS, Entry, RedisResponseStore
from app.domain.shared import cache_keys
from app.web.public_cache_keys import CacheableRoute, cacheable_route
from app.web.sending import RecordedSend


@dataclass(slots=True)
class CachedPath:
    """A cacheable route: the paths it serves, the version its answers depend on, and the
    path parameter naming a movie. Its query parameters are learned from the route the router
    picks for the first request (`learned`), and every stored answer must come from that
    route, so a path the router gives to another route is never cached as this one."""

    pattern: re.Pattern[str]
    route_path: str
    version: str
    movie_group: str | None = None
    learned: tuple[CacheableRoute, Any] | None = None


def cacheable_paths() -> list[CachedPath]:
    return [
        CachedPath(re.compile(r"^/api/movies/$"), "/api/movies/", "catalogue"),
        CachedPath(
            re.compile(r"^/api/movies/(?P<movie_id>[0-9]+)/$"),
            "/api/movies/{movie_id:int}/",
            "catalogue",
            "movie_id",
        ),
        CachedPath(re.compile(r"^/api/movies/top_rated/$"), "/api/movies/top_rated/", "catalogue"),
        CachedPath(re.compile(r"^/api/movies/recent/$"), "/api/movies/recent/", "catalogue"),
        CachedPath(re.compile(r"^/api/genres/$"), "/api/genres/", "catalogue"),
        CachedPath(
            re.compile(r"^/api/profiles/(?!me/$|stats/$)[^/]+/$"),
            "/api/profiles/{username}/",
            "social",
        ),
        CachedPath(re.compile(r"^/api/playlists/$"), "/api/playlists/", "social"),
        CachedPath(
            re.compile(r"^/api/playlists/[0-9]+/$"), "/api/playlists/{playlist_id:int}/", "social"
        ),
        CachedPath(
            re.compile(r"^/api/playlists/shared/[^/]+/$"), "/api/playlists/shared/{slug}/", "social"
        ),
    ]


# Writes under these paths bump these versions (staff edits, imports; social writes).
WRITES = (
    ("/api/movies/", "catalogue"),
    ("/api/genres/", "catalogue"),
    ("/api/tmdb/", "catalogue"),
    ("/api/playlists/", "social"),
    ("/api/profiles/", "social"),
    ("/api/ratings/", "social"),
    ("/api/auth/me/", "social"),
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Request lines remembered with their keys, about 600 bytes each: the hot URLs of a worker.
MAX_KNOWN_KEYS = 1024


class PublicCacheMiddleware:
    """Answers anonymous GETs of the cacheable routes; bumps versions on writes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.paths = cacheable_paths()
        self._known_keys: dict[tuple[str, bytes, bytes, str], tuple[bytes | None, bytes]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache: RedisResponseStore | None = (
            getattr(scope["app"].state, "public_cache", None) if "app" in scope else None
        )
        if scope["type"] != "http" or cache is None:
            await self.app(scope, receive, send)
        elif scope["method"] not in SAFE_METHODS:
            await self._write(cache, scope, receive, send)
        elif scope["method"] != "GET" or not cache.available or _signed(scope):
            await self.app(scope, receive, send)
        else:
            path: str = scope["path"]
            for cached in self.paths:
                match = cached.pattern.match(path)
                if match is not None:
                    await self._read(cache, cached, match, scope, receive, send)
                    return
            await self.app(scope, receive, send)

    async def _write(self, cache: RedisResponseStore, scope: Scope, r: Receive, s: Send) -> None:
        path: str = scope["path"]
        versions = {version for prefix, version in WRITES if path.startswith(prefix)}
        if not versions:
            await self.app(scope, r, s)
            return

        bumped = False

        async def bumping(message: Message) -> None:
            nonlocal bumped
            if message["type"] == "http.response.start":
                bumped = True
                await cache.bump(versions)  # before the client can see the write acknowledged
            await s(message)

        try:
            await self.app(scope, r, bumping)
        finally:
            if not bumped:  # a write that failed half-way may still have committed
                await cache.bump(versions)

    async def _read(
        self,
        cache: RedisResponseStore,
        cached: CachedPath,
        match: re.Match[str],
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        # Until the route's parameters are learned (first request), the query is kept as sent.
        if cached.learned is None:
            query: bytes | None = scope["query_string"]
            key = _entry_key(cache.prefix, scope, scope["query_string"])
        else:
            query, key = self._keys_of(cache, cached.learned[0], scope)
        if query is None:
            await self.app(scope, receive, send)
            return
        versions = [VERSIONS[cached.version]]
        if cached.movie_group is not None:
            versions.append(cache_keys.movie_version(int(match.group(cached.movie_group))))
        if cache.waiting(versions):  # a bump Redis has not taken yet: nothing cached is sure
            await self.app(scope, receive, send)
            return
        local = cache.local.get(key)
        now = time.monotonic()
        if local is not None and local.expires < now:
            local = None
        try:
            tokens, stored = await cache.tokens_and_entry(versions, None if local else key)
        except (RedisError, OSError) as error:
            cache.failed("read", error)
            await self.app(scope, receive, send)
            return
        if local is None and stored is not None:
            local = Entry.decode(stored, now + cache.ttl)
            cache.keep(key, local)
        if local is not None and local.tokens == tokens and cached.learned:
            scope["route"] = cached.learned[1]  # the metrics label the route as if it had run
            await send({"type": "http.response.start", "status": 200, "headers": local.headers})
            await send({"type": "http.response.body", "body": local.body})
            return
        await self._compute_and_store(cache, cached, key, tokens, scope, query, receive, send)

    def _keys_of(
        self, cache: RedisResponseStore, route: CacheableRoute, scope: Scope
    ) -> tuple[bytes | None, bytes]:
        """The normalised query and the entry key, remembered per request line and host: the
        same URL asked again (the point of a cache) skips parsing and hashing."""
        host = next((v for k, v in scope["headers"] if k == b"host"), b"")
        seen = (scope["path"], scope["query_string"], host, scope["scheme"])
        known = self._known_keys.get(seen)
        if known is None:
            query = route.normalised_query(scope["query_string"])
            known = (query, _entry_key(cache.prefix, scope, query) if query is not None else b"")
            if len(self._known_keys) >= MAX_KNOWN_KEYS:
                self._known_keys.clear()  # a flood of distinct URLs must not grow memory
            self._known_keys[seen] = known
        return known

    async def _compute_and_store(
        self,
        cache: RedisResponseStore,
        cached: CachedPath,
        key: bytes,
        tokens: list[bytes],
        scope: Scope,
        query: bytes,
        receive: Receive,
        send: Send,
    ) -> None:
        recorded = RecordedSend(send)
        # Served with the normalised query, so the bytes answer the key whoever asked first.
        inner = {**scope, "query_string": query}
        await self.app(inner, receive, recorded)
        route = inner.get("route")
        if route is not None:
            scope["route"] = route
        if getattr(route, "path", None) != cached.route_path:
            return  # the router gave this path to another route: never cached as this one
        if cached.learned is None:
            cached.learned = (cacheable_route(route, cached.version), route)
        if (
            recorded.status != 200
            or cached.learned[0].normalised_query(query) != query
            or any(name.lower() == b"set-cookie" for name, _ in recorded.headers)
        ):
            return
        entry = Entry(tokens, recorded.headers, recorded.body, time.monotonic() + cache.ttl)
        try:
            await cache.store(key, entry)
        except (RedisError, OSError) as error:
            cache.failed("store", error)


def _signed(scope: Scope) -> bool:
    return any(name == b"authorization" for name, _ in scope["headers"])


def _entry_key(prefix: str, scope: Scope, query: bytes) -> bytes:
    host = next((v for k, v in scope["headers"] if k == b"host"), b"")
    root = scope.get("root_path", "")
    where = f"{scope['scheme']}|{root}|{scope['path']}".encode() + b"|" + host
    digest = hashlib.blake2b(where + b"?" + query, digest_size=16).hexdigest()
    return f"{prefix}responses:entry:{digest}".encode()
