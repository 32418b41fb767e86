"""An in-memory TMDb port for unit tests: the fake server's data without HTTP, counting calls,
with failures to order per page."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from app.adapters.tmdb import normalise
from app.domain.catalogue.movies import Genre
from app.domain.shared.errors import DomainError
from app.domain.tmdb.ports import (
    MAX_PAGE,
    ListCategory,
    TmdbClient,
    TmdbMovieDetails,
    TmdbNotFound,
    TmdbPage,
    TmdbRequestRejected,
    TrendingWindow,
)
from tests.support import fake_tmdb_data as data


class InMemoryTmdbClient:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.failing_pages: dict[int, DomainError] = {}

    async def genres(self) -> tuple[Genre, ...]:
        self.calls["genres"] += 1
        return normalise.genres_from_body(data.genre_list())

    async def movie_list(
        self, category: ListCategory, page: int = 1, *, window: TrendingWindow = "day"
    ) -> TmdbPage:
        self.calls[category] += 1
        if page in self.failing_pages:
            raise self.failing_pages[page]
        if page > MAX_PAGE:
            raise TmdbRequestRejected("page must be less than or equal to 500")
        return normalise.page_from_body(data.list_page(category, page))

    async def search(
        self, query: str, *, page: int = 1, year: int | None = None, include_adult: bool = False
    ) -> TmdbPage:
        self.calls["search"] += 1
        return normalise.page_from_body(data.search(query, page))

    async def movie(self, tmdb_id: int) -> TmdbMovieDetails:
        self.calls["movie"] += 1
        body = data.details(tmdb_id)
        if body is None:
            raise TmdbNotFound(f"TMDb has no movie with id {tmdb_id}.")
        return normalise.details_from_body(body)


if TYPE_CHECKING:  # mypy checks that the fake implements the whole port
    _CLIENT: TmdbClient = InMemoryTmdbClient()
