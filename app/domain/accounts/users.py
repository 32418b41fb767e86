"""Users and their profiles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    email: str
    password_hash: str | None
    first_name: str = ""
    last_name: str = ""
    is_active: bool = True
    is_staff: bool = False
    favorite_genres: tuple[int, ...] = ()
    bio: str = ""
    avatar_url: str | None = None
    date_joined: datetime | None = None
    updated_at: datetime | None = None
    # Changes whenever the user's ratings or favourite genres do: it versions cached
    # recommendations, so a lost cache delete cannot serve a stale list.
    taste_version: int = 0

    @property
    def can_sign_in(self) -> bool:
        return self.is_active and self.password_hash is not None


@dataclass(frozen=True, slots=True)
class NewUser:
    username: str
    email: str
    password_hash: str | None
    first_name: str = ""
    last_name: str = ""
    favorite_genres: tuple[int, ...] = field(default_factory=tuple)
