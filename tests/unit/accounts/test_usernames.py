"""One canonical form of a username; look-alikes, mixed scripts and route names refused."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.domain.accounts.usernames import canonical_username, check_username, username_problem
from app.domain.shared.errors import InvalidInput


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Alice", "alice"),
        ("\u0130zmircgv", "i\u0307zmircgv"),  # a dotted capital I folds as Python and RFC 8265 say
        ("STRASSEPSN", "strassepsn"),
        ("stra\u00dfepsn", "strassepsn"),  # sharp s folds to "ss"
        ("\uff56ictim", "victim"),  # a fullwidth v is width-mapped to v
        ("  bob  ", "bob"),
    ],
)
def test_the_canonical_form_folds_case_and_width(typed: str, canonical: str) -> None:
    assert canonical_username(typed) == canonical


@pytest.mark.parametrize(
    ("username", "problem"),
    [
        ("v\u0456ctim", "one script"),  # Cyrillic i among Latin letters
        ("abc\u5c71", "one script"),  # Latin and Han
        ("\u1d20ictim", "looks like an ASCII"),  # Latin small capital V
        ("\u0430\u0441\u0435", "looks like an ASCII"),  # "ace" spelled in Cyrillic
        ("stats", "reserved"),
        ("Me", "reserved"),
        ("my_playlists", "reserved"),
        ("has space", "letters, digits"),
        ("x@y.z", "letters, digits"),
        ("ab", "3 to 150"),
    ],
)
def test_refused_usernames_say_why(username: str, problem: str) -> None:
    message = username_problem(username)
    assert message is not None and problem in message
    with pytest.raises(InvalidInput) as refused:
        check_username(username)
    assert refused.value.details == [{"field": "username", "message": message}]


@pytest.mark.parametrize(
    "username",
    [
        "alice",
        "jos\u00e9",
        "\u0436\u0430\u0431\u0430",
        "\u65e5\u672c\u8a9e",
        "\u5c71\u7530\u305f\u308d\u3046",  # Han and Hiragana: Japanese, one writing system
        "a.b-c_d",
    ],
)
def test_names_in_one_script_without_look_alikes_are_accepted(username: str) -> None:
    assert username_problem(username) is None
    assert check_username(username) == canonical_username(username)


def test_an_ascii_name_is_judged_without_loading_the_look_alike_tables() -> None:
    # Latin letters, digits and ._- are one script with nothing to mistake for ASCII; the tables
    # (several MB) load for the first name beyond ASCII only.
    script = (
        "import sys; from app.domain.accounts.usernames import username_problem as p; "
        "print(p('Alice_01.x'), 'confusable_homoglyphs' in sys.modules, end=' '); "
        "print(p('jos\\u00e9'), 'confusable_homoglyphs' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert shown.stdout.split() == ["None", "False", "None", "True"], shown.stderr
