"""`HttpxTmdbClient`: the TMDb port over HTTP, on one `httpx.AsyncClient` for the process."""

from __future__ import annotations

import httpx

from app.adapters.tmdb import normalise
from app.adapters.tmdb.requests import (
    TmdbRequest,
    details_request,
    genres_request,
    list_request,
    search_request,
)
from app.adapters.tmdb.transport import TmdbTransport
from app.domain.catalogue.movies import Genre
from app.domain.tmdb.ports import ListCategory, TmdbMovieDetails, TmdbPage, TrendingWindow


def create_http_client(
    base_url: str, *, timeout: float = 10.0, max_connections: int = 20
) -> httpx.AsyncClient:
    """Keep-alive connections in a bounded pool, with connect and read time-outs."""
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/"),
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        limits=httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        ),
        follow_redirects=False,
    )


class HttpxTmdbClient:
    def __init__(self, transport: TmdbTransport, *, language: str = "en-US") -> None:
        self._transport = transport
        self.language = language

    async def fetch(self, request: TmdbRequest) -> object:
        return await self._transport.get_json(request)

    async def genres(self) -> tuple[Genre, ...]:
        body = await self.fetch(genres_request(self.language))
        return normalise.genres_from_body(body)

    async def movie_list(
        self, category: ListCategory, page: int = 1, *, window: TrendingWindow = "day"
    ) -> TmdbPage:
        body = await self.fetch(list_request(category, page, window, self.language))
        return normalise.page_from_body(body)

    async def search(
        self, query: str, *, page: int = 1, year: int | None = None, include_adult: bool = False
    ) -> TmdbPage:
        request = search_request(query, page, year, include_adult, self.language)
        return normalise.page_from_body(await self.fetch(request))

    async def movie(self, tmdb_id: int) -> TmdbMovieDetails:
        body = await self.fetch(details_request(tmdb_id, self.language))
        return normalise.details_from_body(body)
