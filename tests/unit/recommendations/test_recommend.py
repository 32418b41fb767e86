"""RecommendMovies and ExplainMatch against in-memory fakes of their ports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from app.adapters.memory.cache import InMemoryCache
from app.adapters.postgres.binary_copy import decode, encode
from app.adapters.served_model import InMemoryServedModel
from app.bootstrap.use_cases import build_recommendations
from app.domain.accounts.users import User
from app.domain.recommendations.entities import CandidateMovie, CatalogueFacts, HistoryEntry
from app.domain.recommendations.ports import ModelProvider, RecommendationPorts
from app.domain.recommendations.quality import Votes
from app.domain.recommendations.use_cases import RecommendationUseCases
from app.domain.shared.errors import NotFound
from app.domain.shared.ports import Cache
from app.model_fitting.item_model import ModelParameters

CRIME, COMEDY = 80, 35
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def movie(movie_id: int, genre: int, count: int = 10) -> CandidateMovie:
    return CandidateMovie(
        movie_id, f"Movie {movie_id}", (genre,), 2000, "en", None, Votes(count, 4.0, 7.0, 100, 5.0)
    )


class FakeReader:
    def __init__(self, movies: list[CandidateMovie], history: list[HistoryEntry]) -> None:
        self.catalogue = {m.movie_id: m for m in movies}
        self.entries = history
        self.calls = 0

    async def history(self, user_id: int) -> list[HistoryEntry]:
        self.calls += 1
        return list(self.entries)

    async def movies(self, movie_ids: Collection[int]) -> list[CandidateMovie]:
        return [self.catalogue[i] for i in movie_ids if i in self.catalogue]

    async def best_known(
        self, *, genre: int | None, exclude: Collection[int], limit: int
    ) -> list[CandidateMovie]:
        found = [
            m
            for m in self.catalogue.values()
            if m.movie_id not in exclude and (genre is None or genre in m.genre_ids)
        ]
        return sorted(found, key=lambda m: -m.votes.ratings_count)[:limit]

    async def related_by_genre(self, *args: object, **kwargs: object) -> list[CandidateMovie]:
        return []

    async def catalogue_facts(self) -> CatalogueFacts:
        return CatalogueFacts({CRIME: 0.5, COMEDY: 0.5}, {CRIME: "Crime", COMEDY: "Comedy"}, 1000)

    async def tmdb_trending_ranks(self, *args: object, **kwargs: object) -> list[tuple[int, int]]:
        return []

    async def activity_since(self, *args: object, **kwargs: object) -> list[tuple[int, float]]:
        return []


class FakeModels:
    def __init__(self, model: InMemoryServedModel) -> None:
        self.model = model

    async def current(self) -> InMemoryServedModel:
        return self.model


def served(version: int, edges: Mapping[tuple[int, int], float]) -> InMemoryServedModel:
    return InMemoryServedModel.from_edges(
        version,
        np.array([a for a, _ in edges], dtype=np.int64),
        np.array([b for _, b in edges], dtype=np.int64),
        np.array(list(edges.values()), dtype=np.float64),
        ModelParameters(),
    )


def setup(history: list[HistoryEntry]) -> tuple[FakeReader, FakeModels, InMemoryCache]:
    # Movie 5 is the most rated; the model links movie 1 to 3 strongly and to 2 weakly.
    movies = [movie(1, CRIME), movie(2, CRIME), movie(3, COMEDY), movie(4, CRIME, 5)]
    movies.append(movie(5, CRIME, 500))
    return (
        FakeReader(movies, history),
        FakeModels(served(1, {(1, 3): 0.9, (1, 2): 0.1})),
        (InMemoryCache()),
    )


def recommendations(
    reader: FakeReader, models: ModelProvider, cache: Cache
) -> RecommendationUseCases:
    """The recommendation use cases as the composition root builds them, over the fakes."""
    return build_recommendations(RecommendationPorts(reading_of(reader), models), cache)


def reading_of(reader: FakeReader) -> Callable[[], AbstractAsyncContextManager[FakeReader]]:
    @asynccontextmanager
    async def open_reader() -> AsyncIterator[FakeReader]:
        yield reader

    return open_reader


USER = User(id=7, username="viewer", email="v@example.com", password_hash=None)
HEAT = HistoryEntry(1, "Heat", 5, (CRIME,), 1995, "en", NOW - timedelta(days=1))


async def test_the_list_is_in_the_order_of_its_match_score_which_the_model_leads() -> None:
    reader, models, cache = setup([HEAT])
    found = await recommendations(reader, models, cache).recommend(USER, limit=4)
    assert found[0].movie.movie_id == 3  # not Crime-first: the model's pick leads
    assert 1 not in {r.movie.movie_id for r in found}  # rated
    assert found[0].match.breakdown.rating_history == 30.0
    assert "Because you rated Heat ★★★★★ (100% of the model's score)" in found[0].match.reasons
    scores = [r.match.score for r in found]
    assert scores == sorted(scores, reverse=True)
    for r in found:
        parts = r.match.breakdown
        total = parts.genre_affinity + parts.rating_history + parts.quality_popularity
        assert r.match.score == pytest.approx(total, abs=0.05)
        assert r.model_version == 1
    assert {r.movie.movie_id for r in found} == {2, 3, 4, 5}


async def test_lists_are_cached_per_user_until_the_model_changes() -> None:
    reader, models, cache = setup([HEAT])
    recommend = recommendations(reader, models, cache).recommend
    first = await recommend(USER, limit=3)
    assert await recommend(USER, limit=3) == first
    assert reader.calls == 1
    models.model = served(2, {(1, 2): 0.9})
    second = await recommend(USER, limit=3)
    assert reader.calls == 2
    assert second[0].movie.movie_id == 2


async def test_anonymous_callers_get_quality_and_popularity() -> None:
    reader, models, cache = setup([])
    found = await recommendations(reader, models, cache).recommend(None, limit=2)
    assert [r.movie.movie_id for r in found] == [5, 1]
    assert all(r.match.breakdown.rating_history == 0 for r in found)
    assert reader.calls == 0


async def test_an_empty_catalogue_is_an_empty_list() -> None:
    reader = FakeReader([], [])
    models = FakeModels(InMemoryServedModel.empty())
    assert await recommendations(reader, models, InMemoryCache()).recommend(USER, 5) == []


async def test_explain_match_scores_one_movie_and_refuses_unknown_ones() -> None:
    reader, models, cache = setup([HEAT])
    result = await recommendations(reader, models, cache).explain_match(USER, 3)
    assert result.match.breakdown.rating_history == 30.0
    with pytest.raises(NotFound):
        await recommendations(reader, models, cache).explain_match(USER, 99)


def test_the_served_model_scores_excludes_and_explains() -> None:
    model = served(1, {(1, 3): 0.9, (1, 2): 0.1, (2, 3): 0.5, (3, 1): -0.4})
    assert model.score({1: 1.0}, exclude=[1], limit=5) == [(3, 0.9), (2, 0.1)]
    assert model.score({1: 1.0}, exclude=[3], limit=1) == [(2, 0.1)]
    assert model.score({42: 1.0}, exclude=[], limit=5) == []
    assert model.contributions({1: 2.0, 2: 1.0}, 3) == {1: 1.8, 2: 0.5}
    assert model.neighbours(1, 5) == [(3, 0.9), (2, 0.1)]
    assert model.neighbours(3, 5) == []  # only a negative weight


def test_an_empty_model_knows_nothing_and_fails_nothing() -> None:
    empty = InMemoryServedModel.empty()
    assert empty.score({1: 1.0}, exclude=[2], limit=5) == []
    assert empty.contributions({1: 1.0}, 2) == {}
    assert empty.neighbours(2**63 - 1, 10) == []


def test_binary_copy_round_trips() -> None:
    columns = [np.array([1, 2**40]), np.array([3, 4]), np.array([0.5, -1.25])]
    types = [">i8", ">i2", ">f8"]
    decoded = decode(encode(columns, types), types)
    assert [c.tolist() for c in decoded] == [c.tolist() for c in columns]
