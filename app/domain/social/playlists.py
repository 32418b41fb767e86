"""Playlists: private (owner only), unlisted (anyone with the slug, never listed) or public.
The visibility and ownership rules live here, so every entry point applies the same ones."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from app.domain.accounts.users import User
from app.domain.shared.errors import InvalidInput

VISIBILITIES: Final = ("private", "unlisted", "public")
PLAYLIST_ORDERINGS: Final = ("created_at", "-created_at", "name", "-name")
MAX_NAME_LENGTH: Final = 200
MAX_DESCRIPTION_LENGTH: Final = 500
MAX_MOVIES_PER_PLAYLIST: Final = 1000
MAX_PLAYLISTS_PER_USER: Final = 200


@dataclass(frozen=True, slots=True)
class PlaylistMovie:
    movie_id: int
    title: str
    poster_path: str | None
    release_date: date | None
    position: int
    added_at: datetime
    # The summary every movie list carries (genres as (id, name) pairs, in the movie's order).
    tmdb_id: int | None = None
    genres: tuple[tuple[int, str], ...] = ()
    vote_average: float = 0.0
    popularity: float = 0.0

    @property
    def release_year(self) -> int | None:
        return self.release_date.year if self.release_date else None


@dataclass(frozen=True, slots=True)
class Playlist:
    id: int
    owner_id: int
    owner_username: str
    name: str
    description: str
    visibility: str
    slug: str
    movie_count: int
    created_at: datetime
    updated_at: datetime
    movies: tuple[PlaylistMovie, ...] = ()


@dataclass(frozen=True, slots=True)
class PlaylistDraft:
    """The writable fields, checked: a name of 1 to 200 characters, a short description and a
    known visibility."""

    name: str
    description: str = ""
    visibility: str = "private"

    def __post_init__(self) -> None:
        name = self.name.strip()
        if not 1 <= len(name) <= MAX_NAME_LENGTH:
            raise invalid("name", f"must be 1 to {MAX_NAME_LENGTH} characters")
        description = self.description.strip()
        if len(description) > MAX_DESCRIPTION_LENGTH:
            raise invalid("description", f"must be at most {MAX_DESCRIPTION_LENGTH} characters")
        if self.visibility not in VISIBILITIES:
            raise invalid("visibility", f"must be one of {', '.join(VISIBILITIES)}")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "description", description)


@dataclass(frozen=True, slots=True)
class PlaylistQuery:
    """The list: public playlists plus the viewer's own (`mine_only` keeps just the latter)."""

    viewer_id: int | None = None
    mine_only: bool = False
    visibility: str | None = None
    owner: str | None = None  # a username
    search: str | None = None
    ordering: str = "-created_at"

    def __post_init__(self) -> None:
        if self.ordering not in PLAYLIST_ORDERINGS:
            raise invalid("ordering", f"must be one of {', '.join(PLAYLIST_ORDERINGS)}")
        if self.visibility is not None and self.visibility not in VISIBILITIES:
            raise invalid("visibility", f"must be one of {', '.join(VISIBILITIES)}")


def can_view(playlist: Playlist, user: User | None) -> bool:
    """Through its share slug: private playlists are the owner's alone; unlisted and public ones
    anyone may open."""
    return playlist.visibility != "private" or is_owner(playlist, user)


def can_view_by_id(playlist: Playlist, user: User | None) -> bool:
    """Through its id: ids are sequential, so an unlisted playlist opens for others only through
    its slug, never by walking ids."""
    return playlist.visibility == "public" or is_owner(playlist, user)


def can_edit(playlist: Playlist, user: User | None) -> bool:
    """Only the owner changes a playlist (staff included: playlists are personal)."""
    return is_owner(playlist, user)


def is_owner(playlist: Playlist, user: User | None) -> bool:
    return user is not None and playlist.owner_id == user.id


def new_slug() -> str:
    """A share slug: 96 random bits, URL-safe, so it cannot be guessed from another one."""
    return secrets.token_urlsafe(12)


def checked_movie_ids(movie_ids: list[int], *, field: str = "movie_ids") -> list[int]:
    if len(set(movie_ids)) != len(movie_ids):
        raise invalid(field, "must not repeat a movie")
    if len(movie_ids) > MAX_MOVIES_PER_PLAYLIST:
        raise invalid(field, f"at most {MAX_MOVIES_PER_PLAYLIST} movies a playlist")
    return movie_ids


def invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(
        f"Invalid {field}: {message}.", details=[{"field": field, "message": message}]
    )
