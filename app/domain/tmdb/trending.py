"""TMDb's trending rank as the catalogue keeps it: each movie's position in the list a trending
sync fetched, one list per window, replaced wholesale by the next sync of that window."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.domain.catalogue.movies import MovieData
from app.domain.shared.ports import Database
from app.domain.tmdb.ports import TrendingWindow

# TMDb's lists always hold 20 movies a page, so page n starts at rank 20·(n - 1) + 1.
TMDB_PAGE_SIZE = 20


def trending_ranks(pages: Mapping[int, Sequence[MovieData]]) -> list[tuple[int, int]]:
    """(rank, TMDb id) for the movies of the fetched pages, best first. A movie listed twice
    (the list shifted while we paged) keeps its better rank; a failed page leaves a gap."""
    best: dict[int, int] = {}
    for number in sorted(pages):
        for index, movie in enumerate(pages[number]):
            rank = (number - 1) * TMDB_PAGE_SIZE + index + 1
            if movie.tmdb_id is not None and movie.tmdb_id not in best:
                best[movie.tmdb_id] = rank
    return sorted((rank, tmdb_id) for tmdb_id, rank in best.items())


class StoreTrendingRanks:
    """Replaces the window's stored ranks with the fetched pages' in one transaction, once the
    movies are in the catalogue. Without page 1 (the top of the list) the previous ranks stay,
    to age out by the staleness bound rather than be replaced by a headless list."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(
        self, window: TrendingWindow, pages: Mapping[int, Sequence[MovieData]]
    ) -> int:
        if 1 not in pages:
            return 0
        ranked = trending_ranks(pages)
        async with self._database.unit_of_work() as uow:
            local = await uow.catalogue.local_ids(tmdb_id for _, tmdb_id in ranked)
            rows = [(rank, local[tmdb_id]) for rank, tmdb_id in ranked if tmdb_id in local]
            await uow.catalogue.replace_trending(window, rows)
            await uow.commit()
        return len(rows)
