"""The tables behind recommendations: the built models with their item neighbours, and TMDb's
trending ranks (written by the TMDb sync, blended into trending movies)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from app.adapters.postgres.metadata import metadata

# One row per model build; the newest row is the model every replica serves.
recommender_models = sa.Table(
    "recommender_models",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("algorithm", sa.String(50), nullable=False),
    sa.Column("parameters", JSONB, nullable=False, server_default="{}"),
    sa.Column("items_count", sa.Integer, nullable=False),
    sa.Column("ratings_count", sa.Integer, nullable=False),
    sa.Column("build_seconds", sa.Float, nullable=False),
    sa.Column("built_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

# weight: how much having rated `neighbour_id` raises the score of `movie_id`.
item_neighbours = sa.Table(
    "item_neighbours",
    metadata,
    sa.Column(
        "model_id",
        sa.BigInteger,
        sa.ForeignKey("recommender_models.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column(
        "movie_id", sa.BigInteger, sa.ForeignKey("movies.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "neighbour_id",
        sa.BigInteger,
        sa.ForeignKey("movies.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("weight", sa.Float, nullable=False),
    sa.PrimaryKeyConstraint("model_id", "movie_id", "neighbour_id"),
    # Serving reads the rows whose neighbour is one of the user's rated movies.
    sa.Index("ix_item_neighbours_model_id_neighbour_id", "model_id", "neighbour_id"),
)

# TMDb's trending list per window as of its last sync; each trending sync replaces its window.
tmdb_trending = sa.Table(
    "tmdb_trending",
    metadata,
    sa.Column("time_window", sa.String(4), nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column(
        "movie_id", sa.BigInteger, sa.ForeignKey("movies.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("time_window", "rank"),
    sa.UniqueConstraint("time_window", "movie_id"),
    sa.CheckConstraint("time_window IN ('day', 'week')", name="time_window_known"),
    sa.CheckConstraint("rank >= 1", name="rank_positive"),
)
