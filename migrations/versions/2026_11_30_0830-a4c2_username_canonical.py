"""One canonical form of every username, stored and unique.

`lower(username)` in PostgreSQL and `.lower()` in Python disagreed (`İ`, `ß`), so sign-in and
uniqueness did not compare the same strings. The canonical form (RFC 8265 UsernameCaseMapped,
case-folded) is computed in Python by `app.domain.accounts.usernames.canonical_username`, here for
the existing rows and by the repository for new ones; its unique index replaces the `lower()` one.

Revision ID: a4c2
Revises: 9e31
Create Date: 2026-11-30 08:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.domain.accounts.usernames import canonical_username

revision: str = "a4c2"
down_revision: str | None = "9e31"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("username_canonical", sa.String(length=600), nullable=True))
    bind = op.get_bind()
    # Printable ASCII folds exactly as lower() does it: no need to bring those rows to Python.
    bind.execute(
        sa.text("UPDATE users SET username_canonical = lower(username) WHERE username ~ '^[ -~]*$'")
    )
    rows = bind.execute(
        sa.text("SELECT id, username FROM users WHERE username_canonical IS NULL")
    ).all()
    if rows:
        bind.execute(
            sa.text("UPDATE users SET username_canonical = :canonical WHERE id = :id"),
            [{"id": row.id, "canonical": canonical_username(row.username)} for row in rows],
        )
    clashes = bind.execute(
        sa.text(
            "SELECT username_canonical, string_agg(username, ', ' ORDER BY id) AS names "
            "FROM users GROUP BY username_canonical HAVING count(*) > 1 LIMIT 5"
        )
    ).all()
    if clashes:
        listed = "; ".join(row.names for row in clashes)
        raise RuntimeError(f"usernames that are one name once folded, rename all but one: {listed}")
    op.alter_column("users", "username_canonical", nullable=False)
    op.drop_index("uq_users_username_lower", table_name="users")
    op.create_index("uq_users_username_canonical", "users", ["username_canonical"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_users_username_canonical", table_name="users")
    op.create_index(
        "uq_users_username_lower", "users", [sa.literal_column("lower(username)")], unique=True
    )
    op.drop_column("users", "username_canonical")
