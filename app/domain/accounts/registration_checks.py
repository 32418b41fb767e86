"""Every problem of a registration at once, so that a sign-up form shows them all on the first
submit: the username's form, each broken password rule, a taken username and a taken email."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.domain.accounts.passwords import password_problems
from app.domain.shared.errors import Conflict, InvalidInput
from app.domain.shared.ports import Database, UnitOfWork

USERNAME_PATTERN = re.compile(r"[\w.\-]{3,150}")
USERNAME_RULE = "Use 3 to 150 letters, digits and the characters _ . -"
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
    uow: UnitOfWork,
    *,
    username: str | None,
    email: str | None,
    password: str | None,
    skip_fields: frozenset[str] = frozenset(),
) -> RegistrationProblems:
    """The problems of the given fields; None (a field already refused elsewhere) and
    `skip_fields` are not checked again."""
    problems = RegistrationProblems()
    if username is not None and "username" not in skip_fields:
        if not USERNAME_PATTERN.fullmatch(username):
            problems.invalid.append({"field": "username", "message": USERNAME_RULE})
        else:
            holder = await uow.users.get_by_login(username)
            if holder is not None and holder.username.lower() == username.strip().lower():
                problems.taken.append(
                    {"field": "username", "message": USERNAME_TAKEN, "type": "unique"}
                )
    if (
        email is not None
        and "email" not in skip_fields
        and "@" in email
        and await uow.users.get_by_login(email.strip()) is not None
    ):
        problems.taken.append({"field": "email", "message": EMAIL_TAKEN, "type": "unique"})
    if password is not None and "password" not in skip_fields:
        problems.invalid.extend(
            {"field": "password", "message": message}
            for message in password_problems(password, username=username or "", email=email or "")
        )
    return problems


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
        skip_fields: frozenset[str] = frozenset(),
    ) -> RegistrationProblems:
        async with self._database.unit_of_work() as uow:
            return await find_registration_problems(
                uow, username=username, email=email, password=password, skip_fields=skip_fields
            )
