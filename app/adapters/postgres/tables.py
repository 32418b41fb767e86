"""The database schema as SQLAlchemy Core tables. Migrations are written by hand from these;
`tests/test_migrations.py` checks that the migrated database and this module agree. Importing
this module declares every table on `metadata`, the account and recommendation tables included.

Constraint names follow one convention so that integrity errors can be translated into domain
errors by name (`app/adapters/postgres/integrity.py`).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR

from app.adapters.postgres.account_tables import refresh_tokens, users
from app.adapters.postgres.folding import SEARCH_VECTOR_SQL, TITLE_FOLDED_SQL
from app.adapters.postgres.metadata import created_at, metadata, updated_at
from app.adapters.postgres.recommendation_tables import (
    item_neighbours,
    recommender_models,
    tmdb_trending,
)

__all__ = [
    "MOVIE_INTERNAL_COLUMNS",
    "genres",
    "item_neighbours",
    "metadata",
    "movies",
    "playlist_items",
    "playlists",
    "ratings",
    "recommender_models",
    "refresh_tokens",
    "tmdb_trending",
    "users",
]

genres = Table(
    "genres",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # TMDb's genre id
    Column("name", String(100), nullable=False, unique=True),
)

movies = Table(
    "movies",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("tmdb_id", Integer, nullable=True, unique=True),
    Column("movielens_id", Integer, nullable=True, unique=True),
    Column("imdb_id", String(16), nullable=True),
    Column("title", String(500), nullable=False),
    Column("original_title", String(500), nullable=False, server_default=""),
    Column("overview", Text, nullable=False, server_default=""),
    Column("tagline", String(500), nullable=True),
    Column("status", String(50), nullable=True),
    Column("release_date", Date, nullable=True),
    Column("genre_ids", ARRAY(Integer), nullable=False, server_default="{}"),
    Column("poster_path", String(255), nullable=True),
    Column("backdrop_path", String(255), nullable=True),
    Column("popularity", Float, nullable=False, server_default="0"),
    Column("vote_average", Float, nullable=False, server_default="0"),
    Column("vote_count", Integer, nullable=False, server_default="0"),
    Column("original_language", String(16), nullable=True),
    Column("runtime", Integer, nullable=True),
    # Local aggregates, kept by the rating use cases in the same transaction as the rating.
    Column("ratings_count", Integer, nullable=False, server_default="0"),
    Column("ratings_sum", Integer, nullable=False, server_default="0"),
    Column(
        "rating_average",
        Float,
        Computed(
            "CASE WHEN ratings_count > 0 THEN ratings_sum::float8 / ratings_count END",
            persisted=True,
        ),
    ),
    # Catalogue search (app/adapters/postgres/folding.py): folded title, weighted document.
    Column("title_folded", Text, Computed(TITLE_FOLDED_SQL, persisted=True)),
    Column("search_vector", TSVECTOR, Computed(SEARCH_VECTOR_SQL, persisted=True)),
    created_at(),
    updated_at(),
    CheckConstraint("vote_average >= 0 AND vote_average <= 10", name="vote_average_range"),
    CheckConstraint("ratings_count >= 0", name="ratings_count_positive"),
    Index("ix_movies_genre_ids", "genre_ids", postgresql_using="gin"),
    Index("ix_movies_popularity", "popularity"),
    Index("ix_movies_release_date", "release_date"),
    Index("ix_movies_vote_average", "vote_average"),
    Index("ix_movies_created_at", "created_at"),
    Index("ix_movies_rating_average", "rating_average"),
    Index("ix_movies_ratings_count", "ratings_count"),
    Index("ix_movies_search_vector", "search_vector", postgresql_using="gin"),
    # The title's own words, for the corrected words of a typo (see fuzzy_search.py).
    Index(
        "ix_movies_title_words",
        func.to_tsvector(text("'simple'::regconfig"), text("title_folded")),
        postgresql_using="gin",
    ),
    Index(
        "ix_movies_title_folded",
        "title_folded",
        postgresql_ops={"title_folded": "text_pattern_ops"},
    ),
    Index("ix_movies_title", "title"),
    Index("ix_movies_runtime", "runtime"),
    Index("ix_movies_vote_count", "vote_count"),
    Index("ix_movies_original_language", "original_language"),
    # Descending orders put movies without a date or a local rating last, not first.
    Index("ix_movies_release_date_desc", text("release_date DESC NULLS LAST")),
    Index("ix_movies_rating_average_desc", text("rating_average DESC NULLS LAST")),
    # The search's walk down the popularity order tests each movie on the index alone.
    Index(
        "ix_movies_popularity_search",
        text("popularity DESC"),
        text("id DESC"),
        postgresql_include=["title_folded", "search_vector"],
    ),
)

ratings = Table(
    "ratings",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("movie_id", BigInteger, ForeignKey("movies.id", ondelete="CASCADE"), nullable=False),
    Column("score", SmallInteger, nullable=False),
    Column("review", String(1000), nullable=True),
    created_at(),
    updated_at(),
    CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    UniqueConstraint("user_id", "movie_id"),  # also serves per-user reads
    Index("ix_ratings_movie_id_created_at", "movie_id", "created_at"),
    Index("ix_ratings_created_at", "created_at"),
)

playlists = Table(
    "playlists",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("owner_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("description", String(500), nullable=False, server_default=""),
    Column("visibility", String(10), nullable=False, server_default="private"),
    Column("slug", String(32), nullable=False, unique=True),
    created_at(),
    updated_at(),
    CheckConstraint("visibility IN ('private', 'unlisted', 'public')", name="visibility_known"),
    CheckConstraint("char_length(name) >= 1", name="name_not_empty"),
    UniqueConstraint("owner_id", "name"),
    Index("ix_playlists_visibility_created_at", "visibility", "created_at"),
)

playlist_items = Table(
    "playlist_items",
    metadata,
    Column(
        "playlist_id", BigInteger, ForeignKey("playlists.id", ondelete="CASCADE"), nullable=False
    ),
    Column(
        "movie_id",
        BigInteger,
        ForeignKey("movies.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("position", Integer, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("playlist_id", "movie_id"),
    # Deferred so that a reorder can permute positions inside one transaction.
    UniqueConstraint("playlist_id", "position", deferrable=True, initially="DEFERRED"),
    CheckConstraint("position >= 0", name="position_positive"),
    Index("ix_playlist_items_added_at", "added_at"),
)

# Every distinct word of the folded titles, filled by triggers: the vocabulary that a typo is
# corrected against. Its trigram index exists only where the server ships `pg_trgm`.
movie_title_words = Table(
    "movie_title_words",
    metadata,
    Column("word", Text, primary_key=True),
    Index("ix_movie_title_words_start", func.left(text("word"), 1), func.length(text("word"))),
)
# Indexes that the migrations create only where the server can (not declared above).
OPTIONAL_INDEXES = frozenset({"ix_movie_title_words_trigrams"})

# The movie columns no entity carries: the sum behind `rating_average`, the search columns.
MOVIE_INTERNAL_COLUMNS = frozenset({"ratings_sum", "title_folded", "search_vector"})
