"""Use cases of playlists. Every write locks the playlist row first, so concurrent edits of one
playlist run one after the other and positions stay dense (0..n-1)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.domain.accounts.users import User
from app.domain.shared.errors import Conflict, LimitExceeded, NotFound, PermissionDenied
from app.domain.shared.pagination import Page, PageRequest, past_the_end, within_range
from app.domain.shared.ports import Database, UnitOfWork
from app.domain.social.playlists import (
    MAX_MOVIES_PER_PLAYLIST,
    MAX_PLAYLISTS_PER_USER,
    Playlist,
    PlaylistDraft,
    PlaylistQuery,
    can_edit,
    can_view,
    checked_movie_ids,
    invalid,
    new_slug,
)
from app.domain.social.user_refs import username_of


@dataclass(frozen=True, slots=True)
class PlaylistChanges:
    """An update: None leaves a field as it is; `movie_ids` replaces the movies, in order."""

    name: str | None = None
    description: str | None = None
    visibility: str | None = None
    movie_ids: list[int] | None = None


async def create_playlist(
    database: Database, user: User, draft: PlaylistDraft, movie_ids: list[int] | None
) -> Playlist:
    """A user owns at most 200 playlists, each name once; `movie_ids` must all exist."""
    async with database.unit_of_work() as uow:
        if await uow.playlists.lock_owner(user.id) >= MAX_PLAYLISTS_PER_USER:
            raise LimitExceeded(
                f"A user can have at most {MAX_PLAYLISTS_PER_USER} playlists.",
                details=[{"field": "name", "message": "playlist limit reached"}],
            )
        playlist_id = await uow.playlists.add(user.id, draft, new_slug())
        if movie_ids:
            await _replace_movies(uow, playlist_id, movie_ids)
        playlist = await _fetch(uow, playlist_id)
        await uow.commit()
    return playlist


async def get_playlist(database: Database, user: User | None, playlist_id: int) -> Playlist:
    """Someone else's private playlist answers 404, as if it did not exist."""
    async with database.unit_of_work() as uow:
        playlist = await uow.playlists.get(playlist_id)
    if playlist is None or not can_view(playlist, user):
        raise NotFound("Playlist not found.")
    return playlist


async def get_shared_playlist(database: Database, user: User | None, slug: str) -> Playlist:
    """A share link opens unlisted and public playlists; private ones stay the owner's."""
    async with database.unit_of_work() as uow:
        playlist = await uow.playlists.get_by_slug(slug)
    if playlist is None or not can_view(playlist, user):
        raise NotFound("Playlist not found.")
    return playlist


async def list_playlists(
    database: Database, query: PlaylistQuery, page: PageRequest
) -> Page[Playlist]:
    """Public playlists plus the viewer's own; unlisted ones of others are never listed. `owner`
    is a username or a user id (`user_refs`)."""
    if page.beyond_any_data:
        raise past_the_end()
    async with database.unit_of_work() as uow:
        if query.owner is not None:
            query = replace(query, owner=await username_of(uow, query.owner))
        return within_range(await uow.playlists.find(query, page))


async def update_playlist(
    database: Database, user: User, playlist_id: int, changes: PlaylistChanges
) -> Playlist:
    """Owner only; `movie_ids` replaces the movies in the given order, all or nothing."""
    async with database.unit_of_work() as uow:
        current = await _editable(uow, user, playlist_id)
        draft = PlaylistDraft(
            name=current.name if changes.name is None else changes.name,
            description=current.description if changes.description is None else changes.description,
            visibility=current.visibility if changes.visibility is None else changes.visibility,
        )
        await uow.playlists.update(playlist_id, draft)
        if changes.movie_ids is not None:
            await _replace_movies(uow, playlist_id, changes.movie_ids)
        playlist = await _fetch(uow, playlist_id)
        await uow.commit()
    return playlist


async def delete_playlist(database: Database, user: User, playlist_id: int) -> None:
    """Owner only."""
    async with database.unit_of_work() as uow:
        await _editable(uow, user, playlist_id)
        await uow.playlists.delete(playlist_id)
        await uow.commit()


async def add_movie(
    database: Database, user: User, playlist_id: int, movie_id: int, position: int | None
) -> Playlist:
    """Owner only; a movie is in a playlist once (409), at most 1 000 movies (409); at a
    position the movies from there on move down; without one, or past the end, it goes last."""
    async with database.unit_of_work() as uow:
        await _editable(uow, user, playlist_id)
        current = await uow.playlists.movie_ids(playlist_id)
        if movie_id in current:
            raise Conflict(
                "The movie is already in the playlist.",
                details=[{"field": "movie_id", "message": "already in the playlist"}],
            )
        if len(current) >= MAX_MOVIES_PER_PLAYLIST:
            raise LimitExceeded(
                f"A playlist holds at most {MAX_MOVIES_PER_PLAYLIST} movies.",
                details=[{"field": "movie_id", "message": "playlist is full"}],
            )
        if await uow.playlists.unknown_movies([movie_id]):
            raise NotFound(
                "Movie not found.", details=[{"field": "movie_id", "message": "unknown movie"}]
            )
        at = len(current) if position is None else min(max(position, 0), len(current))
        await uow.playlists.insert_movie(playlist_id, movie_id, at)
        playlist = await _fetch(uow, playlist_id)
        await uow.commit()
    return playlist


async def remove_movie(database: Database, user: User, playlist_id: int, movie_id: int) -> Playlist:
    """Owner only; the movies after it move up, so positions stay dense."""
    async with database.unit_of_work() as uow:
        await _editable(uow, user, playlist_id)
        if not await uow.playlists.remove_movie(playlist_id, movie_id):
            raise NotFound(
                "The movie is not in the playlist.",
                details=[{"field": "movie_id", "message": "not in the playlist"}],
            )
        playlist = await _fetch(uow, playlist_id)
        await uow.commit()
    return playlist


async def reorder_movies(
    database: Database, user: User, playlist_id: int, movie_ids: list[int]
) -> Playlist:
    """Owner only; the list must hold exactly the playlist's movies, each once (else 422)."""
    async with database.unit_of_work() as uow:
        await _editable(uow, user, playlist_id)
        current = await uow.playlists.movie_ids(playlist_id)
        if len(movie_ids) != len(current) or set(movie_ids) != set(current):
            missing = sorted(set(current) - set(movie_ids))
            extra = sorted(set(movie_ids) - set(current))
            raise invalid(
                "movie_ids",
                f"must be a permutation of the playlist's movies (missing {missing}, "
                f"not in the playlist {extra}, or repeated)",
            )
        await uow.playlists.replace_movies(playlist_id, movie_ids)
        playlist = await _fetch(uow, playlist_id)
        await uow.commit()
    return playlist


async def _replace_movies(uow: UnitOfWork, playlist_id: int, movie_ids: list[int]) -> None:
    checked_movie_ids(movie_ids)
    unknown = await uow.playlists.unknown_movies(movie_ids)
    if unknown:
        raise NotFound(
            f"Unknown movies: {', '.join(map(str, unknown))}.",
            details=[{"field": "movie_ids", "message": f"unknown movie ids {unknown}"}],
            extra={"unknown_movie_ids": unknown},
        )
    await uow.playlists.replace_movies(playlist_id, movie_ids)


async def _editable(uow: UnitOfWork, user: User, playlist_id: int) -> Playlist:
    """Lock the playlist for this transaction; hidden ones are 404, others' visible ones 403."""
    playlist = await uow.playlists.lock(playlist_id)
    if playlist is None or not can_view(playlist, user):
        raise NotFound("Playlist not found.")
    if not can_edit(playlist, user):
        raise PermissionDenied("Only the owner can change this playlist.")
    return playlist


async def _fetch(uow: UnitOfWork, playlist_id: int) -> Playlist:
    playlist = await uow.playlists.get(playlist_id)
    assert playlist is not None  # locked or created in this transaction
    return playlist
