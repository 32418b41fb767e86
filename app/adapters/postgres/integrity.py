"""Integrity errors become domain errors, chosen by constraint name (see the naming convention).

The name chooses the error and stays in the log: no response names a constraint, a table or a
column, which would describe the schema to whoever provokes the error."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from app.domain.shared.errors import Conflict, DomainError, InvalidInput, NotFound

log = logging.getLogger(__name__)

# constraint name -> (error class, message, field named in the error details)
KNOWN_CONSTRAINTS: dict[str, tuple[type[DomainError], str, str | None]] = {
    "uq_users_username_canonical": (
        Conflict,
        "A user with that username already exists.",
        "username",
    ),
    "uq_users_email_lower": (Conflict, "A user with that email already exists.", "email"),
    "uq_ratings_user_id_movie_id": (Conflict, "You have already rated this movie.", "movie"),
    "uq_playlists_owner_id_name": (Conflict, "You already have a playlist with that name.", "name"),
    "pk_playlist_items": (Conflict, "The movie is already in the playlist.", "movie_id"),
    "uq_movies_tmdb_id": (Conflict, "A movie with that TMDb id already exists.", "tmdb_id"),
    "fk_ratings_movie_id_movies": (NotFound, "Movie not found.", "movie"),
    "fk_playlist_items_movie_id_movies": (NotFound, "Movie not found.", "movie_id"),
    "ck_ratings_score_range": (InvalidInput, "Score must be between 1 and 5.", "score"),
}


def constraint_name(error: IntegrityError) -> str | None:
    original = getattr(error.orig, "__cause__", None) or error.orig
    return getattr(original, "constraint_name", None) or getattr(
        error.orig, "constraint_name", None
    )


def domain_error_for(error: IntegrityError) -> DomainError:
    name = constraint_name(error)
    log.debug("integrity error on constraint %s", name)
    if name in KNOWN_CONSTRAINTS:
        error_class, message, field = KNOWN_CONSTRAINTS[name]
        details = [{"field": field, "message": message}] if field else []
        return error_class(message, details=details)
    return Conflict("The request conflicts with the current state of the resource.")


@contextmanager
def translate_integrity_errors() -> Iterator[None]:
    try:
        yield
    except IntegrityError as error:
        raise domain_error_for(error) from error
