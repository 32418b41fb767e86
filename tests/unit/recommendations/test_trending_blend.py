"""The trending blend, TMDb ranks from fetched pages, and `TrendingMovies` against fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.memory.cache import InMemoryCache
from app.domain.catalogue.movies import MovieData
from app.domain.recommendations.entities import CandidateMovie
from app.domain.recommendations.quality import Votes
from app.domain.recommendations.trending import TrendingMovies
from app.domain.recommendations.trending_blend import rank_signal, trending_scores
from app.domain.tmdb.trending import StoreTrendingRanks, trending_ranks
from tests.support.fakes import FakeDatabase

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_the_rank_signal_is_a_smoothed_reciprocal_rank() -> None:
    assert rank_signal(1) == 1.0
    assert rank_signal(10) == pytest.approx(10 / 19)
    assert rank_signal(100) == pytest.approx(10 / 109)
    assert [rank_signal(r) for r in (1, 2, 3)] == sorted(
        (rank_signal(r) for r in (1, 2, 3)), reverse=True
    )


def test_local_activity_outranks_tmdbs_first_and_the_rank_orders_the_rest() -> None:
    # 1: hot here, not listed; 2: TMDb's first; 3: TMDb's fifth, a little activity; 4: neither.
    scores = trending_scores(
        [1, 2, 3, 4], {1: 8.0, 3: 2.0}, {2: 1, 3: 5}, {1: 1.0, 2: 1.0, 3: 1.0, 4: 900.0}
    )
    assert scores == {1: 0.7, 2: 0.3, 3: round(0.7 * 0.25 + 0.3 * 10 / 14, 4), 4: 0.0}
    assert sorted(scores, key=lambda i: -scores[i]) == [1, 3, 2, 4]


def test_without_ranks_popularity_speaks_for_tmdb() -> None:
    scores = trending_scores([1, 2, 3], {1: 4.0}, {}, {1: 0.0, 2: 99.0, 3: 9.0})
    assert scores[1] == 0.7 and scores[2] == 0.3
    assert scores[3] == pytest.approx(0.3 * 0.5, abs=1e-4)  # log(10) / log(100)
    assert trending_scores([1], {}, {}, {1: 0.0}) == {1: 0.0}


def listed(*tmdb_ids: int) -> list[MovieData]:
    return [MovieData(title=f"Film {i}", tmdb_id=i) for i in tmdb_ids]


def test_ranks_follow_the_pages_and_a_repeated_movie_keeps_its_best() -> None:
    pages = {2: listed(7, 8), 1: listed(5, 6, 7)}
    assert trending_ranks(pages) == [(1, 5), (2, 6), (3, 7), (22, 8)]
    assert trending_ranks({3: listed(9)}) == [(41, 9)]


async def test_storing_ranks_needs_page_one_and_replaces_the_window() -> None:
    database = FakeDatabase()
    async with database.unit_of_work() as uow:
        await uow.catalogue.upsert_movies(listed(5, 6, 7))
        await uow.commit()
    store = StoreTrendingRanks(database)
    assert await store("day", {1: listed(6, 5, 99)}) == 2  # 99 is not in the catalogue
    assert database.store.trending == {"day": [(1, 2), (2, 1)]}
    assert await store("day", {2: listed(7)}) == 0
    assert database.store.trending["day"] == [(1, 2), (2, 1)]
    assert await store("day", {1: listed(7)}) == 1
    assert database.store.trending == {"day": [(1, 3)]}


def candidate(movie_id: int, popularity: float) -> CandidateMovie:
    return CandidateMovie(
        movie_id, f"M{movie_id}", (18,), 2000, "en", None, Votes(0, None, 7.0, 10, popularity)
    )


class TrendingReader:
    def __init__(self, ranks: list[tuple[int, int]], synced_at: datetime) -> None:
        self.catalogue = {i: candidate(i, p) for i, p in ((1, 1.0), (2, 1.0), (3, 50.0))}
        self.ranks, self.synced_at = ranks, synced_at

    async def movies(self, movie_ids: Collection[int]) -> list[CandidateMovie]:
        return [self.catalogue[i] for i in movie_ids if i in self.catalogue]

    async def best_known(
        self, *, genre: int | None, exclude: Collection[int], limit: int
    ) -> list[CandidateMovie]:
        return [m for i, m in self.catalogue.items() if i not in exclude][:limit]

    async def activity_since(self, *args: object, **kwargs: object) -> list[tuple[int, float]]:
        return [(1, 3.0)]

    async def tmdb_trending_ranks(
        self, window: str, synced_since: datetime, *, genre: int | None, limit: int
    ) -> list[tuple[int, int]]:
        return self.ranks if self.synced_at >= synced_since else []


def trending(reader: TrendingReader, cache: InMemoryCache) -> TrendingMovies:
    @asynccontextmanager
    async def reading() -> AsyncIterator[TrendingReader]:
        yield reader

    return TrendingMovies(reading, cache)


async def test_a_fresh_rank_is_blended_and_survives_the_cache() -> None:
    cache = InMemoryCache()
    found = await trending(TrendingReader([(2, 1)], NOW - timedelta(hours=3)), cache)(
        "day", 3, None, NOW
    )
    assert [(t.movie.movie_id, t.tmdb_rank, t.score) for t in found] == [
        (1, None, 0.7),
        (2, 1, 0.3),
        (3, None, 0.0),
    ]
    again = await trending(TrendingReader([], NOW), cache)("day", 3, None, NOW)
    assert again == found


async def test_a_stale_rank_falls_back_to_popularity() -> None:
    stale = TrendingReader([(2, 1)], NOW - timedelta(days=2, seconds=1))
    found = await trending(stale, InMemoryCache())("day", 3, None, NOW)
    assert [t.movie.movie_id for t in found] == [1, 3, 2]
    assert all(t.tmdb_rank is None for t in found) and found[1].score == 0.3
    week_old = TrendingReader([(2, 1)], NOW - timedelta(days=13))
    found = await trending(week_old, InMemoryCache())("week", 3, None, NOW)
    assert found[1].movie.movie_id == 2 and found[1].tmdb_rank == 1
