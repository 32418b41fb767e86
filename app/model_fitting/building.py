"""Building the served model: every rating in, pruned item weights out, stored as a new
version. The fit runs in a worker thread so that an event loop serving requests never waits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp

from app.model_fitting.item_model import ModelParameters, fit_item_model
from app.model_fitting.rating_log import RatingLog
from app.model_fitting.tuning import Grid, tune

ALGORITHM = "ease-pruned"
TUNING_USERS = 2_000  # users each validation split scores when tuning on live ratings


@dataclass(frozen=True, slots=True)
class FittedModel:
    """A fit to store: the weights between item codes, and the movie id of each code."""

    algorithm: str
    parameters: dict[str, float]
    weights: sp.csr_matrix
    item_ids: np.ndarray
    ratings_count: int
    build_seconds: float


class ModelStore(Protocol):
    """Where ratings come from and built models go (PostgreSQL in production)."""

    async def rating_log(self) -> RatingLog: ...

    async def save(self, model: FittedModel) -> int: ...

    async def record_build_seconds(self, model_id: int, seconds: float) -> None: ...


@dataclass(frozen=True, slots=True)
class BuiltModel:
    model_id: int
    items: int
    ratings: int
    weights: int
    seconds: float  # reading, tuning, fitting and storing: the whole build
    parameters: ModelParameters


async def build_and_store(
    database: Any,
    store_for: Callable[[Any], ModelStore],
    parameters: ModelParameters | None = None,
    grid: Grid | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuiltModel:
    """Read a snapshot of the ratings, fit in a thread, store and commit in one transaction.
    With `grid`, the parameters are chosen on validation splits of these ratings first (over
    that grid; `parameters` is then the base the grid varies). The stored build time covers
    everything up to the last write; `store_for(unit_of_work)` gives the store on that unit
    of work's connection."""
    started = time.perf_counter()
    async with database.unit_of_work() as uow:
        store = store_for(uow)
        log = await store.rating_log()
        if grid is not None and len(log) > 0:
            tuning = await asyncio.to_thread(
                tune, log, 0.2, 10, parameters, grid, TUNING_USERS, progress
            )
            parameters = tuning.best
        parameters = parameters or ModelParameters()
        model = await asyncio.to_thread(fit_item_model, log, parameters)
        model_id = await store.save(
            FittedModel(
                algorithm=ALGORITHM,
                parameters=parameters.as_dict(),
                weights=model.weights,
                item_ids=log.item_ids,
                ratings_count=len(log),
                build_seconds=time.perf_counter() - started,
            )
        )
        await store.record_build_seconds(model_id, time.perf_counter() - started)
        await uow.commit()
    seconds = time.perf_counter() - started
    return BuiltModel(model_id, log.items_count, len(log), model.weights.nnz, seconds, parameters)
