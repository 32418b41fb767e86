"""Use cases of a playlist's movies: add at a position, remove, reorder. Each locks the playlist
row first (see `playlist_changes`), so positions stay dense (0..n-1)."""

from __future__ import annotations

from app.domain.accounts.users import User
from app.domain.shared.errors import Conflict, LimitExceeded, NotFound
from app.domain.shared.ports import Database
from app.domain.social.playlist_changes import editable, fetch
from app.domain.social.playlists import MAX_MOVIES_PER_PLAYLIST, Playlist, invalid


class AddPlaylistMovie:
    """Owner only; a movie is in a playlist once (409), at most 1 000 movies (409); at a
    position the movies from there on move down; without one, or past the end, it goes last."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(
        self, user: User, playlist_id: int, movie_id: int, position: int | None
    ) -> Playlist:
        async with self._database.unit_of_work() as uow:
            await editable(uow, user, playlist_id)
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
            playlist = await fetch(uow, playlist_id)
            await uow.commit()
        return playlist


class RemovePlaylistMovie:
    """Owner only; the movies after it move up, so positions stay dense."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, user: User, playlist_id: int, movie_id: int) -> Playlist:
        async with self._database.unit_of_work() as uow:
            await editable(uow, user, playlist_id)
            if not await uow.playlists.remove_movie(playlist_id, movie_id):
                raise NotFound(
                    "The movie is not in the playlist.",
                    details=[{"field": "movie_id", "message": "not in the playlist"}],
                )
            playlist = await fetch(uow, playlist_id)
            await uow.commit()
        return playlist


class ReorderPlaylistMovies:
    """Owner only; the list must hold exactly the playlist's movies, each once (else 422)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, user: User, playlist_id: int, movie_ids: list[int]) -> Playlist:
        async with self._database.unit_of_work() as uow:
            await editable(uow, user, playlist_id)
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
            playlist = await fetch(uow, playlist_id)
            await uow.commit()
        return playlist
