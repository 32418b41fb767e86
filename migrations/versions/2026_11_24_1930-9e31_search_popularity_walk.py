"""A covering index for the search's walk down the popularity order.

A search for a common word takes its most popular matches by walking the movies in popularity
order and testing each one's search document. Covering the document (and the folded title, for
title prefixes) lets that walk run on the index alone instead of fetching a table row for each
movie tested: about twice as fast for a word in a few percent of the catalogue.

Revision ID: 9e31
Revises: 8d20
Create Date: 2026-11-24 19:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9e31"
down_revision: str | None = "8d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_movies_popularity_search",
        "movies",
        [sa.text("popularity DESC"), sa.text("id DESC")],
        postgresql_include=["title_folded", "search_vector"],
    )


def downgrade() -> None:
    op.drop_index("ix_movies_popularity_search", table_name="movies")
