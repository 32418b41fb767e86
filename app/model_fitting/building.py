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

ALGORITHM = "ease-pruned"


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


@dataclass(frozen=True, slots=True)
class BuiltModel:
    model_id: int
    items: int
    ratings: int
    weights: int
    seconds: float


async def build_and_store(
    database: Any,
    store_for: Callable[[Any], ModelStore],
    parameters: ModelParameters | None = None,
) -> BuiltModel:
    """Read a snapshot of the ratings, fit in a thread, store and commit in one transaction.
    `store_for(unit_of_work)` gives the store on that unit of work's connection."""
    parameters = parameters or ModelParameters()
    started = time.perf_counter()
    async with database.unit_of_work() as uow:
        store = store_for(uow)
        log = await store.rating_log()
        model = await asyncio.to_thread(fit_item_model, log, parameters)
        seconds = time.perf_counter() - started
        model_id = await store.save(
            FittedModel(
                algorithm=ALGORITHM,
                parameters=parameters.as_dict(),
                weights=model.weights,
                item_ids=log.item_ids,
                ratings_count=len(log),
                build_seconds=seconds,
            )
        )
        await uow.commit()
    return BuiltModel(model_id, log.items_count, len(log), model.weights.nnz, seconds)
