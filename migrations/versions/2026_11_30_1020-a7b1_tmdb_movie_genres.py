"""The 19 TMDb movie genres come with the schema, so that staff can add movies and users pick
favourite genres on a fresh database, before any TMDb sync (which keeps them up to date).

Revision ID: a7b1
Revises: a7c4
Create Date: 2026-11-30 10:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7b1"
down_revision: str | None = "a7c4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TMDB_MOVIE_GENRES = [
    (28, "Action"),
    (12, "Adventure"),
    (16, "Animation"),
    (35, "Comedy"),
    (80, "Crime"),
    (99, "Documentary"),
    (18, "Drama"),
    (10751, "Family"),
    (14, "Fantasy"),
    (36, "History"),
    (27, "Horror"),
    (10402, "Music"),
    (9648, "Mystery"),
    (10749, "Romance"),
    (878, "Science Fiction"),
    (10770, "TV Movie"),
    (53, "Thriller"),
    (10752, "War"),
    (37, "Western"),
]


def upgrade() -> None:
    insert = sa.text("INSERT INTO genres (id, name) VALUES (:id, :name) ON CONFLICT DO NOTHING")
    for genre_id, name in TMDB_MOVIE_GENRES:
        op.execute(insert.bindparams(id=genre_id, name=name))


def downgrade() -> None:
    # Only the genres nothing points at: a movie or a profile never names a missing genre.
    op.execute(
        sa.text(
            "DELETE FROM genres WHERE id = ANY(:ids) "
            "AND NOT EXISTS (SELECT 1 FROM movies WHERE genres.id = ANY(movies.genre_ids)) "
            "AND NOT EXISTS (SELECT 1 FROM users WHERE genres.id = ANY(users.favorite_genres))"
        ).bindparams(sa.bindparam("ids", [genre_id for genre_id, _ in TMDB_MOVIE_GENRES]))
    )
