"""A taste version per user, bumped in the same transaction as every write that changes what
the user is recommended: their ratings (added, changed or deleted, however: the API, an import,
a movie's or user's deletion) and their favourite genres.

Cached recommendations are kept under the version they were computed at, so a cache delete lost
in a Redis stall, or a read that raced a write, leaves an entry nobody asks for again.

Revision ID: a7c4
Revises: a8d1
Create Date: 2026-11-30 10:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c4"
down_revision: str | None = "a8d1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Statement triggers with transition tables: a bulk import bumps each user once, not per row.
# PostgreSQL allows transition tables only on single-event triggers, hence three.
RATING_EVENTS = {"INSERT": "NEW TABLE AS changed", "DELETE": "OLD TABLE AS changed"}


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("taste_version", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.execute(
        """
        CREATE FUNCTION bump_taste_version_of_raters() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                UPDATE users SET taste_version = taste_version + 1
                WHERE id IN (SELECT user_id FROM changed_old UNION SELECT user_id FROM changed);
            ELSE
                UPDATE users SET taste_version = taste_version + 1
                WHERE id IN (SELECT user_id FROM changed);
            END IF;
            RETURN NULL;
        END $$
        """
    )
    for event, tables in RATING_EVENTS.items():
        op.execute(
            f"CREATE TRIGGER ratings_bump_taste_{event.lower()} AFTER {event} ON ratings "
            f"REFERENCING {tables} FOR EACH STATEMENT "
            "EXECUTE FUNCTION bump_taste_version_of_raters()"
        )
    op.execute(
        "CREATE TRIGGER ratings_bump_taste_update AFTER UPDATE ON ratings "
        "REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT "
        "EXECUTE FUNCTION bump_taste_version_of_raters()"
    )
    op.execute(
        """
        CREATE FUNCTION bump_taste_version_on_genres() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.taste_version := OLD.taste_version + 1;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER users_bump_taste_on_genres BEFORE UPDATE OF favorite_genres ON users "
        "FOR EACH ROW WHEN (OLD.favorite_genres IS DISTINCT FROM NEW.favorite_genres) "
        "EXECUTE FUNCTION bump_taste_version_on_genres()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER users_bump_taste_on_genres ON users")
    op.execute("DROP FUNCTION bump_taste_version_on_genres()")
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER ratings_bump_taste_{event} ON ratings")
    op.execute("DROP FUNCTION bump_taste_version_of_raters()")
    op.drop_column("users", "taste_version")
