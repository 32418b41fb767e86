"""The vocabulary of title words, for searches that forgive typos.

Every distinct word of the folded titles (the lexemes of the search document's weight A, ASCII
letters and digits only, so they are safe inside a tsquery), kept by triggers: one per INSERT
statement (bulk imports add their words in one pass), one per row whose title changes. Words of
deleted movies stay: a correction to a word no movie has any more simply matches nothing.

Where the server offers `pg_trgm` the words also get a trigram index, which finds the close words
of a typo whose first letter is wrong; everywhere, the words sharing its first letter and a
similar length come first (and trigrams miss transpositions in short words: `secert`). A GIN index
on the title's own words finds the movies of the corrected words.

Revision ID: a8d1
Revises: a4c2
Create Date: 2026-11-30 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a8d1"
down_revision: str | None = "a4c2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WORDS_OF = """
SELECT DISTINCT word
FROM {source}, unnest(tsvector_to_array(to_tsvector('simple', nexus_fold(title)))) AS word
WHERE word ~ '^[a-z0-9]+$'
"""


def upgrade() -> None:
    op.create_table(
        "movie_title_words",
        sa.Column("word", sa.Text(), primary_key=True),
        sa.PrimaryKeyConstraint("word", name="pk_movie_title_words"),
    )
    op.execute(
        "CREATE INDEX ix_movie_title_words_start ON movie_title_words (left(word, 1), length(word))"
    )
    # Title words alone: the search document's GIN index cannot tell title words (weight A) from
    # overview ones, so corrected words would read every movie that mentions them anywhere.
    op.execute(
        "CREATE INDEX ix_movies_title_words ON movies "
        "USING gin (to_tsvector('simple'::regconfig, title_folded))"
    )
    op.execute(f"INSERT INTO movie_title_words (word) {_WORDS_OF.format(source='movies')}")
    from_inserted = _WORDS_OF.format(source="added") + " ON CONFLICT DO NOTHING"
    from_renamed = (
        _WORDS_OF.format(source="(SELECT NEW.title) AS renamed") + " ON CONFLICT DO NOTHING"
    )
    op.execute(
        f"""
        CREATE FUNCTION nexus_add_inserted_title_words() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO movie_title_words (word) {from_inserted};
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION nexus_add_renamed_title_words() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO movie_title_words (word)
            {from_renamed};
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER movies_inserted_title_words AFTER INSERT ON movies "
        "REFERENCING NEW TABLE AS added FOR EACH STATEMENT "
        "EXECUTE FUNCTION nexus_add_inserted_title_words()"
    )
    op.execute(
        "CREATE TRIGGER movies_renamed_title_words AFTER UPDATE OF title ON movies "
        "FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title) "
        "EXECUTE FUNCTION nexus_add_renamed_title_words()"
    )
    # Only where the server ships it: the embedded PostgreSQL does not.
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).first()
    if available is not None:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_movie_title_words_trigrams ON movie_title_words "
            "USING gin (word gin_trgm_ops)"
        )


def downgrade() -> None:
    # The extension stays: it may have been there before, and it costs nothing unused.
    op.execute("DROP TRIGGER movies_renamed_title_words ON movies")
    op.execute("DROP TRIGGER movies_inserted_title_words ON movies")
    op.execute("DROP FUNCTION nexus_add_renamed_title_words()")
    op.execute("DROP FUNCTION nexus_add_inserted_title_words()")
    op.drop_index("ix_movies_title_words", table_name="movies")
    op.drop_table("movie_title_words")
