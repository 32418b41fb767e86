"""The ports the core needs, as `typing.Protocol`s. Adapters in `app/adapters` implement them;
in-memory fakes in `tests/fakes` implement them too, and one contract suite checks both."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from app.domain.accounts.tokens import IssuedRefresh, RefreshClaims, RefreshRecord
    from app.domain.accounts.users import NewUser, User
    from app.domain.catalogue.ports import GenreRepository, MovieRepository
    from app.domain.catalogue.writing import CatalogueWriter
    from app.domain.shared.pagination import Page, PageRequest
    from app.domain.social.playlists import Playlist, PlaylistDraft, PlaylistQuery
    from app.domain.social.profiles import ProfileChanges, PublicProfile
    from app.domain.social.ratings import NewRating, Rating, RatingQuery
    from app.domain.social.stats import StatsFacts


class Cache(Protocol):
    """Bytes by key with a time to live. Misses and an unreachable backend both answer `None`:
    a cache is an optimisation, never a reason to fail a request."""

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None: ...

    async def delete(self, *keys: str) -> None: ...

    async def get_or_set(
        self, key: str, ttl_seconds: float, produce: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        """The cached value, else `produce()` stored under `key`; concurrent misses for one key
        in this process share a single `produce()` call."""
        ...

    async def ping(self) -> bool: ...


class UnitOfWork(Protocol):
    """One database transaction per use case: nothing is written unless `commit()` is called;
    leaving the `async with` block without committing rolls back."""

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(self, *exc_info: object) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    @property
    def users(self) -> UserRepository: ...

    @property
    def ratings(self) -> RatingRepository: ...

    @property
    def playlists(self) -> PlaylistRepository: ...

    @property
    def profiles(self) -> ProfileRepository: ...

    @property
    def stats(self) -> StatsRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenStore: ...

    @property
    def catalogue(self) -> CatalogueWriter: ...

    @property
    def movies(self) -> MovieRepository: ...

    @property
    def genres(self) -> GenreRepository: ...


class Database(Protocol):
    """A fresh unit of work per use case, and a readiness probe."""

    def unit_of_work(self) -> UnitOfWork: ...

    async def ping(self) -> bool: ...


class UserRepository(Protocol):
    async def get(self, user_id: int) -> User | None: ...

    async def get_by_login(self, username_or_email: str) -> User | None:
        """Case-insensitive match on the username, else on the email."""
        ...

    async def add(self, user: NewUser) -> User: ...

    async def update_account(
        self, user_id: int, *, email: str | None = None, password_hash: str | None = None
    ) -> User | None:
        """Set the given fields (None leaves a field as it is); None if the user is gone."""
        ...


class AccessTokens(Protocol):
    """Issues and checks signed access tokens; raises `NotAuthenticated` for any bad token."""

    def issue_access(self, user_id: int) -> str: ...

    def user_id_from_access(self, token: str) -> int: ...


class TokenIssuer(AccessTokens, Protocol):
    """Access tokens plus the refresh tokens of a session family."""

    @property
    def access_lifetime_seconds(self) -> int: ...

    def issue_refresh_token(self, user_id: int, family_id: str) -> IssuedRefresh: ...

    def read_refresh(self, token: str) -> RefreshClaims:
        """The verified claims of a refresh token; `NotAuthenticated` for any bad token."""
        ...


class RefreshTokenStore(Protocol):
    """Server-side records of refresh tokens, so that rotation and revocation hold across
    processes and restarts."""

    async def add(self, record: RefreshRecord) -> None: ...

    async def get_for_update(self, jti_hash: str) -> RefreshRecord | None:
        """The record, locked until the transaction ends so two refreshes cannot both spend it."""
        ...

    async def mark_used(self, jti_hash: str, *, replaced_by: str, at: datetime) -> None: ...

    async def revoke_family(self, family_id: str, *, at: datetime) -> int:
        """Revoke every live token of the family; the number revoked."""
        ...

    async def revoke_user(self, user_id: int, *, at: datetime) -> int:
        """Revoke every live token of every family of the user; the number revoked."""
        ...


class PasswordHasher(Protocol):
    """Slow, salted password hashes. Implementations keep the CPU work off the event loop."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password: str, password_hash: str | None) -> tuple[bool, str | None]:
        """(matches, a new hash when the stored one uses outdated parameters). With no stored
        hash it still spends the time of one verification, so unknown users are not revealed
        by timing."""
        ...


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

    async def adjust_movie_aggregates(self, movie_id: int, count: int, score_sum: int) -> None:
        """Add `count` and `score_sum` to the movie's rating aggregates, atomically."""
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
