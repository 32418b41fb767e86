"""The password policy: long enough, not the username, not one of the most common passwords.

The list of common passwords ships with the package (`common_passwords.txt`) and is read once.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from app.domain.shared.errors import InvalidInput

MIN_LENGTH = 8
# Argon2 accepts any length, but a megabyte "password" is a cheap way to burn our CPU.
MAX_LENGTH = 128
MIN_DISTINCT_CHARACTERS = 4
# "sunshine1!" is "sunshine" with a decoration: a common base with at most this much appended.
MAX_DECORATION = 4
_TRAILING_DECORATION = re.compile(rf"[\d\W_]{{1,{MAX_DECORATION}}}$")


@cache
def common_passwords() -> frozenset[str]:
    text = files("app.domain.accounts").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def password_problems(password: str, *, username: str = "", email: str = "") -> list[str]:
    """Every rule the password breaks, as messages for the client (empty when it is fine)."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"This password is too short: use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"This password is too long: use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if username and lowered == username.lower():
        problems.append("The password cannot be the username.")
    if email and lowered in {email.lower(), email.lower().partition("@")[0]}:
        problems.append("The password cannot be the email address.")
    if _is_common(lowered):
        problems.append("This password is too common.")
    elif len(set(password)) < MIN_DISTINCT_CHARACTERS:
        problems.append("This password repeats too few characters.")
    return problems


def _is_common(lowered: str) -> bool:
    common = common_passwords()
    if lowered in common:
        return True
    base = _TRAILING_DECORATION.sub("", lowered)
    return len(base) >= 6 and base in common


def check_password(
    password: str, *, username: str = "", email: str = "", field: str = "password"
) -> None:
    """Raise `InvalidInput` naming every broken rule."""
    problems = password_problems(password, username=username, email=email)
    if problems:
        raise InvalidInput(
            problems[0], details=[{"field": field, "message": problem} for problem in problems]
        )
