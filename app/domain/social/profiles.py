"""Profiles: the fields on the user's row that feed cold-start recommendations, and the public
face of a user."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from app.domain.accounts.users import User
from app.domain.shared import cache_keys
from app.domain.shared.errors import InvalidInput, NotFound
from app.domain.shared.pagination import Page, PageRequest, past_the_end, within_range
from app.domain.shared.ports import Cache, Database
from app.domain.social.playlists import Playlist, PlaylistQuery

MAX_BIO_LENGTH: Final = 500
MAX_AVATAR_URL_LENGTH: Final = 500
MAX_FAVORITE_GENRES: Final = 30
MAX_GENRE_ID: Final = 2**31 - 1
# http(s), a host name, an optional port, then only the characters RFC 3986 lets a path, query
# or fragment hold, anything else percent-encoded: no quote, `<`, `>`, backslash or brace that
# could close the HTML attribute the URL is written into. (The apostrophe is legal but refused
# too, for single-quoted attributes.) JSON Schema states the same pattern.
AVATAR_URL_PATTERN: Final = (
    r"^https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?"
    r"(?:[/?#](?:[A-Za-z0-9\-._~!$&()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*)?$"
)
PUBLIC_PLAYLISTS_SHOWN: Final = 50


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """The whole new profile, checked: a short bio, an http(s) avatar URL, distinct genres."""

    favorite_genres: tuple[int, ...]
    bio: str
    avatar_url: str | None

    def __post_init__(self) -> None:
        if len(self.favorite_genres) > MAX_FAVORITE_GENRES:
            raise _invalid("favorite_genres", f"at most {MAX_FAVORITE_GENRES} genres")
        object.__setattr__(self, "favorite_genres", tuple(dict.fromkeys(self.favorite_genres)))
        bio = self.bio.strip()
        if len(bio) > MAX_BIO_LENGTH:
            raise _invalid("bio", f"must be at most {MAX_BIO_LENGTH} characters")
        object.__setattr__(self, "bio", bio)
        avatar = (self.avatar_url or "").strip() or None
        if avatar is not None and not is_web_url(avatar):
            raise _invalid("avatar_url", "must be an http or https URL")
        object.__setattr__(self, "avatar_url", avatar)

    @classmethod
    def merged(cls, user: User, sent: dict[str, Any]) -> ProfileChanges:
        """The user's profile with the fields the client sent replacing the current ones."""
        genres = sent.get("favorite_genres", user.favorite_genres)
        return cls(
            favorite_genres=tuple(genres or ()),
            bio=sent.get("bio", user.bio) or "",
            avatar_url=sent.get("avatar_url", user.avatar_url),
        )


@dataclass(frozen=True, slots=True)
class PublicProfile:
    user_id: int
    username: str
    date_joined: datetime
    ratings_count: int
    reviews_count: int
    public_playlists_count: int
    public_playlists: tuple[Playlist, ...] = ()


def is_web_url(url: str) -> bool:
    return len(url) <= MAX_AVATAR_URL_LENGTH and re.fullmatch(AVATAR_URL_PATTERN, url) is not None


class UpdateProfile:
    """The fields sent replace the current ones; the others stay as they are now (the row is
    locked, so concurrent changes of different fields both stick). Favourite genres must be
    known genres (422 naming the others: input checked against the catalogue, like the movie
    list's unknown `genre`); recommendations drop their cache afterwards."""

    def __init__(self, database: Database, cache: Cache) -> None:
        self._database, self._cache = database, cache

    async def __call__(self, user: User, sent: dict[str, Any]) -> User:
        async with self._database.unit_of_work() as uow:
            changes = ProfileChanges.merged(await uow.profiles.locked_user(user.id), sent)
            unknown = await uow.profiles.unknown_genres(changes.favorite_genres)
            if unknown:
                raise InvalidInput(
                    f"Unknown genres: {', '.join(map(str, unknown))}.",
                    details=[
                        {"field": "favorite_genres", "message": f"unknown genre ids {unknown}"}
                    ],
                )
            updated = await uow.profiles.update(user.id, changes)
            await uow.commit()
        await self._cache.delete(cache_keys.user_recommendations(user.id, user.taste_version))
        return updated


class GetPublicProfile:
    """Anyone may see a user's name, join date, counts and public playlists; nothing private."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, username: str) -> PublicProfile:
        async with self._database.unit_of_work() as uow:
            profile = await uow.profiles.public_profile(username)
            if profile is None:
                raise NotFound("User not found.")
            query = PlaylistQuery(visibility="public", owner=profile.username)
            playlists = await uow.playlists.find(query, PageRequest(1, PUBLIC_PLAYLISTS_SHOWN))
        return PublicProfile(
            user_id=profile.user_id,
            username=profile.username,
            date_joined=profile.date_joined,
            ratings_count=profile.ratings_count,
            reviews_count=profile.reviews_count,
            public_playlists_count=profile.public_playlists_count,
            public_playlists=tuple(playlists.items),
        )


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(
        f"Invalid {field}: {message}.", details=[{"field": field, "message": message}]
    )


class ListPublicProfiles:
    """Every active user's public profile (name, join date, counts), by username; the original
    API listed profiles too. Nothing private: no email, no playlists beyond their count."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, page: PageRequest) -> Page[PublicProfile]:
        if page.beyond_any_data:
            raise past_the_end()
        async with self._database.unit_of_work() as uow:
            return within_range(await uow.profiles.list_public(page))
