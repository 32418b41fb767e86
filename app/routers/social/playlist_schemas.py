"""The playlist bodies and responses, with the original API's field names."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.domain.accounts.users import User
from app.domain.social.playlists import (
    MAX_DESCRIPTION_LENGTH,
    MAX_MOVIES_PER_PLAYLIST,
    MAX_NAME_LENGTH,
    Playlist,
    PlaylistMovie,
    is_owner,
)
from app.routers.catalogue.schemas import NO_NUL, GenreOut, MovieSummaryOut
from app.web.request_bodies import INTEGRAL_FLOAT_AS_INT, STRICT_CLOSED_BODY

Visibility = Literal["private", "unlisted", "public"]
Ordering = Literal["created_at", "-created_at", "name", "-name"]
POSTER_SIZE = "w500"
# No NUL (PostgreSQL text cannot hold one) and some character `str.strip()` keeps, stated so
# that JSON Schema knows a blank name is invalid.
NAME_PATTERN = r"^[^\x00]*[^\s\x00\x1c-\x1f][^\x00]*$"

# Ids in JSON bodies stay within 2**53, the integers every JSON client represents exactly (the
# schema's bounds come out as floats, and 2**63 - 1 does not survive that).
MAX_BODY_ID = 2**53
MovieRef = Annotated[int, Field(ge=1, le=MAX_BODY_ID), INTEGRAL_FLOAT_AS_INT]
MovieIds = Annotated[
    list[MovieRef],
    Field(
        max_length=MAX_MOVIES_PER_PLAYLIST,
        json_schema_extra={"uniqueItems": True},
        description="Movie ids in order, each once.",
    ),
]


class PlaylistIn(BaseModel):
    """Owner, id and slug are never taken from a body."""

    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH, pattern=NAME_PATTERN)
    description: str = Field("", max_length=MAX_DESCRIPTION_LENGTH, pattern=NO_NUL)
    visibility: Visibility = "private"
    movie_ids: MovieIds | None = None


class PlaylistReplace(BaseModel):
    """Fields left out keep their value, as on the original API; `movie_ids` replaces the
    movies in the given order."""

    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH, pattern=NAME_PATTERN)
    description: str | None = Field(None, max_length=MAX_DESCRIPTION_LENGTH, pattern=NO_NUL)
    visibility: Visibility | None = None
    movie_ids: MovieIds | None = None


class PlaylistPatch(BaseModel):
    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    name: str | None = Field(None, min_length=1, max_length=MAX_NAME_LENGTH, pattern=NAME_PATTERN)
    description: str | None = Field(None, max_length=MAX_DESCRIPTION_LENGTH, pattern=NO_NUL)
    visibility: Visibility | None = None
    movie_ids: MovieIds | None = None


class MovieIdIn(BaseModel):
    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    movie_id: MovieRef


class PlaylistMovieIn(BaseModel):
    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    movie_id: MovieRef
    position: (
        Annotated[int, Field(ge=0, le=MAX_MOVIES_PER_PLAYLIST), INTEGRAL_FLOAT_AS_INT] | None
    ) = Field(None, description="0-based; past the end or left out: last.")


class MovieOrderIn(BaseModel):
    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    movie_ids: MovieIds = Field(description="Every movie of the playlist, each once, in order.")


class PlaylistMovieOut(MovieSummaryOut):
    poster_path: str | None
    position: int
    added_at: datetime


class PlaylistOut(BaseModel):
    id: int
    name: str
    description: str
    visibility: Visibility
    slug: str | None = Field(
        description="The share link's slug: shown to the owner only, null for anyone else."
    )
    owner_username: str
    movie_count: int
    movies: list[PlaylistMovieOut]
    created_at: datetime
    updated_at: datetime


def poster_url(image_base_url: str, poster_path: str | None) -> str | None:
    if not poster_path:
        return None
    return f"{image_base_url.rstrip('/')}/{POSTER_SIZE}/{poster_path.lstrip('/')}"


def movie_out(item: PlaylistMovie, image_base_url: str) -> PlaylistMovieOut:
    return PlaylistMovieOut(
        id=item.movie_id,
        tmdb_id=item.tmdb_id,
        title=item.title,
        release_date=item.release_date,
        release_year=item.release_year,
        poster_path=item.poster_path,
        poster_url=poster_url(image_base_url, item.poster_path),
        genres=[GenreOut(id=genre_id, name=name) for genre_id, name in item.genres],
        vote_average=item.vote_average,
        popularity=item.popularity,
        position=item.position,
        added_at=item.added_at,
    )


def playlist_out(playlist: Playlist, image_base_url: str, viewer: User | None) -> PlaylistOut:
    """The slug opens an unlisted playlist, so only its owner is shown it."""
    return PlaylistOut(
        id=playlist.id,
        name=playlist.name,
        description=playlist.description,
        visibility=playlist.visibility,  # type: ignore[arg-type]
        slug=playlist.slug if is_owner(playlist, viewer) else None,
        owner_username=playlist.owner_username,
        movie_count=playlist.movie_count,
        movies=[movie_out(item, image_base_url) for item in playlist.movies],
        created_at=playlist.created_at,
        updated_at=playlist.updated_at,
    )
