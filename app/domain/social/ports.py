"""The repositories of the social side: ratings, playlists, profiles and statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from app.domain.accounts.users import User
    from app.domain.shared.pagination import Page, PageRequest
    from app.domain.social.playlists import Playlist, PlaylistDraft, PlaylistQuery
    from app.domain.social.profiles import ProfileChanges, PublicProfile
    from app.domain.social.ratings import NewRating, Rating, RatingQuery
    from app.domain.social.stats import StatsFacts


class RatingRepository(Protocol):
    async def add(self, rating: NewRating) -> Rating | None:
        """The new rating, or None when this user already rated the movie (nothing written);
        raises `NotFound` for an unknown movie."""
        ...

    async def id_for(self, user_id: int, movie_id: int) -> int | None: ...

    async def movie_exists(self, movie_id: int) -> bool: ...

    async def get(self, rating_id: int, *, for_update: bool = False) -> Rating | None: ...

    async def update(self, rating_id: int, score: int, review: str | None) -> Rating: ...

    async def delete(self, rating_id: int) -> None: ...

    async def adjust_movie_aggregates(
        self, movie_id: int, count: int, score_sum: int, rater_id: int
    ) -> tuple[int, float | None, int]:
        """Add `count` and `score_sum` to the movie's rating aggregates, atomically; returns
        the movie's ratings count and average (None when unrated) after the change, and the
        taste version of `rater_id` as the rating's change left it."""
        ...

    async def find(self, query: RatingQuery, page: PageRequest) -> Page[Rating]: ...


class PlaylistRepository(Protocol):
    async def lock_owner(self, owner_id: int) -> int:
        """Serialise this owner's playlist creations; answers how many playlists they own."""
        ...

    async def add(self, owner_id: int, draft: PlaylistDraft, slug: str) -> int: ...

    async def get(self, playlist_id: int) -> Playlist | None:
        """The playlist with its movies in order."""
        ...

    async def get_by_slug(self, slug: str) -> Playlist | None: ...

    async def lock(self, playlist_id: int) -> Playlist | None:
        """The playlist without its movies, locked against concurrent edits until commit."""
        ...

    async def update(self, playlist_id: int, draft: PlaylistDraft) -> None: ...

    async def delete(self, playlist_id: int) -> None: ...

    async def find(self, query: PlaylistQuery, page: PageRequest) -> Page[Playlist]: ...

    async def movie_ids(self, playlist_id: int) -> list[int]:
        """The playlist's movie ids in position order."""
        ...

    async def unknown_movies(self, movie_ids: list[int]) -> list[int]: ...

    async def replace_movies(self, playlist_id: int, movie_ids: list[int]) -> None:
        """Positions become the list order; movies kept keep their `added_at`."""
        ...

    async def insert_movie(self, playlist_id: int, movie_id: int, position: int) -> None:
        """Insert at `position`, shifting the movies at and after it down by one."""
        ...

    async def remove_movie(self, playlist_id: int, movie_id: int) -> bool:
        """Remove and close the gap; False when the movie was not in the playlist."""
        ...


class ProfileRepository(Protocol):
    async def locked_user(self, user_id: int) -> User:
        """The user's row as it is now, locked until the unit of work ends."""
        ...

    async def unknown_genres(self, genre_ids: tuple[int, ...]) -> list[int]: ...

    async def update(self, user_id: int, changes: ProfileChanges) -> User: ...

    async def public_profile(self, username: str) -> PublicProfile | None: ...

    async def list_public(self, page: PageRequest) -> Page[PublicProfile]:
        """Active users' public profiles (no playlists), by username."""
        ...


class StatsRepository(Protocol):
    async def facts(self, user_id: int, months_since: datetime) -> StatsFacts:
        """Every aggregate the statistics need, in a fixed number of queries."""
        ...
