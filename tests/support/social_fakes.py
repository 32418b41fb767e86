"""In-memory fakes of the rating and playlist ports, for use-case tests without I/O. A unit of
work edits a copy of the data and publishes it only on commit, like a transaction."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from app.domain.accounts.users import User
from app.domain.shared.errors import Conflict, NotFound
from app.domain.shared.pagination import Page, PageRequest
from app.domain.social.playlists import Playlist, PlaylistDraft, PlaylistMovie, PlaylistQuery
from app.domain.social.ratings import NewRating, Rating, RatingQuery


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class FakeMovie:
    title: str
    ratings_count: int = 0
    ratings_sum: int = 0


@dataclass
class SocialData:
    users: dict[int, User] = field(default_factory=dict)
    movies: dict[int, FakeMovie] = field(default_factory=dict)
    ratings: dict[int, Rating] = field(default_factory=dict)
    playlists: dict[int, Playlist] = field(default_factory=dict)  # headers, no movies
    items: dict[int, list[tuple[int, datetime]]] = field(default_factory=dict)  # in order
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


class FakeRatingRepository:
    def __init__(self, data: SocialData) -> None:
        self.data = data

    async def add(self, rating: NewRating) -> Rating | None:
        if rating.movie_id not in self.data.movies:
            raise NotFound("Movie not found.", details=[{"field": "movie", "message": "unknown"}])
        if await self.id_for(rating.user_id, rating.movie_id) is not None:
            return None
        rating_id, at = self.data.new_id(), now()
        self.data.ratings[rating_id] = Rating(
            rating_id,
            rating.user_id,
            self.data.users[rating.user_id].username,
            rating.movie_id,
            self.data.movies[rating.movie_id].title,
            rating.score,
            rating.review,
            at,
            at,
        )
        return self.data.ratings[rating_id]

    async def id_for(self, user_id: int, movie_id: int) -> int | None:
        for rating in self.data.ratings.values():
            if (rating.user_id, rating.movie_id) == (user_id, movie_id):
                return rating.id
        return None

    async def movie_exists(self, movie_id: int) -> bool:
        return movie_id in self.data.movies

    async def get(self, rating_id: int, *, for_update: bool = False) -> Rating | None:
        return self.data.ratings.get(rating_id)

    async def update(self, rating_id: int, score: int, review: str | None) -> Rating:
        rating = replace(self.data.ratings[rating_id], score=score, review=review, updated_at=now())
        self.data.ratings[rating_id] = rating
        return rating

    async def delete(self, rating_id: int) -> None:
        del self.data.ratings[rating_id]

    async def adjust_movie_aggregates(self, movie_id: int, count: int, score_sum: int) -> None:
        movie = self.data.movies[movie_id]
        movie.ratings_count += count
        movie.ratings_sum += score_sum

    async def find(self, query: RatingQuery, page: PageRequest) -> Page[Rating]:
        found = [
            rating
            for rating in self.data.ratings.values()
            if query.movie_id in (None, rating.movie_id)
            and query.score in (None, rating.score)
            and (query.username is None or rating.username.lower() == query.username.lower())
        ]
        key = query.ordering.lstrip("-")
        found.sort(key=lambda r: (getattr(r, key), r.id), reverse=query.ordering.startswith("-"))
        return Page(found[page.offset : page.offset + page.limit], len(found), page)


class FakePlaylistRepository:
    def __init__(self, data: SocialData) -> None:
        self.data = data

    async def lock_owner(self, owner_id: int) -> int:
        return sum(1 for p in self.data.playlists.values() if p.owner_id == owner_id)

    async def add(self, owner_id: int, draft: PlaylistDraft, slug: str) -> int:
        self._check_name(owner_id, draft.name, None)
        playlist_id, at = self.data.new_id(), now()
        self.data.playlists[playlist_id] = Playlist(
            playlist_id,
            owner_id,
            self.data.users[owner_id].username,
            draft.name,
            draft.description,
            draft.visibility,
            slug,
            0,
            at,
            at,
        )
        self.data.items[playlist_id] = []
        return playlist_id

    async def get(self, playlist_id: int) -> Playlist | None:
        header = self.data.playlists.get(playlist_id)
        return None if header is None else self._with_movies(header)

    async def get_by_slug(self, slug: str) -> Playlist | None:
        found = [p for p in self.data.playlists.values() if p.slug == slug]
        return self._with_movies(found[0]) if found else None

    async def lock(self, playlist_id: int) -> Playlist | None:
        return self.data.playlists.get(playlist_id)

    async def update(self, playlist_id: int, draft: PlaylistDraft) -> None:
        current = self.data.playlists[playlist_id]
        self._check_name(current.owner_id, draft.name, playlist_id)
        self.data.playlists[playlist_id] = replace(
            current, name=draft.name, description=draft.description, visibility=draft.visibility
        )

    async def delete(self, playlist_id: int) -> None:
        del self.data.playlists[playlist_id]
        del self.data.items[playlist_id]

    async def find(self, query: PlaylistQuery, page: PageRequest) -> Page[Playlist]:
        def visible(p: Playlist) -> bool:
            mine = p.owner_id == query.viewer_id
            return mine if query.mine_only else (mine or p.visibility == "public")

        found = [
            self._with_movies(p)
            for p in self.data.playlists.values()
            if visible(p)
            and query.visibility in (None, p.visibility)
            and (query.owner is None or p.owner_username.lower() == query.owner.lower())
            and (not query.search or query.search.lower() in (p.name + p.description).lower())
        ]
        key = query.ordering.lstrip("-")
        found.sort(key=lambda p: (getattr(p, key), p.id), reverse=query.ordering.startswith("-"))
        return Page(found[page.offset : page.offset + page.limit], len(found), page)

    async def movie_ids(self, playlist_id: int) -> list[int]:
        return [movie_id for movie_id, _ in self.data.items[playlist_id]]

    async def unknown_movies(self, movie_ids: list[int]) -> list[int]:
        return [movie_id for movie_id in movie_ids if movie_id not in self.data.movies]

    async def replace_movies(self, playlist_id: int, movie_ids: list[int]) -> None:
        added = dict(self.data.items[playlist_id])
        self.data.items[playlist_id] = [(m, added.get(m, now())) for m in movie_ids]

    async def insert_movie(self, playlist_id: int, movie_id: int, position: int) -> None:
        if movie_id in await self.movie_ids(playlist_id):
            raise Conflict("The movie is already in the playlist.")
        self.data.items[playlist_id].insert(position, (movie_id, now()))

    async def remove_movie(self, playlist_id: int, movie_id: int) -> bool:
        before = self.data.items[playlist_id]
        self.data.items[playlist_id] = [item for item in before if item[0] != movie_id]
        return len(before) != len(self.data.items[playlist_id])

    def _with_movies(self, header: Playlist) -> Playlist:
        items = self.data.items[header.id]
        movies = tuple(
            PlaylistMovie(m, self.data.movies[m].title, None, date(2000, 1, 1), n, at)
            for n, (m, at) in enumerate(items)
        )
        return replace(header, movie_count=len(items), movies=movies)

    def _check_name(self, owner_id: int, name: str, playlist_id: int | None) -> None:
        for other in self.data.playlists.values():
            if other.owner_id == owner_id and other.name == name and other.id != playlist_id:
                raise Conflict("You already have a playlist with that name.")


class FakeSocialUnitOfWork:
    def __init__(self, database: FakeSocialDatabase) -> None:
        self._database = database
        self.data = copy.deepcopy(database.data)

    async def __aenter__(self) -> FakeSocialUnitOfWork:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None

    async def commit(self) -> None:
        self._database.data = copy.deepcopy(self.data)
        self._database.commits += 1

    async def rollback(self) -> None:
        self.data = copy.deepcopy(self._database.data)

    @property
    def ratings(self) -> FakeRatingRepository:
        return FakeRatingRepository(self.data)

    @property
    def playlists(self) -> FakePlaylistRepository:
        return FakePlaylistRepository(self.data)


class FakeSocialDatabase:
    def __init__(self) -> None:
        self.data = SocialData()
        self.commits = 0

    def unit_of_work(self) -> Any:
        return FakeSocialUnitOfWork(self)

    async def ping(self) -> bool:
        return True

    def add_user(self, username: str) -> User:
        user = User(
            id=self.data.new_id(), username=username, email=f"{username}@x.test", password_hash=None
        )
        self.data.users[user.id] = user
        return user

    def add_movie(self, title: str = "A Movie") -> int:
        movie_id = self.data.new_id()
        self.data.movies[movie_id] = FakeMovie(title)
        return movie_id
