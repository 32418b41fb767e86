"""zxcvbn's estimate with compact word lists: the same ranks, the same answers, and each check
matched against its own user inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from app.domain.accounts.guessability import RankedWords, _word_lists, estimate

PASSWORDS = [
    "alice123",
    "Summer2024!",
    "abcdabcd",
    "Tr0ub4dor&3",
    "correct horse battery staple",
    "p@ssw0rd1985",
    "qwertyuiop1234",
    "zxcvbnm,./",
    "1qaz2wsx3edc",
    "nexusmovies2024",
    "drowssap",
    "J0hnSmith!1970",
    "x7#Lq!9vR2$mWp",
    "12/25/1999",
    "aaaaaaaaaaaaaaaaaaaa",
    "abcdefghijklmnop",
    "Hunter2Hunter2",
    "\u00e9l\u00e8ve-\u00e9t\u00e9-2020",
]
USER_INPUTS = ["alice", "alice@example.com", "Alice Smith", "nexus", "movie"]


def _shown(result: dict[str, Any]) -> dict[str, Any]:
    """What the policy reads of a result, comparable across processes (no timing)."""
    return {
        "score": result["score"],
        "guesses": str(result["guesses"]),
        "feedback": result["feedback"],
        "sequence": [
            [m["pattern"], m["token"], m.get("rank"), m.get("dictionary_name")]
            for m in result["sequence"]
        ],
    }


def test_every_list_holds_zxcvbn_ranks_exactly() -> None:
    lists = dict(_word_lists())
    assert {"passwords", "english_wikipedia", "surnames", "male_names"} <= lists.keys()
    for text, separator in lists.values():
        words = text.split(separator)
        expected = {word: rank for rank, word in enumerate(words, 1)}
        ranked = RankedWords(text, separator)
        assert len(ranked) == len(expected)
        assert dict(ranked.items()) == expected


def test_a_repeated_word_keeps_its_last_rank_and_absent_words_are_absent() -> None:
    ranked = RankedWords("pass,word,pass,x", ",")
    assert ranked["pass"] == 3 and ranked["word"] == 2 and ranked["x"] == 4
    assert len(ranked) == 3
    for absent in ["", "pas", "passw", "wor", "word,", 12]:
        assert absent not in ranked
    with pytest.raises(KeyError):
        ranked["nothing"]


def test_estimates_are_zxcvbns_own() -> None:
    # zxcvbn itself, unchanged, in a process of its own (this one has the compact lists).
    script = (
        "import json, sys; from zxcvbn import zxcvbn; "
        "passwords, inputs = json.load(sys.stdin); "
        "print(json.dumps([zxcvbn(p, user_inputs=inputs) for p in passwords], default=str))"
    )
    stock = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps([PASSWORDS, USER_INPUTS]),
        capture_output=True,
        text=True,
        check=True,
    )
    ours = [_shown(estimate(password, USER_INPUTS)) for password in PASSWORDS]
    theirs = [_shown(result) for result in json.loads(stock.stdout)]
    assert ours == json.loads(json.dumps(theirs))


def test_concurrent_checks_each_match_their_own_user_inputs() -> None:
    def built_on_own_word(index: int) -> bool:
        own, other = f"zanzibarquill{index}", f"marmaladefjord{index}"
        result = estimate(f"{own}{index}", [own if index % 2 else other])
        return any(m.get("dictionary_name") == "user_inputs" for m in result["sequence"])

    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(built_on_own_word, range(64)))
    assert found == [index % 2 == 1 for index in range(64)]


def test_zxcvbns_own_dicts_are_never_built() -> None:
    script = (
        "import sys; from app.domain.accounts.passwords import password_problems; "
        "password_problems('Tr0ub4dor&3', username='alice'); "
        "from zxcvbn import matching; "
        "print(sys.modules['zxcvbn.frequency_lists'].FREQUENCY_LISTS, "
        "*sorted({type(d).__name__ for d in matching.RANKED_DICTIONARIES.values()}))"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert shown.stdout.split() == ["{}", "RankedWords", "_ThisCallsUserInputs"], shown.stderr
