"""TMDb's trending rank per window, replaced wholesale by each trending sync.

Revision ID: 8d20
Revises: 7c10
Create Date: 2026-11-24 19:15:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8d20"
down_revision: str | None = "7c10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tmdb_trending",
        sa.Column("time_window", sa.String(length=4), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("movie_id", sa.BigInteger(), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "time_window IN ('day', 'week')", name=op.f("ck_tmdb_trending_time_window_known")
        ),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_tmdb_trending_rank_positive")),
        sa.ForeignKeyConstraint(
            ["movie_id"],
            ["movies.id"],
            name=op.f("fk_tmdb_trending_movie_id_movies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("time_window", "rank", name=op.f("pk_tmdb_trending")),
        sa.UniqueConstraint(
            "time_window", "movie_id", name=op.f("uq_tmdb_trending_time_window_movie_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("tmdb_trending")
