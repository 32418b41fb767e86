"""Fake of the `PlaylistRepository`: headers and ordered items in separate tables, as stored."""

from __future__ import annotations

from dataclasses import replace

from app.domain.accounts.usernames import canonical_username
from app.domain.shared.errors import Conflict
from app.domain.shared.pagination import Page, PageRequest
from app.domain.social.playlists import Playlist, PlaylistDraft, PlaylistMovie, PlaylistQuery
from tests.support.fakes.store import FakeStore, NewId, now


class FakePlaylistRepository:
    def __init__(self, store: FakeStore, new_id: NewId) -> None:
        self._store, self._new_id = store, new_id

    async def lock_owner(self, owner_id: int) -> int:
        return sum(1 for p in self._store.playlists.values() if p.owner_id == owner_id)

    async def add(self, owner_id: int, draft: PlaylistDraft, slug: str) -> int:
        self._check_name(owner_id, draft.name, None)
        playlist_id, at = self._new_id(), now()
        self._store.playlists[playlist_id] = Playlist(
            playlist_id,
            owner_id,
            self._store.users[owner_id].username,
            draft.name,
            draft.description,
            draft.visibility,
            slug,
            0,
            at,
            at,
        )
        self._store.playlist_items[playlist_id] = []
        return playlist_id

    async def get(self, playlist_id: int) -> Playlist | None:
        header = self._store.playlists.get(playlist_id)
        return None if header is None else self._with_movies(header)

    async def get_by_slug(self, slug: str) -> Playlist | None:
        found = [p for p in self._store.playlists.values() if p.slug == slug]
        return self._with_movies(found[0]) if found else None

    async def lock(self, playlist_id: int) -> Playlist | None:
        return self._store.playlists.get(playlist_id)

    async def update(self, playlist_id: int, draft: PlaylistDraft) -> None:
        current = self._store.playlists[playlist_id]
        self._check_name(current.owner_id, draft.name, playlist_id)
        self._store.playlists[playlist_id] = replace(
            current, name=draft.name, description=draft.description, visibility=draft.visibility
        )

    async def delete(self, playlist_id: int) -> None:
        del self._store.playlists[playlist_id]
        del self._store.playlist_items[playlist_id]

    async def find(self, query: PlaylistQuery, page: PageRequest) -> Page[Playlist]:
        def visible(p: Playlist) -> bool:
            mine = p.owner_id == query.viewer_id
            return mine if query.mine_only else (mine or p.visibility == "public")

        found = [
            self._with_movies(p)
            for p in self._store.playlists.values()
            if visible(p)
            and query.visibility in (None, p.visibility)
            and (
                query.owner is None
                or canonical_username(p.owner_username) == canonical_username(query.owner)
            )
            and (not query.search or query.search.lower() in (p.name + p.description).lower())
        ]
        key = query.ordering.lstrip("-")
        found.sort(key=lambda p: (getattr(p, key), p.id), reverse=query.ordering.startswith("-"))
        return Page(found[page.offset : page.offset + page.limit], len(found), page)

    async def movie_ids(self, playlist_id: int) -> list[int]:
        return [movie_id for movie_id, _ in self._store.playlist_items[playlist_id]]

    async def unknown_movies(self, movie_ids: list[int]) -> list[int]:
        return [movie_id for movie_id in movie_ids if movie_id not in self._store.movies]

    async def replace_movies(self, playlist_id: int, movie_ids: list[int]) -> None:
        added = dict(self._store.playlist_items[playlist_id])
        self._store.playlist_items[playlist_id] = [(m, added.get(m, now())) for m in movie_ids]

    async def insert_movie(self, playlist_id: int, movie_id: int, position: int) -> None:
        if movie_id in await self.movie_ids(playlist_id):
            raise Conflict("The movie is already in the playlist.")
        items = list(self._store.playlist_items[playlist_id])
        items.insert(position, (movie_id, now()))
        self._store.playlist_items[playlist_id] = items

    async def remove_movie(self, playlist_id: int, movie_id: int) -> bool:
        before = self._store.playlist_items[playlist_id]
        after = [item for item in before if item[0] != movie_id]
        self._store.playlist_items[playlist_id] = after
        return len(before) != len(after)

    def _with_movies(self, header: Playlist) -> Playlist:
        items = self._store.playlist_items[header.id]
        movies = tuple(
            PlaylistMovie(
                movie_id,
                self._store.movies[movie_id].title,
                self._store.movies[movie_id].poster_path,
                self._store.movies[movie_id].release_date,
                position,
                added_at,
            )
            for position, (movie_id, added_at) in enumerate(items)
        )
        return replace(header, movie_count=len(items), movies=movies)

    def _check_name(self, owner_id: int, name: str, playlist_id: int | None) -> None:
        for other in self._store.playlists.values():
            if other.owner_id == owner_id and other.name == name and other.id != playlist_id:
                raise Conflict("You already have a playlist with that name.")
