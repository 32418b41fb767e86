"""`PostgresModelStore`: the ratings a model is built from, and the built models, in PostgreSQL,
so that every replica serves the same version (the newest row of `recommender_models`)."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.binary_copy import copy_in, copy_out
from app.model_fitting.freshness import RatingsSinceModel

if TYPE_CHECKING:  # the fitting code (scipy) is imported where a build runs, not by serving
    from app.model_fitting.building import FittedModel
    from app.model_fitting.rating_log import RatingLog

KEEP_MODELS = 2  # the one served and the one before it, for replicas still reading it


class PostgresModelStore:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def rating_log(self) -> RatingLog:
        """Every rating, as arrays: one COPY-speed read, whatever the table's size."""
        from app.model_fitting.rating_log import RatingLog

        driver = (await self._connection.get_raw_connection()).driver_connection
        assert driver is not None
        user, movie, score, rated_at = await copy_out(
            driver,
            "SELECT user_id, movie_id, score, extract(epoch FROM created_at)::float8 FROM ratings",
            [">i8", ">i8", ">i2", ">f8"],
        )
        # Sorting a million ratings takes a while: off the event loop.
        return await asyncio.to_thread(RatingLog.from_ids, user, movie, score, rated_at)

    async def save(self, model: FittedModel) -> int:
        """Store the weights under a new model id (item codes translated back to movie ids)
        and drop models older than the last `KEEP_MODELS`. The caller commits."""
        model_id = int(
            await self._connection.scalar(
                text(
                    "INSERT INTO recommender_models (algorithm, parameters, items_count, "
                    "ratings_count, build_seconds) VALUES (:algorithm, CAST(:parameters AS jsonb),"
                    " :items, :ratings, :seconds) RETURNING id"
                ),
                {
                    "algorithm": model.algorithm,
                    "parameters": json.dumps(model.parameters),
                    "items": int(model.weights.shape[0]),
                    "ratings": model.ratings_count,
                    "seconds": model.build_seconds,
                },
            )
        )
        coo, movie_ids = model.weights.tocoo(), model.item_ids
        driver = (await self._connection.get_raw_connection()).driver_connection
        assert driver is not None
        # Row i, column j: having rated i raises j; stored as movie j's neighbour i.
        await copy_in(
            driver,
            "item_neighbours",
            ["model_id", "movie_id", "neighbour_id", "weight"],
            [np.full(coo.nnz, model_id), movie_ids[coo.col], movie_ids[coo.row], coo.data],
            [">i8", ">i8", ">i8", ">f8"],
        )
        await self._connection.execute(
            text(
                "DELETE FROM recommender_models WHERE id NOT IN "
                "(SELECT id FROM recommender_models ORDER BY id DESC LIMIT :keep)"
            ),
            {"keep": KEEP_MODELS},
        )
        return model_id

    async def record_build_seconds(self, model_id: int, seconds: float) -> None:
        """The whole build's time, written last (the weights' COPY is a good part of it)."""
        await self._connection.execute(
            text("UPDATE recommender_models SET build_seconds = :seconds WHERE id = :id"),
            {"seconds": seconds, "id": model_id},
        )

    async def latest_model_id(self) -> int | None:
        value = await self._connection.scalar(text("SELECT max(id) FROM recommender_models"))
        return int(value) if value is not None else None

    async def ratings_since_model(self) -> RatingsSinceModel:
        """The counts the refresh rule needs, in one statement (an index range for the new)."""
        row = (
            await self._connection.execute(
                text(
                    "SELECT m.ratings_count, (SELECT count(*) FROM ratings), "
                    "(SELECT count(*) FROM ratings WHERE created_at > m.built_at) "
                    "FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT ratings_count, built_at "
                    "FROM recommender_models ORDER BY id DESC LIMIT 1) AS m ON true"
                )
            )
        ).one()
        return RatingsSinceModel(row[0], int(row[1]), int(row[2] or 0))
