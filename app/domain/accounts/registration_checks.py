"""Every problem of a registration at once, so that a sign-up form shows them all on the first
submit: the username's form (`usernames`), each broken password rule, a taken username and a
taken email."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.domain.accounts.passwords import password_problems
from app.domain.accounts.usernames import canonical_username, username_problem
from app.domain.shared.errors import Conflict, InvalidInput
from app.domain.shared.ports import Database, UnitOfWork

USERNAME_TAKEN = "A user with that username already exists."
EMAIL_TAKEN = "A user with that email already exists."


@dataclass(slots=True)
class RegistrationProblems:
    invalid: list[dict[str, Any]] = field(default_factory=list)
    taken: list[dict[str, Any]] = field(default_factory=list)

    def raise_any(self) -> None:
        """`InvalidInput` naming every problem when any field is invalid, else `Conflict` naming
        every taken field, else nothing."""
        if self.invalid:
            details = self.invalid + self.taken
            raise InvalidInput(str(details[0]["message"]), details=details)
        if self.taken:
            raise Conflict(str(self.taken[0]["message"]), details=self.taken)


async def find_registration_problems(
    database: Database,
    *,
    username: str | None,
    email: str | None,
    password: str | None,
    names: Iterable[str] = (),
    skip_fields: frozenset[str] = frozenset(),
) -> RegistrationProblems:
    """The problems of the given fields; None (a field already refused elsewhere) and
    `skip_fields` are not checked again. Usernames compare in their canonical form."""
    problems = RegistrationProblems()
    look_up_username = False
    if username is not None and "username" not in skip_fields:
        problem = username_problem(username)
        if problem is not None:
            problems.invalid.append({"field": "username", "message": problem})
        else:
            look_up_username = True
    look_up_email = email is not None and "email" not in skip_fields and "@" in email
    if look_up_username or look_up_email:
        async with database.unit_of_work() as uow:
            if look_up_username and await _username_taken(uow, username or ""):
                problems.taken.append(
                    {"field": "username", "message": USERNAME_TAKEN, "type": "unique"}
                )
            if look_up_email and await uow.users.get_by_login((email or "").strip()) is not None:
                problems.taken.append({"field": "email", "message": EMAIL_TAKEN, "type": "unique"})
    if password is not None and "password" not in skip_fields:
        # The strength estimate costs up to ~0.1 s of CPU: off the event loop, and outside the
        # unit of work so that no connection waits for it.
        messages = await asyncio.to_thread(
            password_problems,
            password,
            username=username or "",
            email=email or "",
            names=tuple(names),
        )
        problems.invalid.extend({"field": "password", "message": m} for m in messages)
    return problems


async def _username_taken(uow: UnitOfWork, username: str) -> bool:
    holder = await uow.users.get_by_login(username)
    return holder is not None and canonical_username(holder.username) == canonical_username(
        username
    )


class CheckRegistration:
    """The problems a registration would meet, without registering: a form whose fields failed
    other checks still learns, in the same answer, that the username or email is taken."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(
        self,
        *,
        username: str | None,
        email: str | None,
        password: str | None,
        names: Iterable[str] = (),
        skip_fields: frozenset[str] = frozenset(),
    ) -> RegistrationProblems:
        return await find_registration_problems(
            self._database,
            username=username,
            email=email,
            password=password,
            names=names,
            skip_fields=skip_fields,
        )
