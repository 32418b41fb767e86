"""Recommender models: one row per build, and the item neighbour weights it learnt.

Revision ID: 6a01
Revises: 0001
Create Date: 2026-11-24 18:18:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "6a01"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recommender_models",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("algorithm", sa.String(length=50), nullable=False),
        sa.Column(
            "parameters",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("items_count", sa.Integer(), nullable=False),
        sa.Column("ratings_count", sa.Integer(), nullable=False),
        sa.Column("build_seconds", sa.Float(), nullable=False),
        sa.Column(
            "built_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommender_models")),
    )
    op.create_table(
        "item_neighbours",
        sa.Column("model_id", sa.BigInteger(), nullable=False),
        sa.Column("movie_id", sa.BigInteger(), nullable=False),
        sa.Column("neighbour_id", sa.BigInteger(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["recommender_models.id"],
            name=op.f("fk_item_neighbours_model_id_recommender_models"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["movie_id"],
            ["movies.id"],
            name=op.f("fk_item_neighbours_movie_id_movies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["neighbour_id"],
            ["movies.id"],
            name=op.f("fk_item_neighbours_neighbour_id_movies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "model_id", "movie_id", "neighbour_id", name=op.f("pk_item_neighbours")
        ),
    )
    op.create_index(
        "ix_item_neighbours_model_id_neighbour_id",
        "item_neighbours",
        ["model_id", "neighbour_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_item_neighbours_model_id_neighbour_id", table_name="item_neighbours")
    op.drop_table("item_neighbours")
    op.drop_table("recommender_models")
