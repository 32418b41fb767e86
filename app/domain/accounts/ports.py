"""The ports of accounts and sessions: users, refresh token records, password hashing and the
signed tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from app.domain.accounts.tokens import IssuedRefresh, RefreshClaims, RefreshRecord
    from app.domain.accounts.users import NewUser, User


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


class TokenCodec(Protocol):
    """Signs and checks access tokens and the refresh tokens of a session family; raises
    `NotAuthenticated` for any bad token."""

    @property
    def access_lifetime_seconds(self) -> int: ...

    def issue_access(self, user_id: int) -> str: ...

    def user_id_from_access(self, token: str) -> int: ...

    def issue_refresh_token(self, user_id: int, family_id: str) -> IssuedRefresh: ...

    def read_refresh(self, token: str) -> RefreshClaims:
        """The verified claims of a refresh token; `NotAuthenticated` for any bad token."""
        ...


class RefreshTokenStore(Protocol):
    """Server-side records of refresh tokens, so that rotation and revocation hold across
    processes and restarts."""

    async def add(self, record: RefreshRecord) -> None: ...

    async def lock_sessions(self, user_id: int) -> None:
        """Hold, until the transaction ends, the lock on every session of the user: sign-in,
        refresh, sign-out and password change then run one at a time, and each sees what the
        one before it committed (a revocation cannot miss a token a concurrent refresh made)."""
        ...

    async def family_started_at(self, family_id: str) -> datetime | None:
        """When the family's first token was issued (the sign-in); None for an unknown family."""
        ...

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


class ActiveUsers(Protocol):
    """Who an access token names, for every signed-in request (`Authenticate`)."""

    async def active(self, user_id: int) -> User | None:
        """The user while their account is active; None for an unknown or inactive one."""
        ...

    async def taste_changed(self, user: User, taste_version: int) -> None:
        """`user`'s own write (a rating) committed and moved their taste version, and nothing
        else of their account: a cache may move its copy of the user to it rather than read
        the user again."""
        ...
