"""The one canonical form of a username, and the names that are refused.

Canonical is RFC 8265's UsernameCaseMapped profile with full case folding (`precis-i18n`):
width-mapped, NFC-normalised and case-folded in Python, once, and stored beside the name as
typed. Uniqueness, sign-in and every lookup compare canonical forms, so PostgreSQL's `lower()`
(which leaves `İ` and `ß` alone under the C locale) never decides who is who.

Refused on top of the profile: mixed scripts ("victim" with a Cyrillic i), characters that look
like an ASCII letter or digit (a small-capital V), whole names that look like ASCII ("ace" in
Cyrillic letters), and names that collide with routes (`/api/profiles/stats/`).
"""

from __future__ import annotations

import unicodedata

from precis_i18n import get_profile

from app.domain.shared.errors import InvalidInput

MIN_LENGTH, MAX_LENGTH = 3, 150
PROFILE = get_profile("UsernameCaseMapped:CaseFold")
PUNCTUATION = frozenset("._-")
# Paths beside `/{username}/` and names that pass for the service itself.
RESERVED = frozenset(
    {
        "me", "stats", "my_playlists", "shared", "search", "import", "register", "token",
        "logout", "recent", "trending", "top_rated", "recommendations", "movies", "genres",
        "ratings", "playlists", "profiles", "auth", "api", "admin", "administrator", "root",
        "staff", "support", "system", "nexus", "null", "undefined", "healthz", "readyz",
        "metrics", "docs", "swagger", "redoc", "openapi.json",
    }
)  # fmt: skip
NEUTRAL_SCRIPTS = frozenset({"COMMON", "INHERITED"})
# Scripts written together (UTS #39's Japanese and Korean sets): one script for the rule below.
SCRIPTS_WRITTEN_TOGETHER = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"HAN", "HANGUL"}),
)


def canonical_username(username: str) -> str:
    """The stored, compared form of `username`. A name the profile refuses cannot be registered;
    it still gets a form (NFKC, case-folded) so that older rows and lookups compare alike."""
    name = username.strip()
    return _profile_form(name) or unicodedata.normalize("NFKC", name).casefold()


def _profile_form(username: str) -> str | None:
    try:
        return str(PROFILE.enforce(username))
    except UnicodeError:
        return None


def username_problem(username: str) -> str | None:
    """Why `username` cannot be registered, in words for the client; None when it can."""
    canonical = _profile_form(username)
    if canonical is None or not all(_allowed(character) for character in canonical):
        return "Use letters, digits and the characters _ . - only (no spaces or symbols)."
    if canonical in RESERVED:
        return "This username is reserved."
    if not MIN_LENGTH <= len(canonical) <= MAX_LENGTH:
        return f"Use {MIN_LENGTH} to {MAX_LENGTH} characters."
    if canonical.isascii():  # Latin letters, digits and ._-: one script, and all of it ASCII
        return None
    # Loaded on the first name beyond ASCII (about 8 MB of tables), not by every process.
    from confusable_homoglyphs import categories

    scripts = {categories.alias(c) for c in canonical} - NEUTRAL_SCRIPTS
    if len(scripts) > 1 and not any(scripts <= group for group in SCRIPTS_WRITTEN_TOGETHER):
        return "Use the letters of one script only: mixing scripts makes look-alike names."
    lookalikes = [c for c in canonical if not c.isascii() and _looks_ascii(c)]
    if lookalikes and (scripts == {"LATIN"} or len(lookalikes) == _letter_count(canonical)):
        return f"The character {lookalikes[0]!r} looks like an ASCII one: type the ASCII character."
    return None


def check_username(username: str, field: str = "username") -> str:
    """The canonical form of an acceptable username; `InvalidInput` saying why otherwise."""
    problem = username_problem(username)
    if problem is not None:
        raise InvalidInput(problem, details=[{"field": field, "message": problem}])
    return canonical_username(username)


def _allowed(character: str) -> bool:
    # Combining marks too: `İ` folds to `i` and a combining dot above.
    return (
        character.isalnum()
        or character in PUNCTUATION
        or unicodedata.category(character).startswith("M")
    )


def _looks_ascii(character: str) -> bool:
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(character, greedy=True) or []
    return any(
        glyph["c"].isascii() and glyph["c"].isalnum()
        for entry in found
        for glyph in entry["homoglyphs"]
    )


def _letter_count(canonical: str) -> int:
    return sum(1 for c in canonical if not c.isascii() and c.isalpha())
