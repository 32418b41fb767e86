"""Use cases of a session: sign in, refresh with rotation and reuse detection, sign out.

A sign-in starts a *family* of refresh tokens. Each refresh spends the presented token and issues
its successor in the same family. A spent token presented again means it was copied: the whole
family is revoked, unless it comes within a short grace period (two tabs refreshing at once).
A family lives at most `max_session` from its sign-in, however often it is refreshed.

Sign-in, refresh, sign-out and a password change take the lock on the user's sessions before
reading anything, so a revocation always sees the tokens a concurrent refresh committed, and a
refresh or a sign-in sees a revocation committed before it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from app.domain.accounts.ports import PasswordHasher, TokenCodec
from app.domain.accounts.registration import utc_now
from app.domain.accounts.tokens import RefreshRecord, TokenPair, hash_token_id
from app.domain.shared.errors import CredentialsInvalid, TokenExpired, TokenInvalid
from app.domain.shared.ports import Database, UnitOfWork

BAD_CREDENTIALS = "No active account found with the given credentials."
DEFAULT_MAX_SESSION = timedelta(days=30)


async def issue_pair(
    uow: UnitOfWork, issuer: TokenCodec, user_id: int, family_id: str, now: datetime
) -> tuple[TokenPair, str]:
    """A new access and refresh token, the refresh token recorded; and its stored id hash."""
    refresh = issuer.issue_refresh_token(user_id, family_id)
    jti_hash = hash_token_id(refresh.jti)
    await uow.refresh_tokens.add(
        RefreshRecord(
            jti_hash=jti_hash,
            family_id=family_id,
            user_id=user_id,
            issued_at=now,
            expires_at=refresh.expires_at,
        )
    )
    pair = TokenPair(
        access=issuer.issue_access(user_id),
        refresh=refresh.token,
        expires_in=issuer.access_lifetime_seconds,
    )
    return pair, jti_hash


class SignIn:
    """Username or email and password start a new session family. An unknown login, a wrong
    password, an account without a password and an inactive account all fail the same way and
    in about the same time. A hash made with outdated parameters is replaced on success. A
    password changed while the old one was being verified fails the sign-in."""

    def __init__(
        self,
        database: Database,
        passwords: PasswordHasher,
        issuer: TokenCodec,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._database = database
        self._passwords = passwords
        self._issuer = issuer
        self._now = now

    async def __call__(self, login: str, password: str) -> TokenPair:
        async with self._database.unit_of_work() as uow:
            user = await uow.users.get_by_login(login)
        # Verify even for an unknown user (against a dummy hash inside the hasher): same timing.
        matches, new_hash = await self._passwords.verify(
            password, user.password_hash if user else None
        )
        if user is None or not matches or not user.can_sign_in:
            raise CredentialsInvalid(BAD_CREDENTIALS)
        async with self._database.unit_of_work() as uow:
            # A password change committed while the hash was being verified revoked every
            # session: this one must not start after it with the old password. (A concurrent
            # sign-in's rehash also changes the hash, but the password still matches it.)
            await uow.refresh_tokens.lock_sessions(user.id)
            current = await uow.users.get(user.id)
            if current is None or not current.can_sign_in:
                raise CredentialsInvalid(BAD_CREDENTIALS)
            if current.password_hash != user.password_hash:
                matches, new_hash = await self._passwords.verify(password, current.password_hash)
                if not matches:
                    raise CredentialsInvalid(BAD_CREDENTIALS)
            if new_hash is not None:
                await uow.users.update_account(user.id, password_hash=new_hash)
            pair, _ = await issue_pair(uow, self._issuer, user.id, uuid.uuid4().hex, self._now())
            await uow.commit()
        return pair


class StartSession:
    """A new session family for a user who just proved who they are another way (a
    registration), so that sign-up is one request."""

    def __init__(
        self, database: Database, issuer: TokenCodec, now: Callable[[], datetime] = utc_now
    ) -> None:
        self._database = database
        self._issuer = issuer
        self._now = now

    async def __call__(self, user_id: int) -> TokenPair:
        async with self._database.unit_of_work() as uow:
            pair, _ = await issue_pair(uow, self._issuer, user_id, uuid.uuid4().hex, self._now())
            await uow.commit()
        return pair


class RefreshSession:
    """A valid, unspent refresh token buys a new pair and is spent. A spent token presented
    again after `grace` revokes its whole family (and fails); within `grace` it buys a sibling
    pair in the same family. Revoked, expired or unknown tokens, tokens of a session signed in
    longer ago than `max_session`, and tokens of a deleted or inactive user, fail."""

    def __init__(
        self,
        database: Database,
        issuer: TokenCodec,
        grace: timedelta,
        now: Callable[[], datetime] = utc_now,
        max_session: timedelta = DEFAULT_MAX_SESSION,
    ) -> None:
        self._database = database
        self._issuer = issuer
        self._grace = grace
        self._now = now
        self._max_session = max_session

    async def __call__(self, refresh_token: str) -> TokenPair:
        claims = self._issuer.read_refresh(refresh_token)
        now = self._now()
        async with self._database.unit_of_work() as uow:
            await uow.refresh_tokens.lock_sessions(claims.user_id)
            record = await uow.refresh_tokens.get_for_update(hash_token_id(claims.jti))
            if (
                record is None
                or record.family_id != claims.family_id
                or record.user_id != claims.user_id
            ):
                raise TokenInvalid("Refresh token is not recognised.")
            if record.revoked_at is not None:
                raise TokenInvalid("Refresh token has been revoked.")
            if record.expires_at <= now:
                raise TokenExpired()
            started = await uow.refresh_tokens.family_started_at(record.family_id)
            if started is not None and now - started >= self._max_session:
                raise TokenInvalid("The session has ended; sign in again.")
            if record.used_at is not None and now - record.used_at > self._grace:
                await uow.refresh_tokens.revoke_family(record.family_id, at=now)
                await uow.commit()
                raise TokenInvalid(
                    "Refresh token was already used; every token of this session is revoked."
                )
            user = await uow.users.get(record.user_id)
            if user is None or not user.is_active:
                raise TokenInvalid("User not found or inactive.")
            pair, new_hash = await issue_pair(uow, self._issuer, user.id, record.family_id, now)
            if record.used_at is None:
                await uow.refresh_tokens.mark_used(record.jti_hash, replaced_by=new_hash, at=now)
            await uow.commit()
        return pair


class SignOut:
    """A valid refresh token revokes its whole family. Signing out twice is not an error."""

    def __init__(
        self, database: Database, issuer: TokenCodec, now: Callable[[], datetime] = utc_now
    ) -> None:
        self._database = database
        self._issuer = issuer
        self._now = now

    async def __call__(self, refresh_token: str) -> None:
        claims = self._issuer.read_refresh(refresh_token)
        async with self._database.unit_of_work() as uow:
            await uow.refresh_tokens.lock_sessions(claims.user_id)
            await uow.refresh_tokens.revoke_family(claims.family_id, at=self._now())
            await uow.commit()
