"""Initial schema: users, refresh tokens, genres, movies, ratings, playlists and their items.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 18:05:26.893355+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "genres",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_genres")),
        sa.UniqueConstraint("name", name=op.f("uq_genres_name")),
    )
    op.create_table(
        "movies",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("tmdb_id", sa.Integer(), nullable=True),
        sa.Column("movielens_id", sa.Integer(), nullable=True),
        sa.Column("imdb_id", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("original_title", sa.String(length=500), server_default="", nullable=False),
        sa.Column("overview", sa.Text(), server_default="", nullable=False),
        sa.Column("tagline", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=50), nullable=True),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("genre_ids", postgresql.ARRAY(sa.Integer()), server_default="{}", nullable=False),
        sa.Column("poster_path", sa.String(length=255), nullable=True),
        sa.Column("backdrop_path", sa.String(length=255), nullable=True),
        sa.Column("popularity", sa.Float(), server_default="0", nullable=False),
        sa.Column("vote_average", sa.Float(), server_default="0", nullable=False),
        sa.Column("vote_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("original_language", sa.String(length=16), nullable=True),
        sa.Column("runtime", sa.Integer(), nullable=True),
        sa.Column("ratings_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("ratings_sum", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "rating_average",
            sa.Float(),
            sa.Computed(
                "CASE WHEN ratings_count > 0 THEN ratings_sum::float8 / ratings_count END",
                persisted=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("ratings_count >= 0", name=op.f("ck_movies_ratings_count_positive")),
        sa.CheckConstraint(
            "vote_average >= 0 AND vote_average <= 10", name=op.f("ck_movies_vote_average_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movies")),
        sa.UniqueConstraint("movielens_id", name=op.f("uq_movies_movielens_id")),
        sa.UniqueConstraint("tmdb_id", name=op.f("uq_movies_tmdb_id")),
    )
    op.create_index("ix_movies_created_at", "movies", ["created_at"], unique=False)
    op.create_index(
        "ix_movies_genre_ids", "movies", ["genre_ids"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_movies_popularity", "movies", ["popularity"], unique=False)
    op.create_index("ix_movies_rating_average", "movies", ["rating_average"], unique=False)
    op.create_index("ix_movies_ratings_count", "movies", ["ratings_count"], unique=False)
    op.create_index("ix_movies_release_date", "movies", ["release_date"], unique=False)
    op.create_index("ix_movies_vote_average", "movies", ["vote_average"], unique=False)
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("username", sa.String(length=150), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("first_name", sa.String(length=150), server_default="", nullable=False),
        sa.Column("last_name", sa.String(length=150), server_default="", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("is_staff", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "favorite_genres", postgresql.ARRAY(sa.Integer()), server_default="{}", nullable=False
        ),
        sa.Column("bio", sa.String(length=500), server_default="", nullable=False),
        sa.Column("avatar_url", sa.String(length=500), nullable=True),
        sa.Column(
            "date_joined",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("char_length(username) >= 3", name=op.f("ck_users_username_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_index(
        "uq_users_email_lower", "users", [sa.literal_column("lower(email)")], unique=True
    )
    op.create_index(
        "uq_users_username_lower", "users", [sa.literal_column("lower(username)")], unique=True
    )
    op.create_table(
        "playlists",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=500), server_default="", nullable=False),
        sa.Column("visibility", sa.String(length=10), server_default="private", nullable=False),
        sa.Column("slug", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "visibility IN ('private', 'unlisted', 'public')",
            name=op.f("ck_playlists_visibility_known"),
        ),
        sa.CheckConstraint("char_length(name) >= 1", name=op.f("ck_playlists_name_not_empty")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_playlists_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playlists")),
        sa.UniqueConstraint("owner_id", "name", name=op.f("uq_playlists_owner_id_name")),
        sa.UniqueConstraint("slug", name=op.f("uq_playlists_slug")),
    )
    op.create_index(
        "ix_playlists_visibility_created_at",
        "playlists",
        ["visibility", "created_at"],
        unique=False,
    )
    op.create_table(
        "ratings",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("movie_id", sa.BigInteger(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("review", sa.String(length=1000), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_ratings_score_range")),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_ratings_movie_id_movies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_ratings_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("user_id", "movie_id", name=op.f("uq_ratings_user_id_movie_id")),
    )
    op.create_index("ix_ratings_created_at", "ratings", ["created_at"], unique=False)
    op.create_index(
        "ix_ratings_movie_id_created_at", "ratings", ["movie_id", "created_at"], unique=False
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("jti_hash", sa.String(length=64), nullable=False),
        sa.Column("family_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "issued_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaced_by", sa.String(length=64), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_refresh_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_tokens")),
        sa.UniqueConstraint("jti_hash", name=op.f("uq_refresh_tokens_jti_hash")),
    )
    op.create_index(
        op.f("ix_refresh_tokens_family_id"), "refresh_tokens", ["family_id"], unique=False
    )
    op.create_index(op.f("ix_refresh_tokens_user_id"), "refresh_tokens", ["user_id"], unique=False)
    op.create_table(
        "playlist_items",
        sa.Column("playlist_id", sa.BigInteger(), nullable=False),
        sa.Column("movie_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint("position >= 0", name=op.f("ck_playlist_items_position_positive")),
        sa.ForeignKeyConstraint(
            ["movie_id"],
            ["movies.id"],
            name=op.f("fk_playlist_items_movie_id_movies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["playlist_id"],
            ["playlists.id"],
            name=op.f("fk_playlist_items_playlist_id_playlists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("playlist_id", "movie_id", name=op.f("pk_playlist_items")),
        sa.UniqueConstraint(
            "playlist_id",
            "position",
            deferrable=True,
            initially="DEFERRED",
            name=op.f("uq_playlist_items_playlist_id_position"),
        ),
    )
    op.create_index("ix_playlist_items_added_at", "playlist_items", ["added_at"], unique=False)
    op.create_index(
        op.f("ix_playlist_items_movie_id"), "playlist_items", ["movie_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_playlist_items_movie_id"), table_name="playlist_items")
    op.drop_index("ix_playlist_items_added_at", table_name="playlist_items")
    op.drop_table("playlist_items")
    op.drop_index(op.f("ix_refresh_tokens_user_id"), table_name="refresh_tokens")
    op.drop_index(op.f("ix_refresh_tokens_family_id"), table_name="refresh_tokens")
    op.drop_table("refresh_tokens")
    op.drop_index("ix_ratings_movie_id_created_at", table_name="ratings")
    op.drop_index("ix_ratings_created_at", table_name="ratings")
    op.drop_table("ratings")
    op.drop_index("ix_playlists_visibility_created_at", table_name="playlists")
    op.drop_table("playlists")
    op.drop_index("uq_users_username_lower", table_name="users")
    op.drop_index("uq_users_email_lower", table_name="users")
    op.drop_table("users")
    op.drop_index("ix_movies_vote_average", table_name="movies")
    op.drop_index("ix_movies_release_date", table_name="movies")
    op.drop_index("ix_movies_ratings_count", table_name="movies")
    op.drop_index("ix_movies_rating_average", table_name="movies")
    op.drop_index("ix_movies_popularity", table_name="movies")
    op.drop_index("ix_movies_genre_ids", table_name="movies", postgresql_using="gin")
    op.drop_index("ix_movies_created_at", table_name="movies")
    op.drop_table("movies")
    op.drop_table("genres")
