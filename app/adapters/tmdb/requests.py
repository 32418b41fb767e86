"""The TMDb requests we make, as path plus parameters. The HTTP client sends them and the cache
names its entries after them, so both agree on what one request is."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from app.domain.tmdb.ports import ListCategory, TrendingWindow

LIST_PATHS: dict[str, str] = {
    "popular": "/movie/popular",
    "top_rated": "/movie/top_rated",
    "now_playing": "/movie/now_playing",
    "upcoming": "/movie/upcoming",
}


@dataclass(frozen=True, slots=True)
class TmdbRequest:
    path: str
    params: tuple[tuple[str, str], ...]  # sorted, so equal requests have equal keys

    @classmethod
    def of(cls, path: str, **params: object) -> TmdbRequest:
        pairs = ((name, _text(value)) for name, value in params.items() if value is not None)
        return cls(path, tuple(sorted(pairs)))

    def cache_key(self) -> str:
        """Path and sorted parameters; credentials travel separately, so never appear here."""
        return f"tmdb:{self.path}?{urlencode(self.params)}"


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def genres_request(language: str) -> TmdbRequest:
    return TmdbRequest.of("/genre/movie/list", language=language)


def list_request(
    category: ListCategory, page: int, window: TrendingWindow, language: str
) -> TmdbRequest:
    if category == "trending":
        return TmdbRequest.of(f"/trending/movie/{window}", language=language, page=page)
    return TmdbRequest.of(LIST_PATHS[category], language=language, page=page)


def search_request(
    query: str, page: int, year: int | None, include_adult: bool, language: str
) -> TmdbRequest:
    return TmdbRequest.of(
        "/search/movie",
        query=query,
        page=page,
        year=year,
        include_adult=include_adult,
        language=language,
    )


def details_request(tmdb_id: int, language: str) -> TmdbRequest:
    return TmdbRequest.of(f"/movie/{int(tmdb_id)}", language=language)
