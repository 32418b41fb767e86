"""The ports the recommendation use cases need: catalogue reads and the served model."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from app.domain.recommendations.entities import CandidateMovie, CatalogueFacts, HistoryEntry


class RecommendationReader(Protocol):
    """Reads for one request, each a single statement whatever the user's history."""

    async def history(self, user_id: int) -> list[HistoryEntry]: ...

    async def movies(self, movie_ids: Collection[int]) -> list[CandidateMovie]: ...

    async def best_known(
        self, *, genre: int | None, exclude: Collection[int], limit: int
    ) -> list[CandidateMovie]:
        """Movies by votes and popularity (cold start and filling up a short list)."""
        ...

    async def related_by_genre(
        self, genre_ids: Collection[int], *, exclude: Collection[int], limit: int
    ) -> list[CandidateMovie]:
        """Movies sharing a genre, most voted first (content neighbours of unrated movies)."""
        ...

    async def catalogue_facts(self) -> CatalogueFacts: ...

    async def activity_since(
        self, since: datetime, half_life_hours: float, *, genre: int | None, limit: int
    ) -> list[tuple[int, float]]:
        """Movies with ratings, reviews or playlist additions since `since`, each event
        weighted by 2^(-age / half-life); the most active first."""
        ...

    async def tmdb_trending_ranks(
        self, window: str, synced_since: datetime, *, genre: int | None, limit: int
    ) -> list[tuple[int, int]]:
        """(movie id, rank) of TMDb's trending list for the window if it was synced since
        `synced_since`, best rank first; empty when there is none that fresh."""
        ...


class ServedModel(Protocol):
    """One version of the item-to-item model, read by every replica from the same store."""

    @property
    def version(self) -> int | None: ...

    @property
    def like_weight(self) -> float: ...

    @property
    def recency_scale(self) -> float: ...

    @property
    def recency_floor(self) -> float: ...

    def score(
        self, profile: Mapping[int, float], exclude: Collection[int], limit: int
    ) -> list[tuple[int, float]]:
        """The best `limit` movies for a weighted profile {movie id: weight}, best first;
        movies the model gives nothing are left out."""
        ...

    def contributions(self, profile: Mapping[int, float], movie_id: int) -> dict[int, float]:
        """How much each profile movie adds to `movie_id`'s score."""
        ...

    def neighbours(self, movie_id: int, limit: int) -> list[tuple[int, float]]: ...


class ModelProvider(Protocol):
    async def current(self) -> ServedModel:
        """The newest stored model (an empty one before the first build)."""
        ...


@dataclass(frozen=True, slots=True)
class RecommendationPorts:
    """What the recommendation routes need: a reader per use case and the served model."""

    reading: Callable[[], AbstractAsyncContextManager[RecommendationReader]]
    models: ModelProvider
