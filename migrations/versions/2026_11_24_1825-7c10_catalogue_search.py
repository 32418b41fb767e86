"""Catalogue search and the indexes behind every movie filter and ordering.

A folding function (built-ins only: the embedded PostgreSQL has no `unaccent` or `pg_trgm`), a
folded title with a pattern index for exact and prefix matches, a weighted full-text document with
a GIN index, and btree indexes for the filters and orderings the initial schema did not cover.

Revision ID: 7c10
Revises: 6a01
Create Date: 2026-11-24 18:25:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7c10"
down_revision: str | None = "6a01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of app/adapters/postgres/folding.py at this revision.
ACCENTED = (
    "àÀáÁâÂãÃäÄåÅāĀăĂąĄçÇćĆĉĈċĊčČďĎđĐèÈéÉêÊëËēĒĕĔėĖęĘěĚĝĜğĞġĠģĢĥĤħĦìÌíÍîÎïÏĩĨīĪĭĬįĮıİĵĴķĶĺĹļĻľĽ"
    "ŀĿłŁñÑńŃņŅňŇòÒóÓôÔõÕöÖøØōŌŏŎőŐŕŔŗŖřŘśŚŝŜşŞšŠșȘţŢťŤŧŦțȚùÙúÚûÛüÜũŨūŪŭŬůŮűŰųŲŵŴýÝÿŸŷŶźŹżŻžŽ"
)
PLAIN = (
    "aaaaaaaaaaaaaaaaaaccccccccccddddeeeeeeeeeeeeeeeeeegggggggghhhhiiiiiiiiiiiiiiiiiijjkkllllll"
    "llllnnnnnnnnoooooooooooooooooorrrrrrssssssssssttttttttuuuuuuuuuuuuuuuuuuuuwwyyyyyyzzzzzz"
)


def upgrade() -> None:
    op.execute(
        "CREATE FUNCTION nexus_fold(value text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $$ SELECT translate(lower(value), '{ACCENTED}', '{PLAIN}') $$"
    )
    op.add_column(
        "movies",
        sa.Column("title_folded", sa.Text(), sa.Computed("nexus_fold(title)", persisted=True)),
    )
    op.add_column(
        "movies",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector('simple', nexus_fold(title)), 'A') || "
                "setweight(to_tsvector('simple', nexus_fold(original_title)), 'B') || "
                "setweight(to_tsvector('simple', nexus_fold(overview)), 'C')",
                persisted=True,
            ),
        ),
    )
    op.create_index("ix_movies_search_vector", "movies", ["search_vector"], postgresql_using="gin")
    op.create_index(
        "ix_movies_title_folded",
        "movies",
        ["title_folded"],
        postgresql_ops={"title_folded": "text_pattern_ops"},
    )
    op.create_index("ix_movies_title", "movies", ["title"])
    op.create_index("ix_movies_runtime", "movies", ["runtime"])
    op.create_index("ix_movies_vote_count", "movies", ["vote_count"])
    op.create_index("ix_movies_original_language", "movies", ["original_language"])
    # Descending orders put movies without a date or a local rating last, not first.
    op.create_index(
        "ix_movies_release_date_desc",
        "movies",
        [sa.text("release_date DESC NULLS LAST")],
    )
    op.create_index(
        "ix_movies_rating_average_desc",
        "movies",
        [sa.text("rating_average DESC NULLS LAST")],
    )


def downgrade() -> None:
    op.drop_index("ix_movies_rating_average_desc", table_name="movies")
    op.drop_index("ix_movies_release_date_desc", table_name="movies")
    op.drop_index("ix_movies_original_language", table_name="movies")
    op.drop_index("ix_movies_vote_count", table_name="movies")
    op.drop_index("ix_movies_runtime", table_name="movies")
    op.drop_index("ix_movies_title", table_name="movies")
    op.drop_index("ix_movies_title_folded", table_name="movies")
    op.drop_index("ix_movies_search_vector", table_name="movies", postgresql_using="gin")
    op.drop_column("movies", "search_vector")
    op.drop_column("movies", "title_folded")
    op.execute("DROP FUNCTION nexus_fold(text)")
