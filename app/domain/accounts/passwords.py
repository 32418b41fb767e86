"""The password policy: long enough, not the username, not a common password, and hard to guess.

The list of common passwords ships with the package (`common_passwords.txt`) and is read once.
How hard a password is to guess is zxcvbn's estimate, told the user's own fields (username,
email, names): `alice123` for alice, `abcdabcd` or `Summer2024!` score too low, and the refusal
says why in zxcvbn's words. It costs up to ~0.1 s of CPU, so use cases run it in a thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
# zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash scenario".
MIN_SCORE = 3
# zxcvbn's own cap (its matching grows quadratically); a longer password is judged on its start.
ESTIMATED_LENGTH = 72
# Words every password here could be built on besides the user's own.
SITE_WORDS = ("nexus", "movie", "movies", "film")


@cache
def common_passwords() -> frozenset[str]:
    text = files("app.domain.accounts").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def password_problems(
    password: str, *, username: str = "", email: str = "", names: Iterable[str] = ()
) -> list[str]:
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
    if not problems:
        own = [username, email, email.partition("@")[0], *names]
        problems.extend(_guessability_problems(password, [word for word in own if word]))
    return problems


def _guessability_problems(password: str, own_words: list[str]) -> list[str]:
    # Loaded on the first password checked (its word lists take about 3 MB), not at start.
    from app.domain.accounts.guessability import estimate as estimate_guesses

    estimate = estimate_guesses(password[:ESTIMATED_LENGTH], [*own_words, *SITE_WORDS])
    if estimate["score"] >= MIN_SCORE:
        return []
    reasons: list[str] = []
    if any(match.get("dictionary_name") == "user_inputs" for match in estimate["sequence"]):
        reasons.append("It is built on your username, email or name.")
    feedback = estimate["feedback"]
    if feedback.get("warning"):
        reasons.append(str(feedback["warning"]))
    reasons.extend(str(suggestion) for suggestion in feedback.get("suggestions", ()))
    because = " ".join(reasons) or "Add another word or two."
    return [f"This password is too easy to guess. {because}"]


def _is_common(lowered: str) -> bool:
    common = common_passwords()
    if lowered in common:
        return True
    base = _TRAILING_DECORATION.sub("", lowered)
    return len(base) >= 6 and base in common


def check_password(
    password: str,
    *,
    username: str = "",
    email: str = "",
    names: Iterable[str] = (),
    field: str = "password",
) -> None:
    """Raise `InvalidInput` naming every broken rule."""
    problems = password_problems(password, username=username, email=email, names=names)
    if problems:
        raise InvalidInput(
            problems[0], details=[{"field": field, "message": problem} for problem in problems]
        )
