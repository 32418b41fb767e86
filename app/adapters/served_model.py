"""The served model in each replica's memory: the newest stored version, loaded once per
version. Scoring a user with 200 ratings is a sparse row sum, well under a millisecond."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.adapters.postgres.binary_copy import copy_out
from app.model_fitting.parameters import ModelParameters

Gathered = tuple[np.ndarray, np.ndarray, np.ndarray]  # (row's movie id, column, weight) each


class InMemoryServedModel:
    """`weights[i, j]`: how much having rated movie `ids[i]` raises movie `ids[j]`, as plain
    compressed rows (numpy only: serving never imports the fitting code or scipy, which a
    process that only serves would carry for nothing)."""

    def __init__(
        self, version: int | None, ids: np.ndarray, rows: Compressed, parameters: ModelParameters
    ) -> None:
        self.version = version
        self._ids = ids
        self._rows = rows  # rows only: a transposed copy would double the memory
        self._parameters = parameters
        self._gathered: tuple[Mapping[int, float], Gathered] | None = None

    @classmethod
    def from_edges(
        cls,
        version: int | None,
        sources: np.ndarray,
        targets: np.ndarray,
        weights: np.ndarray,
        parameters: ModelParameters,
    ) -> InMemoryServedModel:
        """The model whose weight from movie `sources[k]` to movie `targets[k]` is
        `weights[k]` (movie ids, as stored)."""
        ids = np.union1d(sources, targets).astype(np.int64)
        # Positions as int32: the model is most of a worker's memory (12 bytes a weight).
        rows = Compressed.of(
            len(ids),
            np.searchsorted(ids, sources).astype(np.int32),
            np.searchsorted(ids, targets).astype(np.int32),
            np.asarray(weights, dtype=np.float64),
        )
        return cls(version, ids, rows, parameters)

    @classmethod
    def empty(cls) -> InMemoryServedModel:
        nothing = np.zeros(0, dtype=np.int64)
        return cls.from_edges(None, nothing, nothing, nothing, ModelParameters())

    @property
    def like_weight(self) -> float:
        return self._parameters.like_weight

    @property
    def recency_scale(self) -> float:
        return self._parameters.recency_scale

    @property
    def recency_floor(self) -> float:
        return self._parameters.recency_floor

    def _codes(self, movie_ids: Collection[int]) -> tuple[np.ndarray, np.ndarray]:
        """The model's codes of the movies it knows, and which of `movie_ids` those are."""
        wanted = np.fromiter(movie_ids, dtype=np.int64, count=len(movie_ids))
        if len(self._ids) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(len(wanted), dtype=bool)
        codes = np.searchsorted(self._ids, wanted)
        known = (codes < len(self._ids)) & (
            self._ids[np.minimum(codes, len(self._ids) - 1)] == wanted
        )
        return codes[known], known

    def score(
        self, profile: Mapping[int, float], exclude: Collection[int], limit: int
    ) -> list[tuple[int, float]]:
        if len(self._ids) == 0 or not profile:
            return []
        codes, known = self._codes(list(profile))
        if len(codes) == 0:
            return []
        weights = np.fromiter(profile.values(), dtype=np.float64, count=len(profile))[known]
        scores = self._rows.weighted_sum(codes, weights)
        excluded, _ = self._codes(list(exclude))
        scores[excluded] = 0.0
        positive = np.flatnonzero(scores > 0)
        if len(positive) > limit:
            positive = positive[np.argpartition(-scores[positive], limit - 1)[:limit]]
        best = positive[np.lexsort((self._ids[positive], -scores[positive]))]
        return [(int(self._ids[c]), float(scores[c])) for c in best]

    def contributions(self, profile: Mapping[int, float], movie_id: int) -> dict[int, float]:
        target, _ = self._codes([movie_id])
        if len(target) == 0 or not profile:
            return {}
        sources, targets, weights = self._rows_of(profile)
        mine = targets == target[0]
        return {
            source: weight * profile[source]
            for source, weight in zip(sources[mine].tolist(), weights[mine].tolist(), strict=True)
        }

    def _rows_of(self, profile: Mapping[int, float]) -> Gathered:
        """Every entry of the rows of the movies in `profile`: (its row's movie id, its column,
        its weight). Kept for the last profile asked: a list explains each of its items against
        the same profile, so the rows are gathered once rather than once an item."""
        if self._gathered is not None and self._gathered[0] is profile:
            return self._gathered[1]
        movies = np.fromiter(profile, dtype=np.int64, count=len(profile))
        codes, known = self._codes(movies.tolist())
        positions, owners = self._rows.entries(codes)
        gathered = (
            movies[known][owners],
            self._rows.indices[positions],
            self._rows.values[positions],
        )
        self._gathered = (profile, gathered)
        return gathered

    def neighbours(self, movie_id: int, limit: int) -> list[tuple[int, float]]:
        source, _ = self._codes([movie_id])
        if len(source) == 0:
            return []
        codes, weights = self._rows.line(int(source[0]))
        order = np.argsort(-weights, kind="stable")[:limit]
        return [(int(self._ids[codes[i]]), float(weights[i])) for i in order if weights[i] > 0]


@dataclass(frozen=True)
class Compressed:
    """A square sparse matrix as compressed lines (CSR when the lines are rows): line `k`'s
    entries are `indices[starts[k]:starts[k + 1]]` with values `values[...]`."""

    starts: np.ndarray
    indices: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, n: int, lines: np.ndarray, others: np.ndarray, values: np.ndarray) -> Compressed:
        order = np.lexsort((others, lines))
        counts = np.bincount(lines, minlength=n)
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        return cls(starts, others[order], values[order])

    def line(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.starts[k], self.starts[k + 1]
        return self.indices[start:end], self.values[start:end]

    def entries(self, lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The positions of every entry of the chosen lines, gathered in one pass, and for
        each which of `lines` it belongs to."""
        starts, ends = self.starts[lines], self.starts[lines + 1]
        lengths = ends - starts
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        positions = offsets + np.arange(int(lengths.sum()), dtype=np.int64)
        return positions, np.repeat(np.arange(len(lines)), lengths)

    def weighted_sum(self, lines: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """`sum(weights[i] * line(lines[i]))` as a dense vector over the columns."""
        positions, owners = self.entries(lines)
        contributions = self.values[positions] * weights[owners]
        return np.bincount(  # float64, as `weights` makes it
            self.indices[positions], weights=contributions, minlength=len(self.starts) - 1
        )


class PostgresModelProvider:
    """Checks for a newer stored version at most every `check_seconds`; while one caller loads
    it, the others keep the version they have."""

    def __init__(self, engine: AsyncEngine, check_seconds: float) -> None:
        self._engine = engine
        self._check_seconds = check_seconds
        self._model = InMemoryServedModel.empty()
        self._checked = -float("inf")
        self._loading = asyncio.Lock()

    @property
    def loaded(self) -> InMemoryServedModel:
        """The version in memory now, without looking for a newer one."""
        return self._model

    async def current(self) -> InMemoryServedModel:
        if time.monotonic() - self._checked < self._check_seconds:
            return self._model
        if self._loading.locked() and self._model.version is not None:
            return self._model
        await self.refresh()
        return self._model

    async def refresh(self) -> bool:
        """Load the newest stored version if it is not the one in memory; True when loaded.
        The service calls it at start and on a schedule, so requests rarely wait for a load."""
        async with self._loading:
            loaded = False
            async with self._engine.connect() as connection:
                latest = await connection.scalar(text("SELECT max(id) FROM recommender_models"))
                if latest is not None and latest != self._model.version:
                    self._model = await self._load(connection, int(latest))
                    loaded = True
            self._checked = time.monotonic()
        return loaded

    async def _load(self, connection: object, version: int) -> InMemoryServedModel:
        from sqlalchemy.ext.asyncio import AsyncConnection

        assert isinstance(connection, AsyncConnection)
        raw = json.loads(
            json.dumps(
                await connection.scalar(
                    text("SELECT parameters FROM recommender_models WHERE id = :id"),
                    {"id": version},
                )
            )
        )
        raw.setdefault("recency_floor", 0.0)  # stored before the floor existed: pure decay
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None
        sources, targets, weights = await copy_out(
            driver,
            "SELECT neighbour_id, movie_id, weight FROM item_neighbours WHERE model_id = $1",
            [">i8", ">i8", ">f8"],
            version,
        )
        return await asyncio.to_thread(
            InMemoryServedModel.from_edges,
            version,
            sources,
            targets,
            weights,
            ModelParameters(**raw),
        )
