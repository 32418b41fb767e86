"""Use cases of an account: register, change the email or the password."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from app.domain.accounts.passwords import check_password
from app.domain.accounts.ports import PasswordHasher
from app.domain.accounts.registration_checks import find_registration_problems
from app.domain.accounts.users import NewUser, User
from app.domain.shared.errors import InvalidInput, NotAuthenticated, PermissionDenied
from app.domain.shared.ports import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Registration:
    username: str
    email: str
    password: str
    first_name: str = ""
    last_name: str = ""


class RegisterUser:
    """A new account. The username passes `app.domain.accounts.usernames` (one script, no
    look-alikes, not reserved) and is unique in its canonical form; the password passes the
    policy of `app.domain.accounts.passwords`; emails are unique regardless of case (`Conflict`).
    Every problem is reported at once (`registration_checks`)."""

    def __init__(self, database: Database, passwords: PasswordHasher) -> None:
        self._database = database
        self._passwords = passwords

    async def __call__(self, registration: Registration) -> User:
        problems = await find_registration_problems(
            self._database,
            username=registration.username,
            email=registration.email,
            password=registration.password,
            names=(registration.first_name, registration.last_name),
        )
        problems.raise_any()
        # Hash before opening the transaction: no connection is held during the slow part.
        password_hash = await self._passwords.hash(registration.password)
        async with self._database.unit_of_work() as uow:
            user = await uow.users.add(
                NewUser(
                    username=registration.username,
                    email=registration.email.strip(),
                    password_hash=password_hash,
                    first_name=registration.first_name,
                    last_name=registration.last_name,
                )
            )
            await uow.commit()
        return user


@dataclass(frozen=True, slots=True)
class AccountChanges:
    email: str | None = None
    current_password: str | None = None
    new_password: str | None = None


class UpdateAccount:
    """Change the signed-in user's email and/or password. Either change needs the current
    password (a wrong one is refused as forbidden), so a stolen access token cannot take the
    account over; a new password passes the policy, and changing it revokes every refresh token
    family of the user, so every other signed-in device is signed out once its access token
    expires."""

    def __init__(
        self,
        database: Database,
        passwords: PasswordHasher,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._database = database
        self._passwords = passwords
        self._now = now

    async def __call__(self, user_id: int, changes: AccountChanges) -> User:
        async with self._database.unit_of_work() as uow:
            user = await uow.users.get(user_id)
        if user is None or not user.is_active:
            raise NotAuthenticated("User not found or inactive.")
        email = changes.email.strip() if changes.email is not None else None
        if email is not None and email == user.email:
            email = None  # nothing changes, so nothing to prove
        password_hash = None
        if email is not None or changes.new_password is not None:
            await self._check_current_password(user, changes.current_password)
        if changes.new_password is not None:
            await asyncio.to_thread(
                check_password,
                changes.new_password,
                username=user.username,
                email=email or user.email,
                names=(user.first_name, user.last_name),
            )
            password_hash = await self._passwords.hash(changes.new_password)
        async with self._database.unit_of_work() as uow:
            if password_hash is not None:
                # Before the update: a refresh running now commits first or sees the revocation.
                await uow.refresh_tokens.lock_sessions(user.id)
            updated = await uow.users.update_account(
                user.id, email=email, password_hash=password_hash
            )
            if updated is None:
                raise NotAuthenticated("User not found or inactive.")
            if password_hash is not None:
                await uow.refresh_tokens.revoke_user(user.id, at=self._now())
            await uow.commit()
        return updated

    async def _check_current_password(self, user: User, current_password: str | None) -> None:
        if not current_password:
            message = "The current password is required to change the email or the password."
            raise InvalidInput(message, details=[{"field": "current_password", "message": message}])
        matches, _ = await self._passwords.verify(current_password, user.password_hash)
        if not matches:
            # A wrong secret is a refusal, not malformed input: 403, like any denied permission.
            raise PermissionDenied("Current password is incorrect.")
