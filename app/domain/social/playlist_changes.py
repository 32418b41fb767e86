"""Use cases of playlists (their movies: `playlist_movies`). Every write locks the playlist row
first, so concurrent edits of one playlist run one after the other and positions stay dense."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.domain.accounts.users import User
from app.domain.shared.errors import LimitExceeded, NotFound, PermissionDenied
from app.domain.shared.pagination import Page, PageRequest, past_the_end, within_range
from app.domain.shared.ports import Database, UnitOfWork
from app.domain.social.playlists import (
    MAX_PLAYLISTS_PER_USER,
    Playlist,
    PlaylistDraft,
    PlaylistQuery,
    can_edit,
    can_view,
    can_view_by_id,
    checked_movie_ids,
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


class CreatePlaylist:
    """A user owns at most 200 playlists, each name once; `movie_ids` must all exist."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(
        self, user: User, draft: PlaylistDraft, movie_ids: list[int] | None
    ) -> Playlist:
        async with self._database.unit_of_work() as uow:
            if await uow.playlists.lock_owner(user.id) >= MAX_PLAYLISTS_PER_USER:
                raise LimitExceeded(
                    f"A user can have at most {MAX_PLAYLISTS_PER_USER} playlists.",
                    details=[{"field": "name", "message": "playlist limit reached"}],
                )
            playlist_id = await uow.playlists.add(user.id, draft, new_slug())
            if movie_ids:
                await _replace_movies(uow, playlist_id, movie_ids)
            playlist = await fetch(uow, playlist_id)
            await uow.commit()
        return playlist


class GetPlaylist:
    """Someone else's private or unlisted playlist answers 404, as if it did not exist (an
    unlisted one opens through its share slug)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, user: User | None, playlist_id: int) -> Playlist:
        async with self._database.unit_of_work() as uow:
            playlist = await uow.playlists.get(playlist_id)
        if playlist is None or not can_view_by_id(playlist, user):
            raise NotFound("Playlist not found.")
        return playlist


class GetSharedPlaylist:
    """A share link opens unlisted and public playlists; private ones stay the owner's."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, user: User | None, slug: str) -> Playlist:
        async with self._database.unit_of_work() as uow:
            playlist = await uow.playlists.get_by_slug(slug)
        if playlist is None or not can_view(playlist, user):
            raise NotFound("Playlist not found.")
        return playlist


class ListPlaylists:
    """Public playlists plus the viewer's own; unlisted ones of others are never listed. `owner`
    is a username or a user id (`user_refs`)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, query: PlaylistQuery, page: PageRequest) -> Page[Playlist]:
        if page.beyond_any_data:
            raise past_the_end()
        async with self._database.unit_of_work() as uow:
            if query.owner is not None:
                query = replace(query, owner=await username_of(uow, query.owner))
            return within_range(await uow.playlists.find(query, page))


class UpdatePlaylist:
    """Owner only; `movie_ids` replaces the movies in the given order, all or nothing."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, user: User, playlist_id: int, changes: PlaylistChanges) -> Playlist:
        async with self._database.unit_of_work() as uow:
            current = await editable(uow, user, playlist_id)
            draft = PlaylistDraft(
                name=current.name if changes.name is None else changes.name,
                description=(
                    current.description if changes.description is None else changes.description
                ),
                visibility=current.visibility if changes.visibility is None else changes.visibility,
            )
            await uow.playlists.update(playlist_id, draft)
            if changes.movie_ids is not None:
                await _replace_movies(uow, playlist_id, changes.movie_ids)
            playlist = await fetch(uow, playlist_id)
            await uow.commit()
        return playlist


class DeletePlaylist:
    """Owner only."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, user: User, playlist_id: int) -> None:
        async with self._database.unit_of_work() as uow:
            await editable(uow, user, playlist_id)
            await uow.playlists.delete(playlist_id)
            await uow.commit()


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


async def editable(uow: UnitOfWork, user: User, playlist_id: int) -> Playlist:
    """Lock the playlist for this transaction; hidden ones are 404, others' visible ones 403."""
    playlist = await uow.playlists.lock(playlist_id)
    if playlist is None or not can_view_by_id(playlist, user):
        raise NotFound("Playlist not found.")
    if not can_edit(playlist, user):
        raise PermissionDenied("Only the owner can change this playlist.")
    return playlist


async def fetch(uow: UnitOfWork, playlist_id: int) -> Playlist:
    playlist = await uow.playlists.get(playlist_id)
    assert playlist is not None  # locked or created in this transaction
    return playlist
