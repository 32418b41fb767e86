"""Every cache key the use cases read or invalidate, in one place, so that invalidation names the
exact keys that depend on a change (no pattern scans). Keys never contain credentials."""

from __future__ import annotations


def movie_detail(movie_id: int) -> str:
    return f"movie:{movie_id}:detail"


def user_recommendations(user_id: int, taste_version: int) -> str:
    """One key per user and taste version (`User.taste_version`, bumped in the transaction of
    every write that changes the user's recommendations): a delete lost in a cache outage, or
    a list computed by a read that raced a write, stays under a version nobody asks for again.
    The cached value holds the pages for every limit/genre asked."""
    return f"user:{user_id}:recommendations:v{taste_version}"


def anonymous_recommendations(limit: int, genre: int | None) -> str:
    """The cold-start list anonymous callers share, one key per filter."""
    return f"recommendations:anonymous:{limit}:{genre or 'all'}"


def catalogue_facts() -> str:
    return "recommendations:catalogue-facts"


def trending(window: str, limit: int, genre: int | None) -> str:
    return f"trending:{window}:{limit}:{genre or 'all'}"


def user_stats(user_id: int) -> str:
    return f"user:{user_id}:stats"


def catalogue_version() -> str:
    """Deleted by every catalogue change (staff edits, TMDb syncs, imports): the cached public
    answers about movies were computed under the version it held (app/web/public_cache.py)."""
    return "responses:catalogue"


def social_version() -> str:
    """The same for public profiles and playlists."""
    return "responses:social"


def movie_version(movie_id: int) -> str:
    """The same for one movie's detail, whose rating figures change with every rating."""
    return f"movie:{movie_id}:responses"


def user_version(user_id: int) -> str:
    """Deleted by every change to the user (any write they make, staff rights, deactivation):
    their cached account state was stored under the token it held."""
    return f"user:{user_id}:version"


def users_generation() -> str:
    """Deleted by changes to many users at once that none of them made (a deleted movie takes its
    ratings along, an import rewrites the ratings of the accounts it made): every cached account
    state was stored under the generation it held, beside the user's own version."""
    return "users:generation"


def keys_after_rating_change(user_id: int, movie_id: int, taste_version: int) -> tuple[str, ...]:
    """What a new, changed or deleted rating makes stale (the recommendations of the version
    before the change: dropped at once, rather than left to expire)."""
    return (
        movie_detail(movie_id),
        movie_version(movie_id),
        user_recommendations(user_id, taste_version),
        user_stats(user_id),
    )
